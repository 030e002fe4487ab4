// Group chats (NGC) survive restarts: Alice (an encrypted store, as the extension keeps it) and
// Bob (a plain profile) are in a public group joined by chat ID and a private group joined by
// invite; both stop, both start again from their profiles, and each finds both groups, the
// other member back, and messages still flowing both ways. Real nodes on loopback.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { befriend, bootstrapArg, CliPeer, cliPath, tempDir } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';
import { assertEventsValid, create, groupsOf, groupTexts, JOIN_MS, joinById, peerNumber } from '../helpers/groupPeers';

const PASS = 'correct horse battery staple, for a test';
const env = { ...process.env, TOXYNC_PASSPHRASE: PASS };

describe('group chats survive a restart of both sides', function () {
  this.timeout(300_000);
  const peers: CliPeer[] = [];
  const all: CliPeer[] = [];

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
  });

  it('both restart (encrypted store and plain profile) and are still in both groups, exchanging messages', async () => {
    assertLoopbackOnly();
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    const aDir = tempDir('groups-alice');
    const init = spawnSync(process.execPath, [cliPath(), 'init', '--profile', aDir], { env, encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    const startAlice = () => new CliPeer('alice', aDir, boot, { encrypted: true, env });
    let alice = startAlice();
    let bob = CliPeer.start('bob', boot);
    const bDir = bob.profileDir;
    all.push(alice, bob);
    peers.push(alice, bob);
    const { aSeesB } = await befriend(alice, bob);

    const pub = await create(alice, 'public', 'Restart me', 'Alice');
    const jp = await joinById(pub, bob, pub.chatId, { nick: 'Bob' });
    const priv = await create(alice, 'private', 'Private restart', 'Alice');
    let from = bob.events.length;
    await alice.command({ cmd: 'group_invite_friend', group: priv.group, friend: aSeesB });
    const inv = await bob.event('group_invite', () => true, 60_000, from);
    const { group: bobPriv } = (await bob.command({ cmd: 'group_invite_accept', friend: inv.friend, invite: inv.invite, nick: 'Bob' })) as { group: number };
    await bob.event('group_self_join', (e) => e.group === bobPriv, JOIN_MS, from);
    const bobPrivKey = (await groupsOf(bob)).find((g) => g.group === bobPriv)!.self_public_key;
    await peerNumber(alice, priv.group, bobPrivKey);

    await Promise.all([alice.stop(), bob.stop()]);
    peers.splice(peers.indexOf(alice), 2);
    alice = startAlice();
    bob = new CliPeer('bob', bDir, boot);
    all.push(alice, bob);
    peers.push(alice, bob);
    await Promise.all([alice.ready(), bob.ready()]);

    // Both groups are back from the profiles, with the same chat IDs, names and our keys.
    const aGroups = await groupsOf(alice);
    const bGroups = await groupsOf(bob);
    const find = (gs: typeof aGroups, chatId: string) => {
      const g = gs.find((x) => x.chat_id === chatId);
      assert.ok(g, `group ${chatId.slice(0, 8)} is back`);
      return g;
    };
    const aPub = find(aGroups, pub.chatId);
    const aPriv = find(aGroups, priv.chatId);
    const bPub = find(bGroups, pub.chatId);
    const bPriv = find(bGroups, priv.chatId);
    assert.equal(aPub.name, 'Restart me');
    assert.equal(aPub.self_role, 'founder');
    assert.equal(aPub.self_public_key, pub.key);
    assert.equal(bPub.self_public_key, jp.member.key);
    assert.equal(bPriv.privacy, 'private');
    assert.equal(bPriv.self_public_key, bobPrivKey);

    // Each sees the other again in both groups, and messages flow both ways.
    const [aSeesBobPub, , aSeesBobPriv] = await Promise.all([
      peerNumber(alice, aPub.group, jp.member.key),
      peerNumber(bob, bPub.group, pub.key),
      peerNumber(alice, aPriv.group, bobPrivKey),
      peerNumber(bob, bPriv.group, priv.key),
    ]);
    from = bob.events.length;
    await alice.command({ cmd: 'group_send_message', group: aPub.group, text: 'still here ✓' });
    assert.deepEqual(await groupTexts(bob, bPub.group, from, 1), ['still here ✓']);
    const aFrom = alice.events.length;
    await bob.command({ cmd: 'group_send_message', group: bPub.group, text: 'me too 👋' });
    await bob.command({ cmd: 'group_send_message', group: bPriv.group, text: 'private, after the restart' });
    assert.deepEqual(await groupTexts(alice, aPub.group, aFrom, 1), ['me too 👋']);
    assert.deepEqual(await groupTexts(alice, aPriv.group, aFrom, 1), ['private, after the restart']);
    const m = alice.events.slice(aFrom).find((e) => e.event === 'group_message' && e.group === aPriv.group)!;
    assert.equal(m.peer, aSeesBobPriv);
    assert.equal(m.public_key, bobPrivKey);
    assert.notEqual(aSeesBobPub, undefined);
    all.forEach(assertEventsValid);
  });
});
