// The same extension-host tests (index.ts + *.test.ts here) in desktop VS Code, through
// @vscode/test-electron, for machines that have VS Code installed. Not part of `npm test`
// (CI has no VS Code and cannot download one; it uses code-server, test/codeserver/exthost.test.ts).
// It never downloads VS Code: the executable comes from VSCODE_EXECUTABLE. Like every test
// that starts a Tox node, it runs only in a loopback-only namespace (scripts/test-electron.sh).
// Usage: VSCODE_EXECUTABLE=/usr/share/code/code bash scripts/test-electron.sh

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { packageRoot } from '../../src/sys/packageRoot';
import { CliNode } from '../../tools/devhost/cliNode';
import { localNetworkSettings, localNodesList, QUIET_WORKBENCH, startupSettings } from '../../tools/devhost/hostSettings';

async function main(): Promise<number> {
  const exe = process.env.VSCODE_EXECUTABLE;
  if (!exe) throw new Error('set VSCODE_EXECUTABLE to the VS Code executable (e.g. /usr/share/code/code); nothing is downloaded');
  const work = mkdtempSync(join(tmpdir(), 'toxync-electron-'));
  const seed = new CliNode('seed', join(work, 'seed'), [], (l) => process.stderr.write(`${l}\n`));
  try {
    const s = await seed.ready;
    const nodesFile = join(work, 'local-nodes.json');
    writeFileSync(nodesFile, localNodesList(s.udp_port!, s.dht_id));
    const userData = join(work, 'ud');
    mkdirSync(join(userData, 'User'), { recursive: true });
    // Desktop VS Code reads machine-scoped settings from the User file.
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({ ...QUIET_WORKBENCH, ...startupSettings(), ...localNetworkSettings(nodesFile) }, null, 2),
    );
    const workspace = join(work, 'ws');
    mkdirSync(workspace);
    return await runTests({
      vscodeExecutablePath: exe,
      // The built repository (npm run build), as in development.
      extensionDevelopmentPath: packageRoot(),
      extensionTestsPath: join(packageRoot(), 'out', 'test', 'in-exthost', 'index.js'),
      extensionTestsEnv: { TOXYNC_EXPECT_NODES_FILE: nodesFile },
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        join(work, 'ext'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-telemetry',
        '--disable-updates',
      ],
    });
  } finally {
    await seed.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`test-electron: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
