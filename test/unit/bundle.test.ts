// The extension host must never load native code (a crash in libtoxcore would take VS Code's
// extension host down with it): the built extension bundle may not mention koffi or load a
// Tox library. The node process bundle, by contrast, must.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/common/paths';

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

  it('the GIF generator (encoder, font parser) is in the CLI and the node process, not in the extension host', () => {
    // NETSCAPE2.0: gifenc's loop extension; charToGlyphIndex: opentype.js. The CLI and the node
    // bundles are the positive control that these markers find the code when it is there.
    for (const f of ['cli.js', 'toxnode.js']) assert.match(read(f), /NETSCAPE2\.0[\s\S]*charToGlyphIndex|charToGlyphIndex[\s\S]*NETSCAPE2\.0/, f);
    assert.doesNotMatch(read('extension.js'), /NETSCAPE2\.0|charToGlyphIndex/);
  });

  it('the webview code has no HTML sinks (innerHTML, insertAdjacentHTML, document.write, eval)', () => {
    // Checked in our sources, not the bundle: Lit (inside @vscode-elements) fills <template>
    // elements from its own static templates, never from our strings. Comments are dropped.
    const src = ['render.ts', 'conversation.ts', 'main.ts', 'vlist.ts', 'host.ts', 'dom.ts']
      .map((f) => readFileSync(join(packageRoot(), 'src', 'webview', f), 'utf8'))
      .join('\n')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});
