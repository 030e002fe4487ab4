// The receiver's half of prompt read receipts: after an iteration that delivered messages,
// one 1-byte lossy packet per sending friend (it carries toxcore's acknowledgement), and a
// peer's nudge is consumed, never shown as a custom packet.

import { strict as assert } from 'node:assert';
import { RECEIPT_NUDGE_ID, ReceiptNudger } from '../../src/node/receiptNudge';

describe('receipt nudge', () => {
  it('one nudge per friend per iteration, however many messages, and none without messages', () => {
    const sent: [number, number[]][] = [];
    const n = new ReceiptNudger((friend, data) => sent.push([friend, [...data]]));
    n.flush();
    assert.deepEqual(sent, [], 'an iteration without messages sends nothing');
    n.received(3);
    n.received(3);
    n.received(5);
    n.flush();
    assert.deepEqual(sent, [
      [3, [RECEIPT_NUDGE_ID]],
      [5, [RECEIPT_NUDGE_ID]],
    ]);
    n.flush();
    assert.equal(sent.length, 2, 'flushed friends are not nudged again');
  });

  it('a friend gone offline does not stop the others from being nudged', () => {
    const sent: number[] = [];
    const n = new ReceiptNudger((friend) => {
      if (friend === 1) throw new Error('TOX_ERR_FRIEND_CUSTOM_PACKET_FRIEND_NOT_CONNECTED');
      sent.push(friend);
    });
    n.received(1);
    n.received(2);
    n.flush();
    assert.deepEqual(sent, [2]);
  });

  it('recognises exactly the nudge packet (positive control: other lossy packets pass)', () => {
    assert.equal(ReceiptNudger.isNudge(Buffer.from([RECEIPT_NUDGE_ID])), true);
    assert.equal(ReceiptNudger.isNudge(Buffer.from([RECEIPT_NUDGE_ID, 0])), false);
    assert.equal(ReceiptNudger.isNudge(Buffer.from([0xc8])), false);
    assert.ok(RECEIPT_NUDGE_ID >= 200 && RECEIPT_NUDGE_ID <= 254, "tox.h's custom lossy range");
  });
});
