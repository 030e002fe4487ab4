// Builds every bundle with esbuild. Type checking is `npm run typecheck` (tsc --noEmit);
// esbuild only strips types, so both run in `npm test`.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Start clean: a bundle left over from a deleted test would otherwise still run.
rmSync('out', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });

const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'node20' };
// koffi carries a native addon per platform: it is loaded from node_modules at run time, never bundled.
const nodeExternal = ['koffi', 'vscode'];

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
  esbuild.build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: nodeExternal }),
  // The webview's own folder is its only localResourceRoot: nothing else is readable from it.
  esbuild.build({ ...common, entryPoints: { webview: 'src/webview/main.ts', style: 'src/webview/style.css' }, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'chrome120' }),
  esbuild.build({ ...common, entryPoints: ['src/tox/node/main.ts'], outfile: 'dist/toxnode.js', platform: 'node', format: 'cjs', external: nodeExternal }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', external: nodeExternal, banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['src/cli/demo.ts'], outfile: 'dist/demo.js', platform: 'node', format: 'cjs', external: nodeExternal }),
  // `npm start`: the launcher (outside the namespace) and the demo host (inside); not in the .vsix.
  esbuild.build({ ...common, entryPoints: { start: 'src/host/start.ts', 'demo-host': 'src/host/demoHost.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', external: nodeExternal }),
  esbuild.build({ ...common, entryPoints: testEntries('bench'), outdir: 'out/bench', outbase: 'bench', platform: 'node', format: 'cjs', external: [...nodeExternal, 'playwright-core'] }),
  esbuild.build({ ...common, entryPoints: testEntries('test'), outdir: 'out/test', outbase: 'test', platform: 'node', format: 'cjs', external: [...nodeExternal, 'mocha', 'playwright-core', '@vscode/test-electron', 'typescript'] }),
]);
chmodSync('dist/cli.js', 0o755);
