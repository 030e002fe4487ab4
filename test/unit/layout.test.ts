// The folder tree says where code runs; this test keeps it true. It reads every import in src/
// with the TypeScript compiler's own pre-parser (not a regex) and fails on an import that points
// up the layer order (which is also what makes a cycle between folders impossible), and on
// Node, koffi or vscode reaching the pure folders the webview bundles.

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');
const SRC = join(ROOT, 'src');

/** Each folder may import only from the folders listed for it (and from itself). */
export const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  protocol: ['common', 'gif'],
  gif: ['common'],
  sys: ['common'],
  tox: ['common', 'protocol', 'sys'],
  store: ['common', 'protocol', 'sys'],
  node: ['common', 'protocol', 'sys', 'tox', 'store', 'gif'],
  core: ['common', 'protocol', 'sys', 'store'],
  pager: ['common', 'protocol', 'sys', 'store', 'core'],
  cli: ['common', 'protocol', 'sys', 'tox', 'store', 'node', 'core', 'pager', 'gif'],
  extension: ['common', 'protocol', 'sys', 'store', 'core', 'gif'],
  webview: ['common', 'protocol', 'gif'],
};
/** Packages a pure folder must never import: they tie code to a process. */
const PROCESS_BOUND = /^(node:|koffi$|vscode$|fs$|path$|os$|child_process$|crypto$|worker_threads$|libsodium)/;
const PURE = new Set(['common', 'protocol', 'gif', 'webview']);

export interface Violation {
  file: string;
  spec: string;
  why: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (n.endsWith('.ts')) out.push(p);
  }
  return out;
}

const folderOf = (file: string, src: string) => relative(src, file).split(sep)[0]!;

export function checkImports(files: { path: string; text: string }[], src: string): Violation[] {
  const bad: Violation[] = [];
  for (const { path, text } of files) {
    const from = folderOf(path, src);
    const allowed = ALLOWED[from];
    if (!allowed) {
      bad.push({ file: relative(src, path), spec: '', why: `folder "${from}" has no place in the layer order` });
      continue;
    }
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const spec = ref.fileName;
      if (!spec.startsWith('.')) {
        if (PURE.has(from) && PROCESS_BOUND.test(spec) && !(from === 'webview' && spec.startsWith('@vscode-elements/')))
          bad.push({ file: relative(src, path), spec, why: `"${from}" must stay free of Node, koffi and vscode` });
        continue;
      }
      const to = folderOf(resolve(dirname(path), spec), src);
      if (to !== from && !allowed.includes(to)) bad.push({ file: relative(src, path), spec, why: `"${from}" may not import "${to}"` });
    }
  }
  return bad;
}

describe('source layout: where code runs', () => {
  it('every import follows the layer order and the pure folders stay pure', () => {
    const files = walk(SRC).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
    assert.ok(files.length > 100, 'the walk found the sources');
    const bad = checkImports(files, SRC);
    assert.deepEqual(
      bad.map((v) => `${v.file}: ${v.spec} — ${v.why}`),
      [],
    );
  });

  it('positive control: an upward import, a cycle and koffi in common/ are each reported', () => {
    const f = (p: string, text: string) => ({ path: join(SRC, p), text });
    const bad = checkImports(
      [
        f('common/a.ts', "import { x } from '../extension/b';"),
        f('store/c.ts', "import { y } from '../node/d';"),
        f('node/d.ts', "import { z } from '../store/c';"),
        f('common/e.ts', "import koffi from 'koffi';\nimport { readFileSync } from 'node:fs';"),
        f('webview/g.ts', "import '@vscode-elements/elements/dist/vscode-button/index.js';"),
      ],
      SRC,
    );
    assert.deepEqual(
      bad.map((v) => `${v.file} ${v.spec}`),
      ['common/a.ts ../extension/b', 'store/c.ts ../node/d', 'common/e.ts koffi', 'common/e.ts node:fs'],
    );
  });
});
