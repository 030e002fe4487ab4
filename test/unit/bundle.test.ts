// The extension host must never load native code (a crash in libtoxcore would take VS Code's
// extension host down with it): the built extension bundle may not mention koffi or load a
// Tox library. The node process bundle, by contrast, must. Activation stays light: libsodium
// (~2 MB of JavaScript and base64 WebAssembly) and the QR encoder are bundles of their own,
// required on first use, never at activation.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import type { ExtLoad } from '../helpers/extLoad';

/** The start of any WebAssembly module ("\0asm"), base64-encoded as libsodium embeds it. */
const WASM_BASE64 = /AGFzbQ/;

function activateInChild(...also: string[]): ExtLoad {
  const dist = join(packageRoot(), 'dist');
  const r = spawnSync(process.execPath, [join(packageRoot(), 'out', 'test', 'helpers', 'extLoad.js'), dist, ...also], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `extLoad failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ExtLoad;
}

describe('bundles', () => {
  const read = (f: string) => readFileSync(join(packageRoot(), 'dist', f), 'utf8');

  it('the extension host bundle does not load koffi or libtoxcore', () => {
    const ext = read('extension.js');
    assert.doesNotMatch(ext, /koffi/);
    assert.doesNotMatch(ext, /libtoxcore\.so/);
  });

  it('the node process bundle does (so the check above can tell them apart)', () => {
    assert.match(read('toxnode.js'), /require\("koffi"\)/);
  });

  it('no WebAssembly in the extension host, node and CLI bundles: libsodium is dist/sodium.js', () => {
    for (const f of ['extension.js', 'toxnode.js', 'cli.js', 'kdfWorker.js']) assert.doesNotMatch(read(f), WASM_BASE64, f);
    assert.match(read('extension.js'), /require\("\.\/sodium\.js"\)/);
  });

  it('positive control: dist/sodium.js carries the base64 wasm the check above looks for', () => {
    assert.match(read('sodium.js'), WASM_BASE64);
  });

  it('activating the extension loads dist/extension.js alone (libsodium and the QR encoder wait for first use)', function () {
    this.timeout(30_000);
    assert.deepEqual(activateInChild().loaded, ['extension.js']);
  });

  it('positive control: the activation probe sees a lazy bundle once one is required', function () {
    this.timeout(30_000);
    assert.deepEqual(activateInChild('uqr.js', 'sodium.js').loaded, ['extension.js', 'sodium.js', 'uqr.js']);
  });

  it('the GIF encoder and font parser are bundles of their own, loaded by the node and the CLI only when a GIF is made', () => {
    // Markers defined inside the libraries (our generator only calls them): gifenc's
    // `function applyPalette`, opentype.js's "Unsupported OpenType" error. Their own bundles are
    // the positive control that these markers find the code where it is.
    assert.match(read('gifenc.js'), /function applyPalette/);
    assert.match(read('opentype.js'), /Unsupported OpenType/);
    // The webview shows the host's GIF previews and carries only the style names (gifComposer.ts).
    for (const f of ['extension.js', 'toxnode.js', 'cli.js', 'webview/webview.js'])
      assert.doesNotMatch(read(f), /function applyPalette|Unsupported OpenType/, f);
    for (const f of ['toxnode.js', 'cli.js']) assert.match(read(f), /require\("\.\/opentype\.js"\)/, f);
  });

  it('the picture decoders live only in the image checker bundle, never in extension.js or the node', () => {
    // Markers inside pngjs ("Invalid file signature"), jpeg-js ("maxResolutionInMP"), omggif
    // ("Invalid graphics extension block") and libwebp's wasm glue (the name of its .wasm); the
    // checker's own bundle is the positive control.
    const markers = /Invalid file signature|maxResolutionInMP|Invalid graphics extension block|webp_dec\.wasm/;
    for (const m of markers.source.split('|')) assert.match(read('imagecheck.js'), new RegExp(m));
    for (const f of ['extension.js', 'toxnode.js', 'cli.js']) assert.doesNotMatch(read(f), markers, f);
  });

  it('the webview code has no HTML sinks (innerHTML, insertAdjacentHTML, document.write, eval)', () => {
    // Checked in our sources, not the bundle: Lit (inside @vscode-elements) fills <template>
    // elements from its own static templates, never from our strings. Comments are dropped.
    const dir = join(packageRoot(), 'src', 'webview');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 6, 'the webview sources were found');
    const src = files
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});
