// A rejected send keeps the draft: `send` between webview and host is request/response.
// The webview side (DraftSends) and the host side (sendReply, with the real chat model) are
// pure, so the whole round trip is checked here without a browser.

import { strict as assert } from 'node:assert';
import { check } from '../../src/protocol/guard';
import { fromWebview, toWebview } from '../../src/protocol/webview';
import { DraftSends } from '../../src/webview/draft';
import { invalidSendReply, refusedSendReply, sendReply } from '../../src/extension/sendReply';
import { ChatModel } from '../../src/core/chat/chatModel';
import { StoredPrefs } from '../../src/core/chat/prefs';
import { MemoryStore } from '../helpers/chat';
import { ScriptedNode } from '../helpers/scripted-node';

const KEY = 'B'.repeat(64);

describe('send request/response (a rejected send keeps the draft)', () => {
  it('the guards: send needs a request id; send_result is ok or an error with a reason', () => {
    assert.ok(check(fromWebview, { type: 'send', request_id: 7, key: KEY, text: 'hi' }).ok);
    assert.equal(check(fromWebview, { type: 'send', key: KEY, text: 'hi' }).ok, false, 'no request id: no way to answer');
    for (const bad of [0, -1, 1.5, '7', 2 ** 31]) assert.equal(check(fromWebview, { type: 'send', request_id: bad, key: KEY, text: 'hi' }).ok, false);
    assert.ok(check(toWebview, { type: 'send_result', request_id: 7, ok: true }).ok);
    assert.ok(check(toWebview, { type: 'send_result', request_id: 7, ok: false, error: 'not a friend' }).ok);
    assert.equal(check(toWebview, { type: 'send_result', request_id: 7, ok: 'yes' }).ok, false);
    assert.equal(check(toWebview, { type: 'send_result', request_id: 7, ok: false, error: 'x'.repeat(4097) }).ok, false);
  });

  it('webview: the draft stays on an error (with the reason) and goes only on ok', () => {
    const d = new DraftSends();
    const id = d.begin('hello')!;
    assert.equal(d.begin('hello'), null, 'no second send while one is unanswered');
    assert.deepEqual(d.settle({ request_id: id, ok: false, error: 'not a friend' }, 'hello'), { composer: 'hello', error: 'not a friend' });
    const id2 = d.begin('hello')!;
    assert.notEqual(id2, id);
    assert.deepEqual(d.settle({ request_id: id2, ok: true }, 'hello'), { composer: '', error: null });
  });

  it('webview: text typed while the send was in flight survives the ok', () => {
    const d = new DraftSends();
    const id = d.begin('first')!;
    assert.deepEqual(d.settle({ request_id: id, ok: true }, 'first and more'), { composer: ' and more', error: null });
    const id2 = d.begin('x')!;
    assert.deepEqual(d.settle({ request_id: id2, ok: true }, 'replaced'), { composer: 'replaced', error: null });
  });

  it('webview: a reply for another request (stale, or after a reset) changes nothing', () => {
    const d = new DraftSends();
    const id = d.begin('hello')!;
    assert.equal(d.settle({ request_id: id + 1, ok: true }, 'hello'), null);
    d.reset();
    assert.equal(d.settle({ request_id: id, ok: true }, 'hello'), null);
    assert.equal(d.begin('   '), null, 'nothing to send');
  });

  it('host: the real chat model refuses an unknown friend and an empty action; the reply says why', () => {
    const node = new ScriptedNode();
    const model = new ChatModel(() => node, new StoredPrefs(new MemoryStore()));
    try {
      const refused = sendReply(3, () => model.send(KEY, 'hi'));
      assert.deepEqual(refused, { type: 'send_result', request_id: 3, ok: false, error: 'not a friend' });
      assert.ok(check(toWebview, refused).ok);
      assert.equal(model.messages(KEY).length, 0);
      assert.deepEqual(
        sendReply(4, () => undefined),
        { type: 'send_result', request_id: 4, ok: true },
      );
    } finally {
      model.dispose();
    }
  });

  it('host: a send for another conversation, or one too long for the guard, is answered with an error', () => {
    const other = refusedSendReply(5, 'key-mismatch');
    assert.equal(other.ok, false);
    assert.match(other.error!, /key-mismatch/);
    const raw = { type: 'send', request_id: 6, key: KEY, text: 'x'.repeat(100_001) };
    const guard = check(fromWebview, raw);
    assert.equal(guard.ok, false);
    const reply = invalidSendReply(raw, guard.ok ? '' : guard.error)!;
    assert.equal(reply.request_id, 6);
    assert.match(reply.error!, /longer than 100000/);
    assert.ok(!reply.error!.includes('xxxx'), 'the text itself is not echoed');
    assert.equal(invalidSendReply({ type: 'typing', request_id: 6 }, 'bad'), null, 'only sends are answered');
    assert.equal(invalidSendReply({ type: 'send', key: KEY }, 'bad'), null, 'no request id: nothing to answer');
  });
});
