// Encryption at rest with real Tox nodes: three hosts that keep everything in encrypted
// stores, as the extension does. After a scripted session (friends, 1,000 messages each way,
// names, aliases, a received file offer) every byte written to disk is scanned for plaintext.
// Then: history and aliases come back after a restart, the outbox survives a lock/unlock and
// goes out in order, a re-sent message is shown once, and Lock really forgets.

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../../src/core/store/storeErrors';
import { Store } from '../../src/core/store/store';
import { HostUnderTest } from '../helpers/chat';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, tempDir } from '../helpers/peer';
import { searchHistory } from '../../src/core/store/storeQueries';

const N = 1000;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

describe('encrypted at rest, with real Tox nodes', function () {
  this.timeout(600_000);
  let seed: CliPeer;
  let alice: HostUnderTest;
  let bob: HostUnderTest;
  let carol: HostUnderTest;
  // Captured once: after a Lock the model forgets even its own identity.
  const keys = new Map<HostUnderTest, string>();
  const key = (h: HostUnderTest) => keys.get(h) ?? h.model.self!.public_key.toUpperCase();
  const tag = randomBytes(4).toString('hex');
  const texts: string[] = [];

  async function befriend(a: HostUnderTest, b: HostUnderTest): Promise<void> {
    await a.model.addFriend(b.model.self!.address, `hi ${tag}`);
    await b.until(() => b.model.requests.has(key(a)), 60_000, 'request');
    await b.model.acceptRequest(key(a));
    await a.until(() => a.model.contacts.get(key(b))?.connection !== 'none' && a.model.contacts.get(key(b)) !== undefined, 60_000, 'online');
    await b.until(() => b.model.contacts.get(key(a))?.connection !== 'none' && b.model.contacts.get(key(a)) !== undefined, 60_000, 'online');
  }

  const delivered = (h: HostUnderTest, peer: string) => h.model.messages(peer).filter((m) => m.dir === 'out' && m.state === 'delivered').length;
  const received = (h: HostUnderTest, peer: string) => h.model.messages(peer).filter((m) => m.dir === 'in' && m.kind !== 'file').length;

  before(async () => {
    assertLoopbackOnly();
    // The seed is a TCP relay too: the outbox test restarts both Alice and Bob (see createStored).
    const tcpPort = 40000 + Math.floor(Math.random() * 20000);
    seed = CliPeer.start('seed', ['--tcp-port', String(tcpPort)]);
    const r = await seed.ready();
    const boot = { host: '127.0.0.1', port: r.udp_port!, public_key: r.dht_id };
    const relay = { host: '127.0.0.1', port: tcpPort, public_key: r.dht_id };
    [alice, bob, carol] = await Promise.all([
      HostUnderTest.createStored('alice', boot, relay),
      HostUnderTest.createStored('bob', boot, relay),
      HostUnderTest.createStored('carol', boot, relay),
    ]);
    for (const h of [alice, bob, carol]) h.start();
    for (const h of [alice, bob, carol]) await h.until(() => h.model.self !== null, 30_000, 'ready');
    for (const h of [alice, bob, carol]) keys.set(h, h.model.self!.public_key.toUpperCase());
  });

  after(async () => {
    for (const h of [alice, bob, carol]) {
      await h?.lock().catch(() => undefined);
      h?.model.dispose();
    }
    await seed?.stop();
    seed?.cleanup();
  });

  it('a scripted session leaves no plaintext anywhere on disk', async () => {
    await Promise.all([
      alice.sup.request({ cmd: 'set_name', name: `Alice Liddell ${tag}` }),
      bob.sup.request({ cmd: 'set_name', name: `Bob Builder ${tag}` }),
      carol.sup.request({ cmd: 'set_name', name: `Carol Danvers ${tag}` }),
      bob.sup.request({ cmd: 'set_status_message', text: `building things ${tag}` }),
    ]);
    await befriend(alice, bob);
    await befriend(alice, carol);
    await alice.model.setAlias(key(bob), `Bobby Tables ${tag}`);
    await alice.model.setAlias(key(carol), `Captain ${tag}`);
    for (let i = 0; i < N; i++) {
      const a = `from alice ${i} ${tag} ${randomBytes(6).toString('hex')}`;
      const b = `from bob ${i} ${tag} ${randomBytes(6).toString('hex')}`;
      texts.push(a, b);
      alice.model.send(key(bob), a);
      bob.model.send(key(alice), b);
    }
    const c = `a word with carol ${tag}`;
    texts.push(c);
    alice.model.send(key(carol), c);
    await alice.until(() => delivered(alice, key(bob)) === N && delivered(alice, key(carol)) === 1, 240_000, 'alice → bob delivered');
    await bob.until(() => delivered(bob, key(alice)) === N, 240_000, 'bob → alice delivered');
    await alice.until(() => received(alice, key(bob)) === N, 60_000, 'alice received');
    // A file offer from Bob: its record (the file name) is stored with the history.
    const fileName = `secret-plans-${tag}.txt`;
    const src = join(tempDir('file'), 'x');
    writeFileSync(src, 'x'.repeat(1000));
    const bobSeesAlice = bob.model.contacts.get(key(alice))!.friend;
    await bob.sup.request({ cmd: 'send_file', friend: bobSeesAlice, path: src, name: fileName });
    await alice.until(() => alice.model.messages(key(bob)).some((m) => m.kind === 'file' && m.text === fileName), 60_000, 'file offer');

    const needles: Buffer[] = [];
    const addText = (s: string) => needles.push(Buffer.from(s, 'utf8'));
    for (const t of texts) addText(t);
    for (const h of [alice, bob, carol]) {
      const k = key(h);
      const addr = h.model.self!.address;
      addText(k);
      addText(k.toLowerCase());
      needles.push(Buffer.from(k, 'hex'));
      addText(addr);
      addText(addr.toLowerCase());
      needles.push(Buffer.from(addr, 'hex'));
    }
    for (const s of [
      `Alice Liddell ${tag}`,
      `Bob Builder ${tag}`,
      `Carol Danvers ${tag}`,
      `Bobby Tables ${tag}`,
      `Captain ${tag}`,
      `building things ${tag}`,
      fileName,
      `hi ${tag}`,
      tag,
    ])
      addText(s);

    // Stop everything first: the last savedata and every append are on disk.
    for (const h of [alice, bob, carol]) await h.lock();
    let bytes = 0;
    let files = 0;
    const hits: string[] = [];
    for (const h of [alice, bob, carol]) {
      for (const f of filesUnder(h.config.profile_dir)) {
        const data = readFileSync(f);
        bytes += data.length;
        files++;
        for (const n of needles) if (data.includes(n)) hits.push(`${f}: ${n.toString('hex').slice(0, 24)}`);
      }
    }
    process.stdout.write(`      scanned ${bytes} bytes in ${files} files for ${needles.length} needles: ${hits.length} hits\n`);
    assert.ok(bytes > N * 2 * 100, 'the history really is on disk');
    assert.deepEqual(hits, []);
  });

  it('history and aliases come back after a restart (unlock)', async () => {
    await alice.unlock();
    const bobKey = alice.binding!.store.state.aliases.find((a) => a.alias === `Bobby Tables ${tag}`)?.key;
    assert.ok(bobKey, 'alias restored');
    const msgs = alice.model.messages(bobKey);
    assert.equal(msgs.filter((m) => m.dir === 'out').length, N);
    assert.equal(msgs.filter((m) => m.dir === 'in' && m.kind !== 'file').length, N);
    assert.equal(msgs.filter((m) => m.kind === 'file').length, 1, 'the file offer record');
    assert.ok(
      msgs.filter((m) => m.dir === 'out').every((m) => m.state === 'delivered'),
      'delivery states restored',
    );
    const outs = msgs.filter((m) => m.dir === 'out').map((m) => m.text);
    assert.deepEqual(
      outs,
      texts.filter((t) => t.startsWith('from alice')),
    );
    assert.ok(searchHistory(alice.binding!.store.conversations(), `from bob 999 ${tag}`).length === 1, 'search finds restored history');
  });

  it('the outbox survives lock/unlock and a restart, and goes out in order when the friend comes online', async () => {
    const bobKey = alice.binding!.store.state.aliases.find((a) => a.alias === `Bobby Tables ${tag}`)!.key;
    // Bob is locked (offline). Alice's node runs; she writes 5 messages, then locks and unlocks.
    alice.start();
    await alice.until(() => alice.model.contacts.has(bobKey), 30_000, 'alice ready');
    const queued = [1, 2, 3, 4, 5].map((i) => `offline ${i} ${tag}`);
    for (const q of queued) alice.model.send(bobKey, q);
    assert.ok(
      alice.model
        .messages(bobKey)
        .slice(-5)
        .every((m) => m.state === 'queued'),
    );
    await alice.lock();
    await alice.unlock();
    assert.deepEqual(
      alice.model
        .messages(bobKey)
        .slice(-5)
        .map((m) => [m.text, m.state]),
      queued.map((q) => [q, 'queued']),
    );
    alice.start();
    await bob.unlock();
    bob.start();
    const aliceKey = key(alice);
    await bob.until(() => bob.model.messages(aliceKey).filter((m) => m.text.startsWith('offline ')).length === 5, 120_000, 'bob gets the queued messages');
    assert.deepEqual(
      bob.model
        .messages(aliceKey)
        .filter((m) => m.text.startsWith('offline '))
        .map((m) => m.text),
      queued,
    );
    await alice.until(
      () =>
        alice.model
          .messages(bobKey)
          .slice(-5)
          .every((m) => m.state === 'delivered'),
      60_000,
      'delivered',
    );
    assert.equal(
      alice
        .binding!.store.conversation(bobKey)!
        .messages.slice(-5)
        .filter((m) => m.state === 'delivered').length,
      5,
      'delivery is stored',
    );
  });

  it('a re-sent message (same dedup id) is shown once; a reused id with other text is not hidden', async () => {
    const aliceKey = key(alice);
    const bobKey = key(bob);
    const friend = alice.model.contacts.get(bobKey)!.friend;
    const dedup = randomBytes(16).toString('hex');
    const before = bob.model.messages(aliceKey).length;
    await alice.sup.request({ cmd: 'send', friend, text: `resent ${tag}`, dedup });
    await alice.sup.request({ cmd: 'send', friend, text: `resent ${tag}`, dedup });
    await alice.sup.request({ cmd: 'send', friend, text: `other text ${tag}`, dedup });
    await alice.sup.request({ cmd: 'send', friend, text: `marker ${tag}` });
    await bob.until(() => bob.model.messages(aliceKey).some((m) => m.text === `marker ${tag}`), 60_000, 'marker');
    const got = bob.model
      .messages(aliceKey)
      .slice(before)
      .filter((m) => m.dir === 'in')
      .map((m) => m.text);
    assert.deepEqual(got, [`resent ${tag}`, `other text ${tag}`, `marker ${tag}`]);
  });

  it('Lock forgets: node stopped, key wiped, nothing readable until unlock', async () => {
    const store = alice.binding!.store;
    const pid = alice.sup.pid;
    await alice.lock();
    assert.equal(alice.sup.state, 'stopped');
    assert.ok(pid && !alive(pid), 'the node process (which held the Tox secret key) is gone');
    assert.throws(
      () => store.exportKey(),
      (e: unknown) => e instanceof StoreError && e.code === 'LOCKED',
    );
    assert.equal(alice.model.contacts.size, 0);
    assert.equal(alice.model.conversationKeys().length, 0);
    await assert.rejects(
      Store.open(alice.config.profile_dir, { passphrase: 'not it' }),
      (e: unknown) => e instanceof StoreError && e.code === 'WRONG_PASSPHRASE',
    );
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
