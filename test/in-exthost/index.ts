// The extensionTestsPath entry: VS Code's extension host (code-server's here, desktop VS
// Code's through electronRunner.ts) loads this file and awaits run(). It runs the *.test.js
// files beside it with mocha, prints mocha's spec output and "N passed, N failed" to the
// extension host's console, and, when TOXYNC_EXTTEST_RESULTS names a file, writes every
// result there as JSON for the harness outside (test/codeserver/exthost.test.ts).

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import type { ExtTestResult } from './results';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false });
  for (const f of readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(join(__dirname, f));
  const results: ExtTestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), ok: true, ms: t.duration ?? 0 }));
    runner.on('fail', (t, err: unknown) =>
      results.push({
        title: t.fullTitle(),
        ok: false,
        ms: t.duration ?? 0,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
    );
  });
  const passed = results.filter((r) => r.ok).length;
  console.log(`\n${passed} passed, ${results.length - passed} failed`);
  const out = process.env.TOXYNC_EXTTEST_RESULTS;
  if (out) writeFileSync(out, JSON.stringify(results, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
