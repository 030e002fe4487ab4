// Group chats (NGC) with a third-party client: toxic 0.16.2 built against our libtoxcore 0.2.23
// (scripts/build-toxic.sh; Debian's toxic is 0.11.1 on 0.2.18, which has no groups).
//
// Nodes, all inside this test's loopback-only network namespace:
//   seed  — a toxync node everyone bootstraps from (toxic's nodes file names only it);
//   alice — a toxync node (`toxync run`);
//   bob, dave — toxic 0.16.2, driven through tmux (test/helpers/toxicGroups.ts).
// First toxic with toxic (the control: the build, the namespace and the screen driving work, so a
// failure further down is toxync's), then toxic joining toxync's public group by chat ID and
// toxync joining toxic's, with exact non-ASCII text both ways; then, as friends, invites to
// private groups both ways (toxync → toxic with /gaccept, toxic's /invite N → group_invite_accept).

import { strict as assert } from 'node:assert';
import { assertLoopbackOnly } from '../helpers/netns';
import { bootstrapArg, CliPeer } from '../helpers/peer';
import { groupChatText, ToxicGroupPeer } from '../helpers/toxicGroups';

describe('group chats with toxic 0.16.2 (NGC, built against our libtoxcore)', function () {
  this.timeout(90_000);

  let seed: CliPeer | undefined;
  let alice: CliPeer | undefined;
  let bob: ToxicGroupPeer | undefined;
  let dave: ToxicGroupPeer | undefined;
  const BOB_GROUP = 'bobs-räume'; // one word: toxic splits /group's arguments at spaces
  const ALICE_GROUP = 'alice grüßt ✓'; // toxync's group name may have spaces
  let bobChatId = '';

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} did not start`);
    return v;
  };

  before(async function () {
    this.timeout(180_000); // builds toxic on a machine where scripts/test.sh has not (~25 s)
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const boot = await bootstrapArg(seed);
    const s = await seed.ready();
    const seedNode = { udpPort: s.udp_port!, dhtKey: s.dht_id };
    alice = CliPeer.start('alice', boot);
    const started = await Promise.allSettled([
      alice.ready(),
      ToxicGroupPeer.start(seedNode, { name: 'bob', connectTimeoutMs: 90_000 }).then((b) => (bob = b)),
      ToxicGroupPeer.start(seedNode, { name: 'dave', connectTimeoutMs: 90_000 }).then((d) => (dave = d)),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await need(bob, 'bob').setNick('bob-tóxic');
    await need(dave, 'dave').setNick('dave-tóxic');
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const t of [bob, dave]) {
      if (!t) continue;
      // without the (mostly empty) peer-list column and blank lines
      const screen = await t
        .screen()
        .then((s) => `${s.split('\n')[0]}\n${groupChatText(s).replace(/\n{2,}/g, '\n')}`)
        .catch((e: unknown) => `(no screen: ${String(e)})`);
      console.error(`--- ${t.name}'s screen after "${this.currentTest.title}":\n${screen}\n---`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.allSettled([bob?.stop(), dave?.stop(), seed?.stop(), alice?.stop()]);
    for (const t of [bob, dave]) t?.cleanup();
    for (const p of [seed, alice]) p?.cleanup();
  });

  describe('toxic with toxic (control)', () => {
    it('bob creates a public group; dave joins it by chat ID', async () => {
      const b = need(bob, 'bob');
      bobChatId = await b.createGroup(BOB_GROUP);
      assert.match(bobChatId, /^[0-9A-F]{64}$/);
      const d = need(dave, 'dave');
      await d.joinGroup(bobChatId, BOB_GROUP);
      await Promise.all([b.waitForPeers(BOB_GROUP, 2), d.waitForPeers(BOB_GROUP, 2)]);
    });

    it('messages go both ways between the two toxics', async () => {
      const b = need(bob, 'bob');
      const d = need(dave, 'dave');
      await b.sendGroup(BOB_GROUP, 'hallo dave, grüße ✓');
      assert.equal(await d.waitForGroupMessage(BOB_GROUP, 'hallo dave, grüße ✓'), 'bob-tóxic');
      await d.sendGroup(BOB_GROUP, 'ça va, bob — ✓');
      assert.equal(await b.waitForGroupMessage(BOB_GROUP, 'ça va, bob — ✓'), 'dave-tóxic');
    });
  });

  describe('toxic joins a toxync group', () => {
    let group = -1;
    let chatId = '';

    it('toxync creates a public group; toxic joins it by chat ID (/join) and toxync sees the peer join', async () => {
      const a = need(alice, 'alice');
      const created = (await a.command({ cmd: 'group_new', privacy: 'public', name: ALICE_GROUP, nick: 'alice ✓' })) as { group: number; chat_id: string };
      group = created.group;
      chatId = created.chat_id.toUpperCase();
      const joined = a.event('group_peer_join', (e) => e.group === group && e.name === 'bob-tóxic', 60_000);
      // toxic names the window after the group once it has the group's state
      await need(bob, 'bob').joinGroup(chatId, ALICE_GROUP);
      const peer = await joined;
      assert.match(peer.public_key, /^[0-9A-F]{64}$/i);
      await need(bob, 'bob').waitForPeers(ALICE_GROUP, 2);
    });

    it('toxync → toxic: exact non-ASCII text, shown under the nick toxync chose', async () => {
      const text = 'héllo from toxync — grüße ✓ 😀';
      await need(alice, 'alice').command({ cmd: 'group_send_message', group, text });
      assert.equal(await need(bob, 'bob').waitForGroupMessage(ALICE_GROUP, text), 'alice ✓');
    });

    it('toxic → toxync: a group_message event with exactly the typed text and toxic’s nick', async () => {
      const a = need(alice, 'alice');
      const text = 'grüße from toxic — ça va? ✓ 123';
      const got = a.event('group_message', (e) => e.group === group && e.text === text, 30_000);
      await need(bob, 'bob').sendGroup(ALICE_GROUP, text);
      const m = await got;
      assert.equal(m.name, 'bob-tóxic');
      assert.equal(m.type, 'normal');
      assert.equal(m.text, text);
    });
  });

  describe('toxync joins a toxic group', () => {
    let group = -1;

    it('toxync joins bob’s public group by chat ID (group_join) and sees both toxics', async () => {
      const a = need(alice, 'alice');
      assert.match(bobChatId, /^[0-9A-F]{64}$/, 'the control created the group');
      const self = a.event('group_self_join', (e) => e.chat_id.toUpperCase() === bobChatId, 60_000);
      ({ group } = (await a.command({ cmd: 'group_join', chat_id: bobChatId, nick: 'alice ✓' })) as { group: number });
      await self;
      await Promise.all([
        a.event('group_peer_join', (e) => e.group === group && e.name === 'bob-tóxic', 60_000),
        a.event('group_peer_join', (e) => e.group === group && e.name === 'dave-tóxic', 60_000),
      ]);
      await need(bob, 'bob').waitForPeers(BOB_GROUP, 3);
    });

    it('toxic → toxync and toxync → both toxics, exact text', async () => {
      const a = need(alice, 'alice');
      const fromBob = 'bob sagt: schöne grüße ✓';
      const got = a.event('group_message', (e) => e.group === group && e.text === fromBob, 30_000);
      await need(bob, 'bob').sendGroup(BOB_GROUP, fromBob);
      assert.equal((await got).name, 'bob-tóxic');

      const fromAlice = 'alice answers — ¿qué tal? ✓';
      await a.command({ cmd: 'group_send_message', group, text: fromAlice });
      const [atBob, atDave] = await Promise.all([
        need(bob, 'bob').waitForGroupMessage(BOB_GROUP, fromAlice),
        need(dave, 'dave').waitForGroupMessage(BOB_GROUP, fromAlice),
      ]);
      assert.equal(atBob, 'alice ✓');
      assert.equal(atDave, 'alice ✓');
    });
  });

  describe('invites between friends (private groups)', () => {
    let aliceSeesBob = -1;
    let alicePk = '';

    it('toxync and toxic become friends, and toxic has a chat window for toxync', async () => {
      const a = need(alice, 'alice');
      const b = need(bob, 'bob');
      alicePk = (await a.ready()).public_key;
      const bobId = await b.toxId();
      ({ friend: aliceSeesBob } = (await a.command({ cmd: 'friend_add', address: bobId, message: 'hallo bob ✓' })) as { friend: number });
      await b.accept(await b.waitForRequest('hallo bob ✓'));
      await a.event('friend_connection', (e) => e.friend === aliceSeesBob && e.status !== 'none', 60_000);
      // toxic shows a friend's group invite only in that friend's chat window; a message opens it
      await a.command({ cmd: 'send', friend: aliceSeesBob, text: 'eine Einladung kommt ✓' });
      await b.waitForMessage(alicePk, 'eine Einladung kommt ✓');
    });

    it('toxync invites toxic to a private group (group_invite_friend); toxic accepts (/gaccept) and messages arrive', async () => {
      const a = need(alice, 'alice');
      const b = need(bob, 'bob');
      const name = 'alice privat ✓';
      const { group } = (await a.command({ cmd: 'group_new', privacy: 'private', name, nick: 'alice ✓' })) as { group: number };
      const joined = a.event('group_peer_join', (e) => e.group === group && e.name === 'bob-tóxic', 60_000);
      await a.command({ cmd: 'group_invite_friend', group, friend: aliceSeesBob });
      await b.acceptGroupInvite(alicePk, name);
      await joined;
      const text = 'privat: grüße zurück ✓';
      const got = a.event('group_message', (e) => e.group === group && e.text === text, 30_000);
      await b.sendGroup(name, text);
      assert.equal((await got).name, 'bob-tóxic');
    });

    it('toxic invites toxync to its private group (/invite N); toxync accepts the group_invite (group_invite_accept)', async () => {
      const a = need(alice, 'alice');
      const b = need(bob, 'bob');
      const name = 'bobs-privat';
      await b.createGroup(name);
      await b.makePrivate(name);
      const invite = a.event('group_invite', (e) => e.friend === aliceSeesBob && e.group_name === name, 30_000);
      await b.inviteToGroup(alicePk, name);
      const inv = await invite;
      const self = a.event('group_self_join', () => true, 60_000, a.events.length);
      const { group } = (await a.command({ cmd: 'group_invite_accept', friend: aliceSeesBob, invite: inv.invite, nick: 'alice ✓' })) as { group: number };
      assert.equal((await self).group, group);
      await b.waitForPeers(name, 2);
      const text = 'danke für die Einladung — ✓';
      await a.command({ cmd: 'group_send_message', group, text });
      assert.equal(await b.waitForGroupMessage(name, text), 'alice ✓');
    });
  });
});
