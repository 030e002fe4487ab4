// Child process for bench/footprint.ts and test/unit/bundle.test.ts: how long `require('dist/extension.js')` and then
// `activate()` take in a fresh process, as the extension host does it. `vscode` is a stand-in
// that answers every property, call and `new` with another stand-in (the real API exists only
// inside VS Code); its top-level names are read from the bundle, because the bundle copies the
// module's own properties at load (esbuild's ESM interop). The context is a plain object with a fresh, empty global storage folder,
// so activation finds no profile and starts no Tox node — the usual first start. Prints one
// line of JSON, with the dist/ files loaded by then. Usage:
//   node out/test/helpers/extLoad.js DIST_DIR [ALSO.js...]   (ALSO: dist files required after activate)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module = require('node:module');
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ExtLoad {
  requireMs: number;
  activateMs: number;
  /** Files of DIST_DIR in require.cache after activation, sorted. */
  loaded: string[];
}

/** Anything: callable, constructible, every property another stand-in, never a thenable. */
function standIn(): unknown {
  const props = new Map<PropertyKey, unknown>();
  const target = function () {
    /* stand-in */
  };
  return new Proxy(target, {
    get(_t, p) {
      if (p === 'then' || p === Symbol.iterator || p === Symbol.asyncIterator) return undefined;
      if (p === Symbol.toPrimitive) return () => 0;
      if (!props.has(p)) props.set(p, standIn());
      return props.get(p);
    },
    set(_t, p, v) {
      props.set(p, v);
      return true;
    },
    apply: () => standIn(),
    construct: (_t, _args, newTarget: { prototype: object }) => Object.create(newTarget.prototype) as object,
  });
}

function main(): void {
  const dist = process.argv[2];
  if (!dist) throw new Error('usage: extLoad.js DIST_DIR');
  const names = new Set([...readFileSync(join(dist, 'extension.js'), 'utf8').matchAll(/\bvscode\d*\.([A-Za-z_$][\w$]*)/g)].map((x) => x[1]!));
  const vscode = Object.fromEntries([...names].map((n) => [n, standIn()]));
  const m = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const load = m._load;
  m._load = (req, ...rest) => (req === 'vscode' ? vscode : load(req, ...rest));
  const storage = mkdtempSync(join(tmpdir(), 'toxync-bench-ext-'));
  const subscriptions: { dispose(): unknown }[] = [];
  const context = {
    subscriptions,
    extensionMode: 1, // Production
    extensionPath: join(dist, '..'),
    extensionUri: standIn(),
    globalStorageUri: { fsPath: storage, path: storage, scheme: 'file' },
    globalState: { get: () => undefined, update: () => Promise.resolve(), keys: () => [] },
    secrets: {
      get: () => Promise.resolve(undefined),
      store: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      onDidChange: standIn(),
    },
  };
  const t0 = performance.now();
  const ext = require(join(dist, 'extension.js')) as { activate(c: unknown): unknown };
  const t1 = performance.now();
  ext.activate(context);
  const t2 = performance.now();
  for (const also of process.argv.slice(3)) require(join(dist, also));
  const loaded = Object.keys(require.cache)
    .filter((k) => k.startsWith(dist + '/'))
    .map((k) => k.slice(dist.length + 1))
    .sort();
  for (const d of subscriptions.reverse()) {
    try {
      d.dispose();
    } catch {
      /* a stand-in's dispose */
    }
  }
  rmSync(storage, { recursive: true, force: true });
  const result: ExtLoad = { requireMs: t1 - t0, activateMs: t2 - t1, loaded };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
