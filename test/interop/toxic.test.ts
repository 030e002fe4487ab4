// Interoperability with toxic 0.11.1 (the Debian curses Tox client), the reference peer.
//
// Four nodes on loopback, all inside this test's loopback-only network namespace:
//   seed  — a toxync node both sides bootstrap from (toxic's nodes file names only it);
//   alice — a toxync node befriended by toxic (toxic asks, alice accepts);
//   carol — a toxync node that befriends toxic (carol asks, toxic accepts);
//   bob   — toxic, driven through tmux (test/helpers/toxic.ts).

import { strict as assert } from 'node:assert';
import { assertLoopbackOnly } from '../helpers/netns';
import { bootstrapArg, CliPeer } from '../helpers/peer';
import { ToxicPeer } from '../helpers/toxic';

describe('interop with toxic 0.11.1', function () {
  this.timeout(60_000);

  let seed: CliPeer | undefined;
  let alice: CliPeer | undefined;
  let carol: CliPeer | undefined;
  let bob: ToxicPeer | undefined;
  let alice_address = '';
  let alice_pk = '';
  let carol_pk = '';
  let bob_id = '';
  let bob_pk = '';
  let alice_sees_bob = -1; // alice's friend number for bob
  let carol_sees_bob = -1;

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} did not start`);
    return v;
  };

  before(async function () {
    this.timeout(90_000);
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const boot = await bootstrapArg(seed);
    const seedInfo = await seed.ready();
    alice = CliPeer.start('alice', boot);
    carol = CliPeer.start('carol', boot);
    // started side by side; each is kept as soon as it exists so that after() can stop it
    const started = await Promise.allSettled([
      alice.ready(),
      carol.ready(),
      ToxicPeer.start({ udpPort: seedInfo.udp_port!, dhtKey: seedInfo.dht_id }, { name: 'bob' }).then((b) => (bob = b)),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const a = await alice.ready();
    alice_address = a.address;
    alice_pk = a.public_key;
    carol_pk = (await carol.ready()).public_key;
    bob_id = await need(bob, 'toxic').toxId();
    bob_pk = bob_id.slice(0, 64);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bob) {
      const screen = await bob.screen().catch((e: unknown) => `(no screen: ${String(e)})`);
      console.error(`--- toxic's screen after "${this.currentTest.title}":\n${screen}\n---`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.allSettled([bob?.stop(), seed?.stop(), alice?.stop(), carol?.stop()]);
    bob?.cleanup();
    for (const p of [seed, alice, carol]) p?.cleanup();
  });

  describe('a friend request from toxic to toxync', () => {
    // toxic 0.11.1 splits /add's arguments at spaces, so its request message is one word.
    const message = 'grüße-von-toxic';

    it('arrives at toxync as friend_request with exactly the message toxic sent', async () => {
      await need(bob, 'toxic').add(alice_address, message);
      const req = await need(alice, 'alice').event('friend_request', (e) => e.public_key === bob_pk, 30_000);
      assert.equal(req.message, message);
    });

    it('once toxync accepts, each sees the other online', async () => {
      const a = need(alice, 'alice');
      const { friend } = (await a.command({ cmd: 'friend_accept', public_key: bob_pk })) as { friend: number };
      alice_sees_bob = friend;
      const online = await a.event('friend_connection', (e) => e.friend === friend && e.status !== 'none', 30_000);
      assert.equal(online.public_key, bob_pk);
      await need(bob, 'toxic').waitForOnline(alice_pk, 30_000);
    });
  });

  describe('messages between toxync and toxic', () => {
    it('toxync → toxic: non-ASCII text is shown by toxic, and toxync gets a delivery receipt', async () => {
      const a = need(alice, 'alice');
      const text = 'héllo from toxync ✓';
      const { message_ids } = (await a.command({ cmd: 'send', friend: alice_sees_bob, text })) as { message_ids: number[] };
      assert.equal(message_ids.length, 1);
      const receipt = a.event('receipt', (e) => e.friend === alice_sees_bob && e.message_id === message_ids[0], 30_000);
      const shown = await need(bob, 'toxic').waitForMessage(alice_pk, text, 30_000);
      assert.ok(shown.endsWith(`: ${text}`), shown);
      await receipt;
    });

    it('toxic → toxync: text typed in toxic arrives as a message event with exactly that text', async () => {
      const a = need(alice, 'alice');
      const text = 'grüße from toxic — ✓ 123';
      const got = a.event('message', (e) => e.friend === alice_sees_bob && e.text === text, 30_000);
      await need(bob, 'toxic').send(alice_pk, text);
      const m = await got;
      assert.equal(m.public_key, bob_pk);
      assert.equal(m.type, 'normal');
      assert.equal(m.text, text);
    });
  });

  describe('a friend request from toxync to toxic', () => {
    const message = 'hi from carol, ça va? ✓';
    let request = -1; // toxic's number for the pending request

    it("toxic shows the request with exactly toxync's message", async () => {
      const c = need(carol, 'carol');
      const { friend } = (await c.command({ cmd: 'friend_add', address: bob_id, message })) as { friend: number };
      carol_sees_bob = friend;
      request = await need(bob, 'toxic').waitForRequest(message, 30_000);
      assert.ok(request >= 0);
    });

    it('once toxic accepts (/accept N), each sees the other online', async () => {
      const t = need(bob, 'toxic');
      await t.accept(request);
      const online = await need(carol, 'carol').event('friend_connection', (e) => e.friend === carol_sees_bob && e.status !== 'none', 30_000);
      assert.equal(online.public_key, bob_pk);
      await t.waitForOnline(carol_pk, 30_000);
    });
  });
});
