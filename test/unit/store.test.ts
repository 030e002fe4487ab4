// The encrypted store on a real file system: keys and passphrases, the profile and state
// blobs, conversation logs with torn tails and damage, retention, deletion, locking.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastKdf } from '../../src/core/store/crypto';
import { StoreError } from '../../src/core/store/storeErrors';
import type { HistoryRecord } from '../../src/core/store/records';
import { sodium } from '../../src/core/store/sodium';
import { Store } from '../../src/core/store/store';
import type { ChatMessage } from '../../src/protocol/webview';
import { prunableCounts, searchHistory } from '../../src/core/store/storeQueries';

const PEER = 'A'.repeat(64);
const PEER2 = 'B'.repeat(64);

function msg(i: number, over: Partial<ChatMessage> = {}): HistoryRecord {
  return { t: 'msg', m: { id: `m${i}`, dir: 'in', kind: 'normal', text: `hello ${i}`, ts: 1_000_000 + i, ...over } };
}

function dirHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(n).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

async function assertStoreError(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(e instanceof StoreError, `expected a StoreError, got ${String(e)}`);
    assert.equal(e.code, code);
    return;
  }
  assert.fail(`expected StoreError ${code}`);
}

describe('encrypted store', () => {
  let dir: string;
  let kdf: ReturnType<typeof fastKdf>;
  before(async () => {
    kdf = fastKdf(await sodium());
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'toxync-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const create = (passphrase: string | null = 'pw one', keychain = false) => Store.create(dir, { passphrase, keychain, kdf });

  it('round-trips the profile, the state and history through a passphrase', async () => {
    const s = await create();
    s.writeProfile(new Uint8Array([1, 2, 3]));
    s.updateState((d) => d.aliases.push({ key: PEER, alias: 'Alice' }));
    s.append(PEER, [msg(1), msg(2, { dir: 'out', state: 'queued' })]);
    s.setState(PEER, 'm2', 'delivered');
    s.close();
    const t = await Store.open(dir, { passphrase: 'pw one' });
    assert.deepEqual([...t.readProfile()!], [1, 2, 3]);
    assert.equal(t.state.aliases[0]?.alias, 'Alice');
    const conv = t.conversation(PEER)!;
    assert.deepEqual(
      conv.messages.map((m) => [m.id, m.state]),
      [
        ['m1', undefined],
        ['m2', 'delivered'],
      ],
    );
    t.close();
  });

  it('opens with the data key (SecretStorage) and refuses a key of another store', async () => {
    const s = await create(null, true);
    const key = s.exportKey();
    s.close();
    const t = await Store.open(dir, { key });
    t.close();
    const other = mkdtempSync(join(tmpdir(), 'toxync-store-'));
    try {
      const o = await Store.create(other, { passphrase: null, keychain: true, kdf });
      const okey = o.exportKey();
      o.close();
      await assertStoreError(Store.open(dir, { key: okey }), 'WRONG_KEY');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a wrong passphrase is a clear error and touches nothing', async () => {
    const s = await create();
    s.append(PEER, [msg(1)]);
    s.close();
    const before = dirHash(dir);
    await assertStoreError(Store.open(dir, { passphrase: 'pw two' }), 'WRONG_PASSPHRASE');
    assert.equal(dirHash(dir), before);
  });

  it('changing the passphrase re-wraps the key without re-encrypting data', async () => {
    const s = await create();
    s.writeProfile(new Uint8Array(100));
    s.append(PEER, [msg(1)]);
    const profileBefore = readFileSync(join(dir, 'profile.bin'));
    await s.setKeyHolders('pw new', false, kdf);
    s.close();
    assert.deepEqual(readFileSync(join(dir, 'profile.bin')), profileBefore);
    await assertStoreError(Store.open(dir, { passphrase: 'pw one' }), 'WRONG_PASSPHRASE');
    const t = await Store.open(dir, { passphrase: 'pw new' });
    assert.equal(t.conversation(PEER)?.messages.length, 1);
    t.close();
  });

  it('refuses a store without any way to reach its key', async () => {
    await assertStoreError(create(null, false), 'NO_KEY');
  });

  it('names nobody on disk: random history file names, no plaintext', async () => {
    const s = await create();
    s.append(PEER, [msg(1, { text: 'very secret words' })]);
    s.updateState((d) => d.aliases.push({ key: PEER2, alias: 'Bobby Tables' }));
    s.close();
    const names = readdirSync(join(dir, 'h'));
    assert.equal(names.length, 1);
    assert.match(names[0]!, /^[0-9a-f]{32}\.log$/);
    for (const n of [...readdirSync(dir), ...names.map((x) => join('h', x))]) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) continue;
      const bytes = readFileSync(p).toString('latin1');
      for (const needle of ['very secret', 'Bobby', PEER.slice(0, 16), PEER2.slice(0, 16), 'hello'])
        assert.ok(!bytes.includes(needle), `${n} contains ${needle}`);
    }
  });

  it('drops a torn last record (crash mid-write) and keeps appending after it', async () => {
    const s = await create();
    s.append(PEER, [msg(1), msg(2)]);
    s.close();
    const [name] = readdirSync(join(dir, 'h'));
    const path = join(dir, 'h', name!);
    appendFileSync(path, Buffer.from([200, 0, 0, 0, 1, 2, 3])); // a length, then too few bytes
    let t = await Store.open(dir, { passphrase: 'pw one' });
    assert.equal(t.report.tornTails, 1);
    assert.equal(t.report.damaged.length, 0);
    t.append(PEER, [msg(3)]);
    t.close();
    t = await Store.open(dir, { passphrase: 'pw one' });
    assert.deepEqual(
      t.conversation(PEER)!.messages.map((m) => m.id),
      ['m1', 'm2', 'm3'],
    );
    assert.equal(t.report.tornTails, 0);
    t.close();
  });

  it('a damaged record in the middle: reported, every other record kept, damaged file kept aside', async () => {
    const s = await create();
    s.append(PEER, [msg(1), msg(2), msg(3), msg(4)]);
    s.close();
    const [name] = readdirSync(join(dir, 'h'));
    const path = join(dir, 'h', name!);
    const bytes = readFileSync(path);
    // Records are 4 + 24 + 64·k + 16 bytes; flip a byte inside the third record (msg 2).
    const rec = (bytes.length - 21) / 5;
    bytes[21 + 2 * rec + 40]! ^= 0xff;
    writeFileSync(path, bytes);
    const t = await Store.open(dir, { passphrase: 'pw one' });
    assert.deepEqual(
      t.conversation(PEER)!.messages.map((m) => m.id),
      ['m1', 'm3', 'm4'],
    );
    assert.equal(t.report.damaged.length, 1);
    assert.equal(t.report.damaged[0]!.skipped, 1);
    assert.ok(existsSync(join(dir, t.report.damaged[0]!.keptAs)));
    t.append(PEER, [msg(5)]);
    t.close();
    const u = await Store.open(dir, { passphrase: 'pw one' });
    assert.deepEqual(
      u.conversation(PEER)!.messages.map((m) => m.id),
      ['m1', 'm3', 'm4', 'm5'],
    );
    assert.equal(u.report.damaged.length, 0);
    u.close();
  });

  it('a nonsense length field: records before it kept, the rest counted as lost', async () => {
    const s = await create();
    s.append(PEER, [msg(1), msg(2), msg(3)]);
    s.close();
    const [name] = readdirSync(join(dir, 'h'));
    const path = join(dir, 'h', name!);
    const bytes = readFileSync(path);
    const rec = (bytes.length - 21) / 4;
    bytes.writeUInt32LE(0xfffffff0, 21 + 2 * rec); // the length of msg 2
    writeFileSync(path, bytes);
    const t = await Store.open(dir, { passphrase: 'pw one' });
    assert.deepEqual(
      t.conversation(PEER)!.messages.map((m) => m.id),
      ['m1'],
    );
    assert.equal(t.report.damaged[0]!.lostBytes, 2 * rec);
    t.close();
  });

  it('a damaged state file is kept aside and reported, never silently replaced', async () => {
    const s = await create();
    s.writeProfile(new Uint8Array([9]));
    s.updateState((d) => d.blocked.push(PEER));
    s.close();
    const p = join(dir, 'state.bin');
    const b = readFileSync(p);
    b[b.length - 1]! ^= 1;
    writeFileSync(p, b);
    const t = await Store.open(dir, { passphrase: 'pw one' });
    assert.ok(t.report.stateDamagedKeptAs);
    assert.ok(existsSync(join(dir, t.report.stateDamagedKeptAs!)));
    assert.deepEqual(t.state.blocked, []);
    assert.deepEqual([...t.readProfile()!], [9]);
    t.close();
  });

  it('a damaged profile is an error, not an empty profile', async () => {
    const s = await create();
    s.writeProfile(new Uint8Array(50));
    const p = join(dir, 'profile.bin');
    const b = readFileSync(p);
    b[30]! ^= 1;
    writeFileSync(p, b);
    await assertStoreError(() => s.readProfile(), 'CORRUPT');
    s.close();
  });

  it('one process at a time', async () => {
    const s = await create();
    // Our own pid in the lock file counts as stale (a crashed session of this process);
    // another live process holds it:
    s.close();
    writeFileSync(join(dir, 'lock'), String(process.ppid));
    await assertStoreError(Store.open(dir, { passphrase: 'pw one' }), 'BUSY');
    rmSync(join(dir, 'lock'));
    const t = await Store.open(dir, { passphrase: 'pw one' });
    t.close();
  });

  it('retention drops old messages but keeps undelivered outgoing ones', async () => {
    const s = await create();
    s.append(PEER, [msg(1, { ts: 10 }), msg(2, { ts: 20, dir: 'out', state: 'queued' }), msg(3, { ts: 5000 })]);
    s.append(PEER2, [msg(4, { ts: 10 })]);
    assert.deepEqual(
      [...prunableCounts(s.conversations(), 1000).values()].reduce((a, b) => a + b, 0),
      2,
    ); // counted first, nothing dropped
    assert.equal(s.prune(1000), 2);
    s.close();
    const t = await Store.open(dir, { passphrase: 'pw one' });
    assert.deepEqual(
      t.conversation(PEER)!.messages.map((m) => m.id),
      ['m2', 'm3'],
    );
    assert.equal(t.conversation(PEER2), undefined);
    assert.equal(readdirSync(join(dir, 'h')).length, 1);
    t.close();
  });

  it('deleting a conversation removes its file; search finds text across conversations', async () => {
    const s = await create();
    s.append(PEER, [msg(1, { text: 'Deploy at NOON' })]);
    s.append(PEER2, [msg(2, { text: 'lunch at noon?', ts: 2_000_000 })]);
    assert.deepEqual(
      searchHistory(s.conversations(), 'noon').map((h) => h.message.id),
      ['m2', 'm1'],
    );
    s.deleteConversation(PEER);
    assert.equal(readdirSync(join(dir, 'h')).length, 1);
    assert.deepEqual(
      searchHistory(s.conversations(), 'noon').map((h) => h.message.id),
      ['m2'],
    );
    s.close();
  });

  it('close() wipes the key and refuses further use', async () => {
    const s = await create();
    const copy = s.exportKey();
    assert.ok(copy.some((b) => b !== 0));
    s.close();
    await assertStoreError(() => s.exportKey(), 'LOCKED');
    await assertStoreError(() => s.append(PEER, [msg(1)]), 'LOCKED');
    s.close(); // idempotent
  });
});
