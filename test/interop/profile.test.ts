// Profiles move between toxync and toxic in toxencryptsave format ("toxEsave", passphrase):
// a profile toxync exports loads in `toxic -f FILE` with the passphrase and shows the same
// Tox ID; a profile toxic creates encrypted imports into toxync with the same Tox ID.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, cliPath, tempDir } from '../helpers/peer';
import { ToxicPeer } from '../helpers/toxic';

const STORE_PASS = 'toxync store passphrase';
const FILE_PASS = 'shared with toxic 1';

function toxync(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cliPath(), ...args], {
    env: { ...process.env, TOXYNC_PASSPHRASE: STORE_PASS, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('profile export/import with toxic (toxencryptsave)', function () {
  this.timeout(120_000);
  let seed: CliPeer | undefined;
  let boot: { udpPort: number; dhtKey: string };
  const dir = tempDir('profile-interop');
  const passFile = join(dir, 'file-pass');

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const r = await seed.ready();
    boot = { udpPort: r.udp_port!, dhtKey: r.dht_id };
    writeFileSync(passFile, `${FILE_PASS}\n`, { mode: 0o600 });
  });

  after(async () => {
    await seed?.stop();
    seed?.cleanup();
  });

  it('a profile exported by toxync loads in toxic with the same Tox ID', async () => {
    const profile = join(dir, 'a');
    const init = toxync(['init', '--profile', profile]);
    assert.equal(init.code, 0, init.err);
    assert.match(init.out, /^[0-9A-F]{76}$/);
    const file = join(dir, 'exported.tox');
    const exp = toxync(['export', '--profile', profile, '--to', file, '--file-passphrase-file', passFile]);
    assert.equal(exp.code, 0, exp.err);
    assert.equal(readFileSync(file).subarray(0, 8).toString('latin1'), 'toxEsave');
    const toxic = await ToxicPeer.start(boot, { name: 'importer', profileFile: file, password: FILE_PASS, offline: true });
    try {
      assert.equal(await toxic.toxId(), init.out);
    } finally {
      await toxic.stop();
      toxic.cleanup();
    }
  });

  it('a profile created encrypted by toxic imports into toxync with the same Tox ID', async () => {
    const toxic = await ToxicPeer.start(boot, { name: 'creator', password: FILE_PASS, offline: true });
    let id: string;
    const file = join(dir, 'from-toxic.tox');
    try {
      id = await toxic.toxId();
      await toxic.stop(); // /exit saves the data file
      writeFileSync(file, readFileSync(toxic.profilePath));
    } finally {
      toxic.cleanup();
    }
    assert.equal(readFileSync(file).subarray(0, 8).toString('latin1'), 'toxEsave', 'toxic encrypted its profile');
    const profile = join(dir, 'b');
    const wrong = toxync(['import', '--profile', profile, '--from', file], { TOXYNC_PASSPHRASE: 'not the file passphrase' });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.err, /TOX_ERR_DECRYPTION_FAILED/);
    const imp = toxync(['import', '--profile', profile, '--from', file, '--file-passphrase-file', passFile]);
    assert.equal(imp.code, 0, imp.err);
    assert.equal(imp.out, id);
    const again = toxync(['id', '--profile', profile]);
    assert.equal(again.out, id, 'the imported profile is stored (encrypted) and opens with the store passphrase');
    const bad = toxync(['id', '--profile', profile], { TOXYNC_PASSPHRASE: 'wrong' });
    assert.equal(bad.code, 3);
    assert.match(bad.err, /wrong passphrase/);
  });
});
