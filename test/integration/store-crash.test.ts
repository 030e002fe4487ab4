// Crash safety of the encrypted store: a writer process is killed with SIGKILL at many
// different moments during heavy appends. After every kill the store must open, and every
// message the writer had acknowledged as stored must be there, in order, unaltered.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastKdf } from '../../src/core/store/crypto';
import { sodium } from '../../src/core/store/sodium';
import { Store } from '../../src/core/store/store';
import { seeded } from '../helpers/random';

const WRITER = join(__dirname, '..', 'helpers', 'store-writer.js');
const KILLS = 60;

function runAndKill(dir: string, first: number, afterMs: number): Promise<{ acked: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = first - 1;
    let buf = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const m = /^ack (\d+)$/.exec(buf.slice(0, i));
        if (m) acked = Number(m[1]);
        buf = buf.slice(i + 1);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Kill only once it writes (startup includes loading the store), then at a random moment.
    let timer: NodeJS.Timeout | null = null;
    child.stdout.once('data', () => (timer = setTimeout(() => child.kill('SIGKILL'), afterMs)));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own: ${err}`));
      resolve({ acked, signal });
    });
  });
}

describe('store crash safety (kill -9 during writes)', function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'toxync-crash-'));
    const s = await Store.create(dir, { passphrase: 'crash test', keychain: false, kdf: fastKdf(await sodium()) });
    s.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`every acknowledged message survives ${KILLS} kills, in order`, async () => {
    const rnd = seeded(0x5eed);
    let next = 0;
    let torn = 0;
    for (let k = 0; k < KILLS; k++) {
      const { acked } = await runAndKill(dir, next, Math.floor(rnd() * 120));
      const s = await Store.open(dir, { passphrase: 'crash test' });
      try {
        torn += s.report.tornTails;
        assert.equal(s.report.damaged.length, 0, 'a crash must not look like damage');
        assert.equal(s.report.stateDamagedKeptAs, null);
        const ids = s
          .conversations()
          .flatMap((c) => c.messages.map((m) => Number(m.id.slice(1))))
          .sort((a, b) => a - b);
        // Contiguous from 0: nothing lost in the middle, nothing reordered within a conversation.
        ids.forEach((id, i) => assert.equal(id, i, `message ${i} missing after kill ${k}`));
        assert.ok(ids.length >= acked + 1, `kill ${k}: acknowledged ${acked + 1}, found ${ids.length}`);
        for (const c of s.conversations()) {
          for (let i = 1; i < c.messages.length; i++) assert.ok(Number(c.messages[i]!.id.slice(1)) > Number(c.messages[i - 1]!.id.slice(1)));
          for (const m of c.messages) assert.equal(m.text, `message ${m.id.slice(1)} ${'x'.repeat(Number(m.id.slice(1)) % 300)}`);
        }
        next = ids.length;
        const profile = s.readProfile();
        if (profile)
          assert.ok(
            profile.every((b) => b === profile[0]),
            'a profile write was torn',
          );
      } finally {
        s.close();
      }
    }
    process.stdout.write(`      ${KILLS} kills, ${next} messages stored, ${torn} torn tails dropped\n`);
    assert.ok(next > KILLS, 'the writer made progress');
  });
});
