// Builds every bundle with esbuild. Type checking is `npm run typecheck` (tsc --noEmit);
// esbuild only strips types, so both run in `npm test`.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Start clean: a bundle left over from a deleted test would otherwise still run.
rmSync('out', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });

const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'node20' };
// koffi carries a native addon per platform: it is loaded from node_modules at run time, never bundled.
const nodeExternal = ['koffi', 'vscode'];
// Heavy modules loaded only on first use (libsodium is ~2 MB of JS and base64 wasm, the QR
// encoder is only for one command, the GIF encoder and font parser only for send_gif and
// `toxync gif`): each is a bundle of its own in dist/, and the dist/
// bundles require it from there instead of carrying it — their require() sits inside the
// function that first needs it, so activating the extension never parses them. A relative
// require resolves against the requiring file, and every dist/ bundle lives in dist/.
// The out/ test and bench bundles keep them inline.
const lazyModules = { 'libsodium-wrappers-sumo': 'sodium', uqr: 'uqr', 'opentype.js': 'opentype', gifenc: 'gifenc' };
const lazyPlugin = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: /^(libsodium-wrappers-sumo|uqr|opentype\.js|gifenc)$/ }, (a) => ({
      path: `./${lazyModules[a.path]}.js`,
      external: true,
    }));
  },
};
const distNode = { ...common, platform: 'node', format: 'cjs', external: nodeExternal, plugins: [lazyPlugin] };
const lazyBundles = Object.entries(lazyModules).map(([mod, name]) =>
  esbuild.build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(mod)});`, resolveDir: '.', loader: 'js', sourcefile: `${name}-entry.js` },
    outfile: `dist/${name}.js`,
    platform: 'node',
    format: 'cjs',
  }),
);

function testEntries(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testEntries(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

await Promise.all([
  // Extension host: never loads koffi or libtoxcore (the Tox node process does).
  esbuild.build({ ...distNode, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  // Argon2id runs in a short-lived worker thread of this file (src/core/store/kdf.ts).
  esbuild.build({ ...distNode, entryPoints: ['src/core/store/kdfWorker.ts'], outfile: 'dist/kdfWorker.js' }),
  ...lazyBundles,
  // The webview's own folder is its only localResourceRoot: nothing else is readable from it.
  esbuild.build({
    ...common,
    entryPoints: { webview: 'src/webview/webviewMain.ts', style: 'src/webview/style.css' },
    outdir: 'dist/webview',
    // style.css imports the codicon font's CSS; the font file lands beside it as codicon.ttf.
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  }),
  esbuild.build({ ...distNode, entryPoints: ['src/node/nodeMain.ts'], outfile: 'dist/toxnode.js' }),
  // The image checker: its own process with its own decoders, so extension.js carries none of them.
  esbuild.build({ ...distNode, entryPoints: ['src/node/imageCheckMain.ts'], outfile: 'dist/imagecheck.js' }),
  esbuild.build({ ...distNode, entryPoints: ['src/cli/cliMain.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...distNode, entryPoints: ['src/cli/demo.ts'], outfile: 'dist/demo.js' }),
  // `npm start`: the launcher (outside the namespace) and the demo host (inside); not in the .vsix.
  esbuild.build({
    ...distNode,
    entryPoints: { start: 'tools/devhost/start.ts', 'demo-host': 'tools/devhost/demoHost.ts' },
    outdir: 'dist',
  }),
  esbuild.build({
    ...common,
    entryPoints: testEntries('bench'),
    outdir: 'out/bench',
    outbase: 'bench',
    platform: 'node',
    format: 'cjs',
    external: [...nodeExternal, 'playwright-core'],
  }),
  esbuild.build({
    ...common,
    entryPoints: testEntries('test'),
    outdir: 'out/test',
    outbase: 'test',
    platform: 'node',
    format: 'cjs',
    external: [...nodeExternal, 'mocha', 'playwright-core', '@vscode/test-electron', 'typescript'],
  }),
]);
chmodSync('dist/cli.js', 0o755);
// libwebp (wasm) for the image checker: read from dist/ with fs and instantiated there, never fetched.
copyFileSync('node_modules/@jsquash/webp/codec/dec/webp_dec.wasm', 'dist/webp_dec.wasm');
