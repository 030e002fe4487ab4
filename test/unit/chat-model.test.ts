// The chat model's bookkeeping, driven by hand-made node events: the cases a live network
// produces only rarely (receipts for multi-part messages, a disconnect between "sent" and
// "delivered", a node restart with a send in flight, refusals) are made to happen here.
// The node side is a scripted stand-in for the supervisor's `request`; the model itself is
// the real one. The real-node version of the common paths is test/integration/chat-model.

import { strict as assert } from 'node:assert';
import { type ChatChange, ChatModel } from '../../src/core/chat/chatModel';
import { StoredPrefs } from '../../src/core/chat/prefs';
import type { FriendInfo } from '../../src/protocol/node';
import { NodeCommandError, NodeRestartedError } from '../../src/core/supervisor/supervisor';
import { MemoryStore } from '../helpers/chat';
import { friendInfo, selfInfo as self } from '../helpers/events';
import { tick } from '../helpers/wait';
import { ScriptedNode } from '../helpers/scripted-node';

const BOB = 'B'.repeat(64);
const CAROL = 'C'.repeat(64);

// The friend's name shows which friend number a message went to.
const friend = (key: string, no: number, connection: FriendInfo['connection'] = 'udp'): FriendInfo => friendInfo(key, no, { name: `name-${no}`, connection });

describe('chat model', () => {
  let node: ScriptedNode;
  let model: ChatModel;
  let changes: ChatChange[];
  const stateOf = (id: string) => model.messages(BOB).find((m) => m.id === id)?.state;

  beforeEach(() => {
    node = new ScriptedNode();
    model = new ChatModel(() => node, new StoredPrefs(new MemoryStore()));
    changes = [];
    model.onChange((c) => changes.push(c));
    model.handle({ event: 'ready', ...self([friend(BOB, 0)]) });
  });
  afterEach(() => model.dispose());

  it('restored undelivered messages go back into the outbox, in order, with their dedup ids', async () => {
    const fresh = new ChatModel(() => node, new StoredPrefs(new MemoryStore()));
    const out = (id: string, state: 'queued' | 'sent' | 'delivered' | 'failed') => ({
      id,
      dir: 'out' as const,
      kind: 'normal' as const,
      text: id,
      ts: 1,
      state,
    });
    const d1 = '1'.repeat(32);
    fresh.restore(
      [
        {
          peer: BOB,
          messages: [out('o1', 'delivered'), out('o2', 'sent'), out('o3', 'queued'), out('o4', 'failed')],
          seen: new Map(),
          outDedup: new Map([['o2', d1]]),
        },
      ],
      [],
    );
    assert.deepEqual(
      fresh.messages(BOB).map((m) => m.state),
      ['delivered', 'queued', 'queued', 'failed'],
    );
    const before = node.sends().length;
    fresh.handle({ event: 'ready', ...self([friend(BOB, 0)]) });
    const sent = node
      .sends()
      .slice(before)
      .map((c) => [c.body.text, c.body.dedup]);
    assert.deepEqual(
      sent.map(([t]) => t),
      ['o2', 'o3'],
    );
    assert.equal(sent[0]![1], d1, 'a journaled dedup id is reused');
    assert.match(String(sent[1]![1]), /^[0-9a-f]{32}$/, 'a message journaled without one gets one');
    fresh.dispose();
  });

  it('a friend list written before a friend went offline, but read after that event, does not bring them back online', async () => {
    const refreshed = model.refreshFriends();
    const first = node.last('friends');
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'none' });
    first.resolve({ friends: [friend(BOB, 0, 'udp')] }); // the node's list from before the event
    await tick();
    // Positive control: the stale list was answered; the model asked again instead of taking it.
    const second = node.last('friends');
    assert.notEqual(second, first);
    second.resolve({ friends: [friend(BOB, 0, 'none')] });
    await refreshed;
    assert.equal(model.contacts.get(BOB)!.connection, 'none');
  });

  it('drops a re-sent copy (same dedup tag and text) but never a different text under a reused tag', () => {
    const tag = { dedup: 'a'.repeat(32), part: 0 };
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'once', ...tag });
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'once', ...tag });
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'not hidden', ...tag });
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'once', dedup: 'a'.repeat(32), part: 1 });
    assert.deepEqual(
      model.messages(BOB).map((m) => m.text),
      ['once', 'not hidden', 'once'],
    );
  });

  it("a receipt naming the message's dedup id marks it delivered; one without is ignored", async () => {
    const m = model.send(BOB, 'long');
    const dedup = String(node.sends()[0]!.body.dedup);
    node.sends()[0]!.resolve({ message_ids: [7, 8, 9] });
    await tick();
    assert.equal(stateOf(m.id), 'sent');
    model.handle({ event: 'receipt', friend: 0, message_id: 7 });
    assert.equal(stateOf(m.id), 'sent', 'a part receipt (no dedup id) says nothing about the message');
    model.handle({ event: 'receipt', friend: 0, message_id: 9, dedup });
    assert.equal(stateOf(m.id), 'delivered');
  });

  it('a receipt that arrives before its send result still marks the message delivered', async () => {
    // Found in code-server: result and receipt in one IPC read, listeners run before the
    // result's promise callback.
    const m = model.send(BOB, 'fast friend');
    model.handle({ event: 'receipt', friend: 0, message_id: 42, dedup: String(node.sends()[0]!.body.dedup) });
    node.sends()[0]!.resolve({ message_ids: [42] });
    await tick();
    assert.equal(stateOf(m.id), 'delivered');
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'none' });
    assert.equal(stateOf(m.id), 'delivered', 'a delivered message is never queued again');
  });

  it('ignores receipts naming another message', async () => {
    const m = model.send(BOB, 'x');
    node.sends()[0]!.resolve({ message_ids: [1] });
    await tick();
    model.handle({ event: 'receipt', friend: 0, message_id: 1, dedup: 'f'.repeat(32) });
    assert.equal(stateOf(m.id), 'sent');
  });

  it('queues for an offline friend, sends nothing, and flushes in order when they connect', async () => {
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'none' });
    const a = model.send(BOB, 'first');
    const b = model.send(BOB, 'second');
    assert.equal(node.sends().length, 0);
    assert.equal(stateOf(a.id), 'queued');
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'tcp' });
    assert.deepEqual(
      node.sends().map((c) => c.body.text),
      ['first', 'second'],
    );
    assert.equal(stateOf(b.id), 'sending');
  });

  it('sends an unconfirmed message again after the friend reconnects', async () => {
    const m = model.send(BOB, 'maybe lost');
    node.sends()[0]!.resolve({ message_ids: [3] });
    await tick();
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'none' });
    assert.equal(stateOf(m.id), 'queued');
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'udp' });
    assert.equal(node.sends().length, 2);
    assert.equal(node.sends()[1]!.body.dedup, node.sends()[0]!.body.dedup, 're-sent under the same dedup id');
  });

  it('a node restart with a send in flight re-queues it and resends on the new node', async () => {
    const m = model.send(BOB, 'in flight');
    node.sends()[0]!.reject(new NodeRestartedError('gone'));
    await tick();
    assert.equal(stateOf(m.id), 'queued');
    model.handle({ event: 'ready', ...self([friend(BOB, 0, 'none')]) });
    assert.equal(node.sends().length, 1, 'offline after restart: nothing sent yet');
    model.handle({ event: 'friend_connection', friend: 0, public_key: BOB, status: 'udp' });
    assert.equal(node.sends().length, 2);
  });

  it('a refusal that is not about connectivity shows as failed, and retry sends again', async () => {
    const m = model.send(BOB, 'x');
    node.sends()[0]!.reject(new NodeCommandError('too long', 'TOX_ERR_FRIEND_SEND_MESSAGE_TOO_LONG', 'send'));
    await tick();
    assert.equal(stateOf(m.id), 'failed');
    model.retry(BOB, m.id);
    assert.equal(node.sends().length, 2);
    assert.equal(stateOf(m.id), 'sending');
  });

  it('treats /me as an action and refuses empty messages', () => {
    const m = model.send(BOB, '/me waves');
    assert.equal(m.kind, 'action');
    assert.equal(m.text, 'waves');
    assert.equal(node.sends()[0]!.body.action, true);
    assert.throws(() => model.send(BOB, '/me   '), /empty/);
    assert.throws(() => model.send(CAROL, 'hi'), /not a friend/);
  });

  it('counts unread messages only while the conversation is not visible', () => {
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'one' });
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'two' });
    assert.equal(model.contacts.get(BOB)!.unread, 2);
    model.setVisible(BOB, true);
    assert.equal(model.contacts.get(BOB)!.unread, 0);
    model.handle({ event: 'message', friend: 0, public_key: BOB, type: 'normal', text: 'three' });
    assert.equal(model.contacts.get(BOB)!.unread, 0);
    const appended = changes.filter((c) => c.kind === 'append' && c.incoming);
    assert.equal(appended.length, 3);
  });

  it('keeps friend requests from blocked keys and existing friends away from the user', async () => {
    model.handle({ event: 'friend_request', public_key: BOB, message: 'already a friend' });
    assert.equal(model.requests.size, 0);
    model.handle({ event: 'friend_request', public_key: CAROL.toLowerCase(), message: 'hi' });
    assert.ok(model.requests.has(CAROL), 'keys are normalised to upper case');
    await model.block(CAROL);
    assert.equal(model.requests.size, 0);
    model.handle({ event: 'friend_request', public_key: CAROL, message: 'again' });
    assert.equal(model.requests.size, 0, 'a blocked key stays out');
    await model.unblock(CAROL);
    model.handle({ event: 'friend_request', public_key: CAROL, message: 'again' });
    assert.equal(model.requests.size, 1);
  });

  it('caps peer names and status messages at toxcore limits and keeps aliases beside them', async () => {
    model.handle({ event: 'friend_name', friend: 0, name: 'n'.repeat(5000) });
    model.handle({ event: 'friend_status_message', friend: 0, text: 's'.repeat(5000) });
    assert.equal(Buffer.byteLength(model.contacts.get(BOB)!.name), 128);
    assert.equal(Buffer.byteLength(model.contacts.get(BOB)!.statusMessage), 1007);
    await model.setAlias(BOB, '  Bob (work)  ');
    const view = model.peerView(BOB)!;
    assert.equal(view.alias, 'Bob (work)');
    assert.equal(view.name, 'n'.repeat(128));
    assert.equal(model.displayName(BOB), 'Bob (work)');
    await model.setAlias(BOB, null);
    assert.equal(model.peerView(BOB)!.alias, null);
  });
});
