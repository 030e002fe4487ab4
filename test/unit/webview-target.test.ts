// A conversation webview acts on its own conversation only (issue 14, finding 4): the key a
// webview message names is compared with the view's target and anything else is dropped
// with a code; dropped files are listed (names made safe, sizes) before they are sent.

import { strict as assert } from 'node:assert';
import type { FromWebview } from '../../src/protocol/webview';
import { actionTarget, dropDetail, dropMessage, type Target } from '../../src/extension/webviewTarget';

const ALICE = 'A'.repeat(64);
const BOB = 'B'.repeat(64);
const friend = (key: string): Target => ({ kind: 'friend', key });

describe('webview messages act on the view’s own target', () => {
  const forKey = (key: string): FromWebview[] =>
    [
      { type: 'send', key, text: 'hi' },
      { type: 'typing', key, typing: true },
      { type: 'retry', key, id: 'm1' },
      { type: 'open_in_editor', key },
      { type: 'file_action', key, id: 't1', action: 'accept' },
      { type: 'attach', key },
      { type: 'gif_preview', request_id: 1, key, style: 'pulse', text: 'LGTM' },
      { type: 'gif_send', request_id: 1, key },
      { type: 'drop_files', key, uris: ['file:///etc/passwd'] },
      { type: 'seen', key },
    ] as FromWebview[];

  it('positive control: a message for the shown friend acts on that friend (either case)', () => {
    for (const msg of [...forKey(ALICE), ...forKey(ALICE.toLowerCase())])
      assert.deepEqual(actionTarget(friend(ALICE), msg), { ok: true, key: ALICE }, msg.type);
    assert.deepEqual(actionTarget({ kind: 'request', key: BOB }, { type: 'request_action', key: BOB, action: 'accept' } as FromWebview), {
      ok: true,
      key: BOB,
    });
  });

  it('drops a message that names another friend, with a code and no key', () => {
    for (const msg of forKey(BOB)) {
      const v = actionTarget(friend(ALICE), msg);
      assert.deepEqual(v, { ok: false, code: 'key-mismatch' }, msg.type);
    }
  });

  it('drops friend actions in a request view, request actions in a friend view, anything without a target', () => {
    assert.deepEqual(actionTarget({ kind: 'request', key: ALICE }, { type: 'send', key: ALICE, text: 'x' } as FromWebview), {
      ok: false,
      code: 'not-a-friend-view',
    });
    assert.deepEqual(actionTarget(friend(ALICE), { type: 'request_action', key: ALICE, action: 'accept' } as FromWebview), {
      ok: false,
      code: 'not-a-request-view',
    });
    assert.deepEqual(actionTarget(null, { type: 'send', key: ALICE, text: 'x' } as FromWebview), { ok: false, code: 'no-target' });
    // Messages without a key (ready, open_link) are not about a conversation.
    assert.deepEqual(actionTarget(null, { type: 'ready' } as FromWebview), { ok: true, key: null });
  });

  it('the drop question lists names (made safe) and sizes, and names the friend', () => {
    const files = [
      { name: 'report.pdf', size: 2048 },
      { name: '[Details](command:workbench.action.quit)', size: 10 },
      { name: 'gpj.\u202Eexe', size: 1 },
    ];
    const msg = dropMessage('$(verified-filled) Bob', files);
    assert.match(msg, /^Send these 3 files \(.+\) to \$ \(verified-filled\) Bob\?$/);
    const detail = dropDetail(files);
    assert.equal(detail.split('\n').length, 3);
    assert.match(detail, /^report\.pdf — 2(\.0)? KiB$/m);
    assert.ok(!detail.includes('](') && detail.includes('⟦U+202E⟧'));
    assert.match(dropMessage('Bob', [files[0]!]), /^Send this file/);
    assert.match(dropDetail(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, size: i }))), /…and 2 more$/);
  });
});
