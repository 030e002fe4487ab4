// Group chats (NGC) between `toxync run` nodes on a real loopback Tox network: a public group
// joined by chat ID, exact text both ways (also a message split at the group limit), the topic,
// a private group reached by a friend's invite, and a password that keeps a wrong guess out.

import { strict as assert } from 'node:assert';
import { befriend, bootstrapArg, CliPeer } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';
import { assertEventsValid, create, groupOf, groupTexts, JOIN_MS, joinById, type Member, peerNumber } from '../helpers/groupPeers';

describe('group chats: create, join, messages, topic, invites, passwords', function () {
  this.timeout(240_000);
  let seed: CliPeer;
  let alice: CliPeer;
  let bob: CliPeer;
  let carol: CliPeer;
  const peers: CliPeer[] = [];
  let owner: Member & { chatId: string };
  let member: Member;
  let aliceSeesBob: number;
  let bobSeesAlice: number;

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    bob = CliPeer.start('bob', boot);
    carol = CliPeer.start('carol', boot);
    peers.push(alice, bob, carol);
    await Promise.all(peers.map((p) => p.ready()));
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
  });

  it('a public group is created and joined by its chat ID; both see each other and the state', async () => {
    owner = await create(alice, 'public', 'Ops ✓ room', 'Alice in ops');
    assert.match(owner.chatId, /^[0-9A-F]{64}$/);
    const j = await joinById(owner, bob, owner.chatId, { nick: 'Bob 🛠' });
    member = j.member;
    aliceSeesBob = j.ownerSees;
    bobSeesAlice = j.memberSees;
    const join = await alice.event('group_peer_join', (e) => e.group === owner.group && e.peer === aliceSeesBob);
    assert.equal(join.name, 'Bob 🛠');
    const a = await groupOf(alice, owner.group);
    assert.equal(a.name, 'Ops ✓ room');
    assert.equal(a.privacy, 'public');
    assert.equal(a.self_role, 'founder');
    assert.equal(a.self_name, 'Alice in ops');
    assert.equal(a.chat_id, owner.chatId);
    assert.equal(a.has_password, false);
    const b = await groupOf(bob, member.group);
    assert.equal(b.chat_id, owner.chatId);
    assert.equal(b.self_role, 'user');
    assert.equal(b.connected, true);
    const seen = b.peers.find((p) => p.peer === bobSeesAlice);
    assert.ok(seen, 'bob lists alice as a peer');
    assert.equal(seen.public_key, owner.key);
    assert.equal(seen.name, 'Alice in ops');
    assert.equal(seen.role, 'founder');
  });

  it('exact unicode text arrives both ways, with sender key and name; a long message is split and rejoined in order', async () => {
    const texts = ['héllo 👋🏽 zwj 👩‍💻 rtl \u202Eevil\u202C and 𝄞', '/me-ish', 'line1\nline2\ttab'];
    let from = bob.events.length;
    for (const text of texts) await alice.command({ cmd: 'group_send_message', group: owner.group, text });
    assert.deepEqual(await groupTexts(bob, member.group, from, texts.length), texts);
    const m = bob.events.slice(from).find((e) => e.event === 'group_message')!;
    assert.equal(m.public_key, owner.key);
    assert.equal(m.peer, bobSeesAlice);
    assert.equal(m.name, 'Alice in ops');
    assert.equal(m.type, 'normal');

    from = alice.events.length;
    await bob.command({ cmd: 'group_send_message', group: member.group, text: 'waves ✋', action: true });
    const act = await alice.event('group_message', (e) => e.group === owner.group, 30_000, from);
    assert.equal(act.type, 'action');
    assert.equal(act.text, 'waves ✋');
    assert.equal(act.public_key, member.key);

    // 1371 ASCII bytes then 4-byte characters: the first split point falls inside one.
    const long = 'x'.repeat(1371) + '𝄞é€'.repeat(400) + ' end';
    from = alice.events.length;
    const { message_ids } = (await bob.command({ cmd: 'group_send_message', group: member.group, text: long })) as { message_ids: number[] };
    assert.ok(message_ids.length >= 3, `split into ${message_ids.length} parts`);
    const parts = await groupTexts(alice, owner.group, from, message_ids.length);
    for (const p of parts) assert.ok(Buffer.byteLength(p) <= 1372 && !p.includes('\uFFFD'), 'each part is whole UTF-8 within the limit');
    assert.equal(parts.join(''), long);
  });

  it('the topic set by the founder reaches the member and the group state', async () => {
    const from = bob.events.length;
    await alice.command({ cmd: 'group_set_topic', group: owner.group, topic: 'Deploys: Tuesdays 🚀' });
    const t = await bob.event('group_topic', (e) => e.group === member.group && e.topic === 'Deploys: Tuesdays 🚀', 30_000, from);
    assert.equal(t.peer, bobSeesAlice);
    assert.equal((await groupOf(bob, member.group)).topic, 'Deploys: Tuesdays 🚀');
    // A plain user may not change it (the founder keeps the topic lock on by default).
    await assert.rejects(bob.command({ cmd: 'group_set_topic', group: member.group, topic: 'mine now' }), { code: 'TOX_ERR_GROUP_TOPIC_SET_PERMISSIONS' });
  });

  it('a private group is reached by a friend invite: event, accept, join, messages', async () => {
    const aliceInfo = await alice.ready();
    const { aSeesB } = await befriend(alice, bob);
    const priv = await create(alice, 'private', 'Private ✉');
    const from = bob.events.length;
    await alice.command({ cmd: 'group_invite_friend', group: priv.group, friend: aSeesB });
    const inv = await bob.event('group_invite', () => true, 60_000, from);
    assert.equal(inv.public_key, aliceInfo.public_key);
    assert.equal(inv.group_name, 'Private ✉');
    const { group } = (await bob.command({ cmd: 'group_invite_accept', friend: inv.friend, invite: inv.invite, nick: 'Bob' })) as { group: number };
    await bob.event('group_self_join', (e) => e.group === group, JOIN_MS, from);
    const info = await groupOf(bob, group);
    assert.equal(info.privacy, 'private');
    assert.equal(info.chat_id, priv.chatId);
    const aSees = await peerNumber(alice, priv.group, info.self_public_key);
    await peerNumber(bob, group, priv.key, from);
    const aFrom = alice.events.length;
    await bob.command({ cmd: 'group_send_message', group, text: 'in the private one ✓' });
    const got = await alice.event('group_message', (e) => e.group === priv.group, 30_000, aFrom);
    assert.equal(got.peer, aSees);
    assert.equal(got.text, 'in the private one ✓');
    // Invite bytes that are not an invite are toxcore's to refuse, with its typed error.
    await assert.rejects(bob.command({ cmd: 'group_invite_accept', friend: inv.friend, invite: 'abcd' }), { code: 'TOX_ERR_GROUP_INVITE_ACCEPT_BAD_INVITE' });
  });

  it('a password keeps a wrong guess out (group_join_fail invalid_password); the right one joins', async () => {
    const locked = await create(alice, 'public', 'Locked');
    await alice.command({ cmd: 'group_set_password', group: locked.group, password: 'sesame ✓' });
    assert.equal((await groupOf(alice, locked.group)).has_password, true);
    const from = carol.events.length;
    const { group } = (await carol.command({ cmd: 'group_join', chat_id: locked.chatId, password: 'open up' })) as { group: number };
    const fail = await carol.event('group_join_fail', (e) => e.group === group, JOIN_MS, from);
    assert.equal(fail.reason, 'invalid_password');
    assert.ok(!carol.events.slice(from).some((e) => e.event === 'group_self_join' && e.group === group), 'no join with the wrong password');
    // Positive control: the same node with the right password gets in (tox_group_join on a
    // chat ID it already has reconnects to it).
    const j = await joinById(locked, carol, locked.chatId, { password: 'sesame ✓' });
    assert.equal(j.member.group, group);
    assert.equal((await groupOf(carol, group)).has_password, true);
    // Over-long passwords are refused before toxcore (32 bytes).
    await assert.rejects(alice.command({ cmd: 'group_set_password', group: locked.group, password: 'é'.repeat(17) }), { code: 'invalid_argument' });
  });

  it('every event the nodes printed passes the protocol guard the extension host applies', () => {
    peers.forEach(assertEventsValid);
  });
});
