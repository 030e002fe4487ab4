// The group model (src/core/chat/groupModel.ts) driven by hand-made group events: chat IDs
// (not group numbers) as identity across restarts, unread counts, the outbox, invites, and
// sender names that a peer cannot make look like "You" or like one of the user's aliases.

import { strict as assert } from 'node:assert';
import { GroupBook, type GroupHost } from '../../src/core/chat/groupModel';
import { acceptInvite, createGroup, declineInvite, leaveGroup, moderate } from '../../src/core/chat/groupActions';
import { senderFor, senderText } from '../../src/core/chat/groupNames';
import type { Prefs } from '../../src/core/chat/prefs';
import type { GroupMessage } from '../../src/core/chat/groupTypes';
import { CHAT, fakeGroupNode, groupInfo, groupMessage, groupPeer, SELF_GROUP_KEY, selfJoin, type FakeGroupNode } from '../helpers/groupEvents';
import { readyEvent } from '../helpers/events';
import { tick } from '../helpers/wait';

const BOB = 'B'.repeat(64);
const MALLORY = '1'.repeat(64);
const FRIEND = 'F'.repeat(64);

function prefs(aliases: Record<string, string> = {}, blocked: string[] = []): Prefs {
  return {
    alias: (k) => aliases[k] ?? null,
    setAlias: async () => undefined,
    isBlocked: (k) => blocked.includes(k),
    setBlocked: async () => undefined,
    blocked: () => blocked,
  };
}

function book(node: FakeGroupNode, p = prefs()): GroupBook {
  const host: GroupHost = { node: () => node, prefs: () => p, selfName: () => 'me', friendKey: (no) => (no === 0 ? FRIEND : null) };
  return new GroupBook(host, () => 1_000);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
}

describe('group model', () => {
  it('places events by chat ID: after a restart the group keeps its history under a new number', async () => {
    const node = fakeGroupNode([groupInfo(3, [groupPeer(1, BOB, 'bob')])]);
    const b = book(node);
    b.handle(readyEvent([]));
    await settle();
    b.handle(groupMessage(3, 1, BOB, 'bob', 'first'));
    node.groups = [groupInfo(0, [groupPeer(5, BOB, 'bob')])];
    b.handle(readyEvent([]));
    // An event for the new number before the refresh answered waits for it.
    b.handle(groupMessage(0, 5, BOB, 'bob', 'second'));
    await settle();
    assert.deepEqual(
      b.messages(CHAT).map((m) => m.text),
      ['first', 'second'],
    );
    assert.equal(b.groups.get(CHAT)!.number, 0);
    assert.equal(b.groups.size, 1);
  });

  it('an event for a group the node did not list yet waits for a later refresh instead of being lost', async () => {
    const node = fakeGroupNode([]);
    const b = book(node);
    b.handle(readyEvent([]));
    await settle();
    b.handle(groupMessage(2, 1, BOB, 'bob', 'early'));
    await settle();
    assert.equal(b.groups.size, 0);
    node.groups = [groupInfo(2, [groupPeer(1, BOB, 'bob')])];
    b.handle(selfJoin(2));
    await settle();
    assert.deepEqual(
      b
        .messages(CHAT)
        .filter((m) => m.dir === 'in')
        .map((m) => m.text),
      ['early'],
    );
  });

  it('a list answered before our join and a peer joining, but read after them, does not undo them', async () => {
    const node = fakeGroupNode([groupInfo(0, [], { connected: false })]);
    const b = book(node);
    b.handle(readyEvent([])); // asks for the list; its answer is read a few ticks later
    b.handle(selfJoin(0));
    b.handle({ event: 'group_peer_join', group: 0, peer: 1, name: 'bob', public_key: BOB });
    node.groups = [groupInfo(0, [groupPeer(1, BOB, 'bob')])];
    await settle();
    const g = b.groups.get(CHAT)!;
    assert.equal(g.connected, true);
    assert.deepEqual([...g.peers.keys()], [BOB]);
    // Positive control: the stale list was really answered and then asked for again.
    assert.ok(node.sent.filter((c) => c.cmd === 'groups').length >= 2);
  });

  it('counts unread messages unless the group is on screen, and clears them when read', async () => {
    const b = book(fakeGroupNode([groupInfo(0, [groupPeer(1, BOB, 'bob')])]));
    b.handle(readyEvent([]));
    await settle();
    b.handle(groupMessage(0, 1, BOB, 'bob', 'a'));
    b.handle(groupMessage(0, 1, BOB, 'bob', 'b'));
    assert.equal(b.groups.get(CHAT)!.unread, 2);
    assert.equal(b.totalUnread(), 2);
    b.setVisible(CHAT, true);
    assert.equal(b.groups.get(CHAT)!.unread, 0);
    b.handle(groupMessage(0, 1, BOB, 'bob', 'c'));
    assert.equal(b.groups.get(CHAT)!.unread, 0);
  });

  it('queues a message until the group is connected, then sends it once', async () => {
    const node = fakeGroupNode([groupInfo(0, [], { connected: false })]);
    const b = book(node);
    b.handle(readyEvent([]));
    await settle();
    const m = b.send(CHAT, 'hello group');
    await settle();
    assert.equal(m.state, 'queued');
    assert.equal(node.sent.filter((c) => c.cmd === 'group_send_message').length, 0);
    b.handle(selfJoin(0));
    await settle();
    assert.equal(m.state, 'sent');
    const sends = node.sent.filter((c) => c.cmd === 'group_send_message');
    assert.equal(sends.length, 1);
    assert.deepEqual(sends[0], { cmd: 'group_send_message', group: 0, text: 'hello group' });
  });

  it('shows invites from friends only, and accepting sends the invite data back', async () => {
    const node = fakeGroupNode();
    const b = book(node);
    b.handle({ event: 'group_invite', friend: 7, public_key: MALLORY, invite: 'ab', group_name: 'not a friend' });
    assert.equal(b.invites.size, 0);
    b.handle({ event: 'group_invite', friend: 0, public_key: FRIEND, invite: 'abcd', group_name: 'ops' });
    assert.equal(b.invites.size, 1);
    const inv = [...b.invites.values()][0]!;
    assert.equal(inv.friendKey, FRIEND);
    await acceptInvite(b, inv.id);
    assert.deepEqual(
      node.sent.find((c) => c.cmd === 'group_invite_accept'),
      { cmd: 'group_invite_accept', friend: 0, invite: 'abcd', nick: 'me' },
    );
    assert.equal(b.invites.size, 0);
    b.handle({ event: 'group_invite', friend: 0, public_key: FRIEND, invite: 'ef', group_name: 'x' });
    declineInvite(b, [...b.invites.keys()][0]!);
    assert.equal(b.invites.size, 0);
  });

  it('creates a group as founder and leaves it, keeping its history', async () => {
    const node = fakeGroupNode();
    const b = book(node);
    const chat = await createGroup(b, 'ops', 'public');
    assert.equal(chat, CHAT);
    assert.equal(b.groups.get(CHAT)!.selfRole, 'founder');
    assert.deepEqual(node.sent[0], { cmd: 'group_new', privacy: 'public', name: 'ops', nick: 'me' });
    await leaveGroup(b, CHAT);
    assert.equal(b.groups.get(CHAT)!.left, true);
    assert.throws(() => b.send(CHAT, 'x'), /left/);
    assert.ok(b.messages(CHAT).some((m) => m.dir === 'system'));
  });

  it('kicks by key (the current peer number) and refuses moderation to plain users', async () => {
    const node = fakeGroupNode([groupInfo(0, [groupPeer(4, BOB, 'bob')])]);
    const b = book(node);
    b.handle(readyEvent([]));
    await settle();
    await moderate(b, CHAT, BOB, 'kick');
    assert.deepEqual(node.sent.at(-1), { cmd: 'group_kick_peer', group: 0, peer: 4 });
    b.groups.get(CHAT)!.selfRole = 'user';
    await assert.rejects(moderate(b, CHAT, BOB, 'kick'), /founder and moderators/);
  });

  it('drops messages from blocked keys', async () => {
    const b = book(fakeGroupNode([groupInfo(0, [])]), prefs({}, [MALLORY]));
    b.handle(readyEvent([]));
    await settle();
    b.handle(groupMessage(0, 2, MALLORY, 'm', 'spam'));
    assert.equal(b.messages(CHAT).length, 0);
  });

  it('restores history and requeues messages that were not sent', () => {
    const b = book(fakeGroupNode());
    const out: GroupMessage = { id: 'o1', dir: 'out', kind: 'normal', text: 'x', ts: 1, state: 'sending' };
    b.restore(
      [{ chat_id: CHAT, name: 'ops', privacy: 'private', topic: 't', self_role: 'user', left: false, unread: 3, last_activity: 1 }],
      new Map([[CHAT, [out]]]),
    );
    assert.equal(b.groups.get(CHAT)!.unread, 3);
    assert.equal(b.messages(CHAT)[0]!.state, 'queued');
  });
});

describe('group sender names', () => {
  const aliases = { [BOB]: 'Alice (work)' };
  const alias = (k: string) => aliases[k] ?? null;
  const hostile = ['You', 'you', 'Alice (work)', 'Alice (work)\u200b', 'You\u202e', '', '  You  ', '“You” ‹peer 111111›'];

  it('positive control: the naive form (the name alone) is spoofable', () => {
    const naive = (name: string) => name;
    assert.equal(naive('You'), senderText({ kind: 'you' }));
    assert.equal(naive('Alice (work)'), senderText(senderFor(BOB, 'bob', SELF_GROUP_KEY, alias)));
  });

  it('no peer name displays as "You" or as an alias, in any string form', () => {
    const trusted = new Set([senderText({ kind: 'you' }), ...Object.values(aliases)]);
    for (const name of hostile) {
      const s = senderFor(MALLORY, name, SELF_GROUP_KEY, alias);
      assert.equal(s.kind, 'peer', name);
      const text = senderText(s);
      assert.ok(!trusted.has(text), `${JSON.stringify(name)} showed as ${text}`);
      assert.ok(text.endsWith(`‹peer ${MALLORY.slice(0, 6)}›`), text);
    }
  });

  it('uses the alias for a key the user named, and "You" only for our own key', () => {
    assert.deepEqual(senderFor(BOB, 'whatever', SELF_GROUP_KEY, alias), { kind: 'alias', text: 'Alice (work)' });
    assert.deepEqual(senderFor(SELF_GROUP_KEY.toLowerCase(), 'x', SELF_GROUP_KEY, alias), { kind: 'you' });
    // A friend's friend key is not their group key: a group peer with another key is a stranger.
    assert.equal(senderFor(MALLORY, 'Alice (work)', SELF_GROUP_KEY, alias).kind, 'peer');
  });

  it('shows invisible and direction-changing characters as markers and caps the length', () => {
    const s = senderFor(MALLORY, `evil\u202e${'x'.repeat(200)}`, null, () => null);
    assert.equal(s.kind, 'peer');
    if (s.kind !== 'peer') return;
    assert.ok(s.name.includes('⟦U+202E⟧'));
    assert.ok(Array.from(s.name).length <= 64);
  });
});
