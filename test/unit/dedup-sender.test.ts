// The node's side of "a receipt names its message": DedupSender turns per-part Tox receipts
// into one receipt naming the message's dedup id, once every part is confirmed.

import { strict as assert } from 'node:assert';
import { DedupSender } from '../../src/node/dedup';
import { check } from '../../src/protocol/guard';
import { event } from '../../src/protocol/node';

const D = 'd'.repeat(32);
const E = 'e'.repeat(32);

describe('dedup sender (receipts name their message)', () => {
  it('names the message only on the receipt of its last unconfirmed part, in any order', () => {
    const s = new DedupSender();
    s.sent(0, D, [7, 8, 9]);
    assert.equal(s.receipt(0, 7), undefined);
    assert.equal(s.receipt(0, 9), undefined);
    assert.equal(s.receipt(0, 8), D);
    assert.equal(s.receipt(0, 8), undefined, 'a repeated receipt names nothing');
  });

  it('keeps friends apart and ignores message ids it never sent', () => {
    const s = new DedupSender();
    s.sent(0, D, [1]);
    s.sent(1, E, [1]);
    assert.equal(s.receipt(2, 1), undefined);
    assert.equal(s.receipt(0, 5), undefined);
    assert.equal(s.receipt(1, 1), E);
    assert.equal(s.receipt(0, 1), D);
  });

  it('a re-send under the same id replaces the parts toxcore dropped', () => {
    const s = new DedupSender();
    s.sent(0, D, [1, 2]);
    s.sent(0, D, [3]);
    assert.equal(s.receipt(0, 1), undefined, 'the dropped parts no longer count');
    assert.equal(s.receipt(0, 3), D);
  });

  it('forgets a friend that went offline: no stale receipt names a message', () => {
    const s = new DedupSender();
    s.sent(0, D, [1]);
    s.forget(0);
    assert.equal(s.receipt(0, 1), undefined);
  });

  it('the receipt event takes an optional dedup id and refuses a malformed one', () => {
    assert.ok(check(event, { event: 'receipt', friend: 0, message_id: 1 }).ok);
    assert.ok(check(event, { event: 'receipt', friend: 0, message_id: 1, dedup: D }).ok);
    assert.equal(check(event, { event: 'receipt', friend: 0, message_id: 1, dedup: 'D'.repeat(32) }).ok, false);
    assert.equal(check(event, { event: 'receipt', friend: 0, message_id: 1, dedup: 7 }).ok, false);
  });
});
