// Group chats (NGC) with three `toxync run` nodes on a real loopback Tox network: private
// messages reach only their peer, the founder promotes and kicks (moderation events), and a
// peer that leaves is seen leaving with its part message.

import { strict as assert } from 'node:assert';
import { bootstrapArg, CliPeer } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';
import { assertEventsValid, create, groupOf, groupTexts, JOIN_MS, joinById, type Member, peerNumber } from '../helpers/groupPeers';

describe('group chats with three members: private messages, roles, kick, leaving', function () {
  this.timeout(240_000);
  const peers: CliPeer[] = [];
  let alice: Member & { chatId: string };
  let bob: Member;
  let carol: Member;
  /** Peer numbers as each node knows the others. */
  const sees = { aliceBob: 0, aliceCarol: 0, bobAlice: 0, bobCarol: 0, carolAlice: 0, carolBob: 0 };

  before(async () => {
    assertLoopbackOnly();
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    const a = CliPeer.start('alice', boot);
    const b = CliPeer.start('bob', boot);
    const c = CliPeer.start('carol', boot);
    peers.push(a, b, c);
    await Promise.all(peers.map((p) => p.ready()));
    alice = await create(a, 'public', 'Three of us', 'Alice');
    const jb = await joinById(alice, b, alice.chatId, { nick: 'Bob' });
    bob = jb.member;
    sees.aliceBob = jb.ownerSees;
    sees.bobAlice = jb.memberSees;
    const cFrom = c.events.length;
    const bFrom = b.events.length;
    const jc = await joinById(alice, c, alice.chatId, { nick: 'Carol' });
    carol = jc.member;
    sees.aliceCarol = jc.ownerSees;
    sees.carolAlice = jc.memberSees;
    [sees.bobCarol, sees.carolBob] = await Promise.all([peerNumber(b, bob.group, carol.key, bFrom), peerNumber(c, carol.group, bob.key, cFrom)]);
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
  });

  it('everyone lists the other two as peers', async () => {
    for (const m of [alice, bob, carol]) {
      const info = await groupOf(m.peer, m.group);
      const others = [alice, bob, carol].filter((x) => x !== m).map((x) => x.key);
      assert.deepEqual(info.peers.map((p) => p.public_key).sort(), others.sort(), `${m.peer.name}'s peer list`);
    }
  });

  it('a private message reaches only its peer; a group message reaches both', async () => {
    const bFrom = bob.peer.events.length;
    const cFrom = carol.peer.events.length;
    await alice.peer.command({ cmd: 'group_send_private_message', group: alice.group, peer: sees.aliceBob, text: 'just for Bob 🤫' });
    await alice.peer.command({ cmd: 'group_send_message', group: alice.group, text: 'for everyone' });
    const [priv] = await groupTexts(bob.peer, bob.group, bFrom, 1, 'group_private_message');
    assert.equal(priv, 'just for Bob 🤫');
    const pm = bob.peer.events.slice(bFrom).find((e) => e.event === 'group_private_message')!;
    assert.equal(pm.public_key, alice.key);
    assert.equal(pm.peer, sees.bobAlice);
    // The group message went out after the private one: once Carol has it, the private one
    // would have arrived too if it were coming.
    assert.deepEqual(await groupTexts(carol.peer, carol.group, cFrom, 1), ['for everyone']);
    assert.deepEqual(await groupTexts(bob.peer, bob.group, bFrom, 1), ['for everyone']);
    assert.ok(!carol.peer.events.slice(cFrom).some((e) => e.event === 'group_private_message'), 'Carol got no private message');
    // Positive control: Carol does see private messages addressed to her.
    await bob.peer.command({ cmd: 'group_send_private_message', group: bob.group, peer: sees.bobCarol, text: 'hi Carol' });
    assert.deepEqual(await groupTexts(carol.peer, carol.group, cFrom, 1, 'group_private_message'), ['hi Carol']);
  });

  it('the founder makes Bob a moderator; everyone gets the moderation event and the role', async () => {
    const cFrom = carol.peer.events.length;
    const bFrom = bob.peer.events.length;
    await alice.peer.command({ cmd: 'group_set_role', group: alice.group, peer: sees.aliceBob, role: 'moderator' });
    const ev = await carol.peer.event('group_moderation', (e) => e.group === carol.group && e.mod_event === 'moderator', 30_000, cFrom);
    assert.equal(ev.target, sees.carolBob);
    assert.equal(ev.source, sees.carolAlice);
    assert.equal(ev.target_public_key, bob.key);
    const own = await bob.peer.event('group_moderation', (e) => e.group === bob.group && e.mod_event === 'moderator', 30_000, bFrom);
    assert.equal(own.target_public_key, bob.key);
    assert.equal((await groupOf(bob.peer, bob.group)).self_role, 'moderator');
    // A plain user may not moderate.
    await assert.rejects(carol.peer.command({ cmd: 'group_kick_peer', group: carol.group, peer: sees.carolBob }), {
      code: 'TOX_ERR_GROUP_KICK_PEER_PERMISSIONS',
    });
  });

  it('a moderator kicks Carol: the kick reaches everyone, Carol is out', async () => {
    const aFrom = alice.peer.events.length;
    const cFrom = carol.peer.events.length;
    await bob.peer.command({ cmd: 'group_kick_peer', group: bob.group, peer: sees.bobCarol });
    const ev = await alice.peer.event('group_moderation', (e) => e.group === alice.group && e.mod_event === 'kick', 30_000, aFrom);
    assert.equal(ev.target, sees.aliceCarol);
    assert.equal(ev.source, sees.aliceBob);
    assert.equal(ev.target_public_key, carol.key);
    // Carol learns she was kicked: the kick names her; toxcore then drops her connections.
    const own = await carol.peer.event('group_moderation', (e) => e.group === carol.group && e.mod_event === 'kick', 30_000, cFrom);
    assert.equal(own.target_public_key, carol.key);
    // toxcore removes a kicked peer on its next iteration, with a peer_exit of type kick.
    const ex = await alice.peer.event('group_peer_exit', (e) => e.group === alice.group && e.peer === sees.aliceCarol, 30_000, aFrom);
    assert.equal(ex.exit_type, 'kick');
    assert.equal(ex.public_key, carol.key);
    const info = await groupOf(alice.peer, alice.group);
    assert.ok(!info.peers.some((p) => p.public_key === carol.key), 'Carol is no longer a peer for Alice');
  });

  it('a peer that leaves is seen leaving with its part message', async () => {
    const aFrom = alice.peer.events.length;
    await bob.peer.command({ cmd: 'group_leave', group: bob.group, message: 'off shift, bye 👋' });
    const ex = await alice.peer.event('group_peer_exit', (e) => e.group === alice.group && e.peer === sees.aliceBob, JOIN_MS, aFrom);
    assert.equal(ex.exit_type, 'quit');
    assert.equal(ex.message, 'off shift, bye 👋');
    assert.equal(ex.name, 'Bob');
    assert.equal(ex.public_key, bob.key);
    assert.ok(!(await groupOf(alice.peer, alice.group)).peers.some((p) => p.public_key === bob.key));
    const left = (await bob.peer.command({ cmd: 'groups' })) as { groups: { chat_id: string }[] };
    assert.ok(!left.groups.some((g) => g.chat_id === alice.chatId), 'the group is gone from Bob');
  });

  it('every event the nodes printed passes the protocol guard the extension host applies', () => {
    peers.forEach(assertEventsValid);
  });
});
