// What a group webview is sent (src/extension/groupViews.ts) passes the webview's own guard,
// names senders by the rules of groupNames.ts, and the webview protocol's group messages are
// checked on receipt like every other (a forged or malformed one is dropped).

import { strict as assert } from 'node:assert';
import { GroupBook } from '../../src/core/chat/groupModel';
import type { Prefs } from '../../src/core/chat/prefs';
import { groupMessageView, groupView } from '../../src/extension/groupViews';
import { check } from '../../src/protocol/guard';
import { fromWebview, toWebview } from '../../src/protocol/webview';
import { CHAT, fakeGroupNode, groupInfo, groupMessage, groupPeer, SELF_GROUP_KEY } from '../helpers/groupEvents';
import { readyEvent } from '../helpers/events';
import { tick } from '../helpers/wait';

const BOB = 'B'.repeat(64);
const EVE = '2'.repeat(64);

function prefs(aliases: Record<string, string>): Prefs {
  return { alias: (k) => aliases[k] ?? null, setAlias: async () => undefined, isBlocked: () => false, setBlocked: async () => undefined, blocked: () => [] };
}

describe('group webview messages', () => {
  async function setup(): Promise<GroupBook> {
    const node = fakeGroupNode([groupInfo(0, [groupPeer(1, BOB, 'bob', { role: 'moderator' }), groupPeer(2, EVE, 'You')], { topic: 't\u202eopic' })]);
    const b = new GroupBook({ node: () => node, prefs: () => prefs({ [BOB]: 'Bobby' }), selfName: () => null, friendKey: () => null });
    b.handle(readyEvent([]));
    for (let i = 0; i < 5; i++) await tick();
    return b;
  }

  it('a group conversation passes the webview guard, with senders decided by key', async () => {
    const b = await setup();
    b.handle(groupMessage(0, 2, EVE, 'You', 'i am you'));
    b.handle(groupMessage(0, 1, BOB, 'Mallory', 'hi'));
    b.send(CHAT, 'mine');
    const g = b.groups.get(CHAT)!;
    const msg = { type: 'group_conversation', group: groupView(b, g), messages: b.messages(CHAT).map((m) => groupMessageView(b, g, m)) };
    const r = check(toWebview, msg);
    assert.ok(r.ok, r.ok ? '' : r.error);
    const senders = msg.messages.map((m) => m.sender);
    assert.deepEqual(senders, [{ kind: 'peer', name: 'You', tag: EVE.slice(0, 6) }, { kind: 'alias', text: 'Bobby' }, { kind: 'you' }]);
    assert.deepEqual(
      msg.group.peers.map((p) => [p.role, p.sender.kind]),
      [
        ['moderator', 'alias'],
        ['user', 'peer'],
      ],
    );
    assert.equal(msg.group.self_role, 'founder');
    assert.equal(g.selfKey, SELF_GROUP_KEY);
  });

  it('drops malformed group messages from the webview (positive control: a valid one passes)', () => {
    const ok = { type: 'group_moderate', chat_id: CHAT, key: BOB, action: 'kick' };
    assert.ok(check(fromWebview, ok).ok);
    assert.ok(!check(fromWebview, { ...ok, action: 'founder' }).ok);
    assert.ok(!check(fromWebview, { ...ok, chat_id: 'zz' }).ok);
    assert.ok(!check(fromWebview, { type: 'group_send', request_id: 0, chat_id: CHAT, text: 'x' }).ok);
    assert.ok(check(fromWebview, { type: 'group_send', request_id: 1, chat_id: CHAT, text: 'x' }).ok);
    assert.ok(
      !check(toWebview, {
        type: 'group_append',
        chat_id: CHAT,
        messages: [{ id: 'a', dir: 'in', kind: 'normal', text: 'x', ts: 1, sender: { kind: 'peer', name: 'x', tag: '<b>' } }],
      }).ok,
    );
  });
});
