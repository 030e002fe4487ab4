// Runs INSIDE VS Code's extension host (code-server's, see test/codeserver/exthost.test.ts), against
// the extension as installed from the packaged .vsix, on a local Tox network whose seed the
// harness started: activation, commands, settings, the status bar, the supervisor's restart
// after the Tox node process is killed, and the Tox ID on the clipboard.

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseToxId } from '../../src/sys/toxAddress';
import type { ToxyncTestApi } from '../../src/extension/testApi';
import { cmdline, descendants } from '../../tools/devhost/procs';
import { until } from '../helpers/wait';

const ID = 'toxync.toxync';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function extension(): vscode.Extension<ToxyncTestApi | undefined> {
  const ext = vscode.extensions.getExtension<ToxyncTestApi | undefined>(ID);
  assert.ok(ext, `${ID} is not installed`);
  return ext;
}

async function api(): Promise<ToxyncTestApi> {
  const a = await extension().activate();
  assert.ok(a, 'activate() returned no test API: is the extension running in test mode?');
  return a;
}

/** The Tox node process(es) forked by this extension host. */
function toxNodes(): number[] {
  return descendants(process.pid).filter((p) => cmdline(p).includes('toxnode.js'));
}

describe('toxync in a real VS Code extension host', () => {
  it('is the packaged extension, and activates', async () => {
    const ext = extension();
    const expected = process.env.TOXYNC_EXPECT_EXTENSION_PATH;
    if (expected) assert.equal(ext.extensionPath, expected);
    // The .vsix carries bundles, never sources or tests.
    assert.ok(existsSync(join(ext.extensionPath, 'dist', 'extension.js')));
    assert.ok(!existsSync(join(ext.extensionPath, 'src')), 'the installed extension has a src/ folder');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('derives a passphrase key in a worker thread from the installed bundles (dist/kdfWorker.js, dist/sodium.js)', async () => {
    const ext = extension();
    for (const f of ['kdfWorker.js', 'sodium.js']) assert.ok(existsSync(join(ext.extensionPath, 'dist', f)), `dist/${f} is not installed`);
    assert.equal(await (await api()).passphraseKeyBytes(), 32);
  });

  it('registers every command it contributes', async () => {
    const pkg = extension().packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 20, `only ${contributed.length} contributed commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
  });

  it('reads its settings: contributed defaults, and the machine settings the host wrote', async () => {
    const cfg = vscode.workspace.getConfiguration('toxync');
    assert.equal(cfg.inspect<boolean>('network.localDiscovery')?.defaultValue, false);
    assert.equal(cfg.inspect<string>('proxy.type')?.defaultValue, 'none');
    assert.equal(cfg.get('network.localDiscovery'), false);
    const nodesFile = process.env.TOXYNC_EXPECT_NODES_FILE;
    if (nodesFile) assert.equal(cfg.get('nodesFile'), nodesFile);
    // A user setting round-trips through VS Code's configuration service.
    await cfg.update('notifications.showContent', false, vscode.ConfigurationTarget.Global);
    assert.equal(vscode.workspace.getConfiguration('toxync').get('notifications.showContent'), false);
    await cfg.update('notifications.showContent', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(vscode.workspace.getConfiguration('toxync').get('notifications.showContent'), true);
  });

  it('goes online on the local network, and the status bar says so', async () => {
    const a = await api();
    await until('the node to come online', 60_000, () => a.serviceState().startsWith('online'), 50);
    assert.match(a.statusBarText(), /Tox \(direct\): online/);
    assert.equal(toxNodes().length, 1, 'expected exactly one Tox node process');
  });

  it('keeps the data key in SecretStorage and nothing identifying readable on disk', async () => {
    const a = await api();
    assert.equal(await a.keyInSecretStorage(), true, 'toxync.keyStorage is "keychain" here: the key must be in SecretStorage');
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('toxync.copyId');
    const id = (await vscode.env.clipboard.readText()).trim();
    const needles = [id, id.toLowerCase(), id.slice(0, 64), id.slice(0, 64).toLowerCase()]
      .map((s) => Buffer.from(s))
      .concat([Buffer.from(id.slice(0, 64), 'hex')]);
    const files = walk(a.storeDir());
    assert.ok(
      files.some((f) => f.endsWith('profile.bin')),
      `no encrypted profile in ${a.storeDir()}`,
    );
    for (const f of files) for (const n of needles) assert.ok(!readFileSync(f).includes(n), `${f} contains the Tox ID or public key`);
  });

  let myId = '';
  it('Copy My Tox ID puts a valid Tox ID on the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('toxync.copyId');
    myId = (await vscode.env.clipboard.readText()).trim();
    assert.doesNotThrow(() => parseToxId(myId), `clipboard holds "${myId.slice(0, 80)}"`);
  });

  it('restarts the Tox node after it is killed, shows it in the status bar, and keeps the Tox ID', async () => {
    const a = await api();
    const [before] = toxNodes();
    assert.ok(before !== undefined, 'no Tox node process found');
    const seen: string[] = [];
    const watch = setInterval(() => {
      const t = a.statusBarText();
      if (seen[seen.length - 1] !== t) seen.push(t);
    }, 10);
    try {
      process.kill(before, 'SIGKILL');
      await until('the restart to show', 10_000, () => seen.some((t) => /restarting/.test(t)), 50);
      await until('the node to come back online', 60_000, () => a.serviceState().startsWith('online'), 50);
    } finally {
      clearInterval(watch);
    }
    console.log(`status bar during the restart: ${seen.join(' → ')}`);
    const after = toxNodes();
    assert.equal(after.length, 1);
    assert.notEqual(after[0], before, 'the node process was not replaced');
    // The new node loaded the same profile: same Tox ID.
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('toxync.copyId');
    assert.equal((await vscode.env.clipboard.readText()).trim(), myId);
  });
});
