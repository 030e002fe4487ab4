// The sender's state machine, driven by hand-made node events and answers: the cases a live
// network produces only rarely (a receipt ahead of its send result, a disconnect between
// "sent" and "delivered", a node restart, refusals). The real-node version of the common
// path is test/integration/pager.test.ts.

import { strict as assert } from 'node:assert';
import { type Alert, parseAlert, parseAlertPacket } from '../../src/protocol/pagerAlert';
import type { FriendInfo, NodeEvent } from '../../src/protocol/node';
import type { GroupInfo } from '../../src/protocol/nodeGroups';
import type { NodePort } from '../../src/pager/nodePort';
import { type DeliveryInfo, PagerSender, RecipientError } from '../../src/pager/sender';
import { makeToxId } from '../../src/sys/toxAddress';
import { tick } from '../helpers/wait';
import { connectionEvent, friendInfo, readyEvent, receiptEvent } from '../helpers/events';

const BOB_KEY = 'B'.repeat(64);
const CAROL_KEY = 'C0'.repeat(32);
const CAROL_ID = makeToxId(Buffer.from(CAROL_KEY, 'hex'), 0x01020304).toString('hex').toUpperCase();

interface Call {
  body: { cmd: string } & Record<string, unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

class ScriptedPort implements NodePort {
  readonly calls: Call[] = [];
  private readonly listeners = new Set<(e: NodeEvent) => void>();
  friends: FriendInfo[] = [];
  groups: GroupInfo[] = [];
  request = ((body: Call['body']) => {
    // `friends` and `groups` are answered at once; everything else waits for the test.
    if (body.cmd === 'friends') return Promise.resolve({ friends: this.friends });
    if (body.cmd === 'groups') return Promise.resolve({ groups: this.groups });
    return new Promise((resolve, reject) => this.calls.push({ body, resolve: resolve as (v: unknown) => void, reject }));
  }) as NodePort['request'];
  onEvent(l: (e: NodeEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: NodeEvent): void {
    for (const l of this.listeners) l(e);
  }
  take(cmd: string): Call {
    const i = this.calls.findIndex((c) => c.body.cmd === cmd);
    assert.ok(i >= 0, `no ${cmd} request; have ${this.calls.map((c) => c.body.cmd).join(',')}`);
    return this.calls.splice(i, 1)[0]!;
  }
  none(cmd: string): void {
    assert.ok(!this.calls.some((c) => c.body.cmd === cmd), `unexpected ${cmd}`);
  }
}

const friend = (key: string, no: number, connection: FriendInfo['connection']): FriendInfo => friendInfo(key, no, { connection });
const toxErr = (code: string) => Object.assign(new Error(code), { code });

describe('pager sender', () => {
  let port: ScriptedPort;
  let sender: PagerSender;
  let clock: { t: number };
  let history: DeliveryInfo[];
  let n = 0;
  const alert = (over: Partial<Alert> = {}): Alert =>
    ({
      kind: 'alert',
      id: `alert-${++n}`,
      priority: 'warning',
      expiresAt: clock.t + 60_000,
      link: '/x',
      title: 'Build failed',
      body: 'b',
      ...over,
    }) as Alert;

  async function setup(friends: FriendInfo[], opts: ConstructorParameters<typeof PagerSender>[1] = {}) {
    port = new ScriptedPort();
    port.friends = friends;
    clock = { t: Date.UTC(2030, 0, 1) };
    sender = new PagerSender(port, { now: () => clock.t, retryMs: 3_600_000, ...opts });
    history = [];
    sender.onStatus((d) => history.push(d));
    await sender.start();
  }
  afterEach(() => sender.dispose());

  it('an online friend: queued → sent → delivered by the read receipt', async () => {
    await setup([friend(BOB_KEY, 0, 'udp')]);
    const a = alert();
    const d = sender.deliver(BOB_KEY.toLowerCase(), a);
    assert.equal(d.status, 'queued');
    assert.equal(d.to, BOB_KEY);
    const send = port.take('send');
    assert.equal(send.body.friend, 0);
    assert.deepEqual(parseAlert(send.body.text), a, 'the message is the encoded alert');
    const dedup = send.body.dedup as string;
    assert.match(dedup, /^[0-9a-f]{32}$/, 'every send names its delivery');
    send.resolve({ message_ids: [7] });
    await tick();
    assert.equal(sender.status(a.id)!.status, 'sent');
    port.emit(receiptEvent(0, 7)); // a receipt naming no dedup id: someone else's message
    port.emit(receiptEvent(0, 8, 'f'.repeat(32))); // a message of someone else's
    assert.equal(sender.status(a.id)!.status, 'sent');
    port.emit(receiptEvent(0, 7, dedup));
    assert.equal(sender.status(a.id)!.status, 'delivered');
    assert.deepEqual(
      history.map((h) => h.status),
      ['queued', 'sent', 'delivered'],
    );
  });

  it('waits while the friend is offline and sends when they come online', async () => {
    await setup([friend(BOB_KEY, 3, 'none')]);
    const a = alert();
    sender.deliver(BOB_KEY, a);
    port.none('send');
    port.emit(connectionEvent(3, BOB_KEY, 'tcp'));
    port.take('send').resolve({ message_ids: [1] });
    await tick();
    assert.equal(sender.status(a.id)!.status, 'sent');
  });

  it('befriends a full Tox ID itself and delivers once the recipient is online', async () => {
    await setup([]);
    const a = alert();
    sender.deliver(CAROL_ID, a);
    const add = port.take('friend_add');
    assert.equal(add.body.address, CAROL_ID);
    assert.match(String(add.body.message), /toxync pager/);
    sender.deliver(CAROL_ID, alert()); // a second alert does not send a second request
    port.none('friend_add');
    add.resolve({ friend: 4 });
    await tick();
    port.none('send');
    port.emit(connectionEvent(4, CAROL_KEY, 'udp'));
    const sends = [port.take('send'), port.take('send')];
    assert.deepEqual(
      sends.map((s) => parseAlert(s.body.text)!.id),
      [a.id, `alert-${n}`],
      'in order',
    );
  });

  it('refuses recipients it cannot reach, before queuing anything', async () => {
    await setup([]);
    assert.throws(
      () => sender.deliver(BOB_KEY, alert()),
      (e: unknown) => e instanceof RecipientError && /not a friend/.test(e.message),
    );
    assert.throws(() => sender.deliver(CAROL_ID.slice(0, 75) + (CAROL_ID.endsWith('0') ? '1' : '0'), alert()), RecipientError);
    assert.throws(() => sender.deliver('tox:nonsense', alert()), RecipientError);
    assert.equal(port.calls.length, 0);
  });

  it('a refused friend request fails its alerts with the reason', async () => {
    await setup([]);
    const a = alert();
    sender.deliver(CAROL_ID, a);
    port.take('friend_add').reject(toxErr('TOX_ERR_FRIEND_ADD_OWN_KEY'));
    await tick();
    const s = sender.status(a.id)!;
    assert.equal(s.status, 'failed');
    assert.match(s.reason!, /friend request was refused/);
  });

  it('a disconnect after "sent" queues it again; it is resent on reconnect', async () => {
    await setup([friend(BOB_KEY, 0, 'udp')]);
    const a = alert();
    sender.deliver(BOB_KEY, a);
    const first = port.take('send');
    first.resolve({ message_ids: [1] });
    await tick();
    port.emit(connectionEvent(0, BOB_KEY, 'none'));
    assert.equal(sender.status(a.id)!.status, 'queued');
    port.emit(receiptEvent(0, 1, first.body.dedup as string)); // toxcore dropped it: no receipt can count now
    assert.equal(sender.status(a.id)!.status, 'queued');
    port.emit(connectionEvent(0, BOB_KEY, 'udp'));
    const again = port.take('send');
    assert.equal(again.body.dedup, first.body.dedup, 'a re-send keeps its dedup id, so the receiver can drop a repeat');
    again.resolve({ message_ids: [2] });
    await tick();
    port.emit(receiptEvent(0, 2, again.body.dedup as string));
    assert.equal(sender.status(a.id)!.status, 'delivered');
  });

  it('retries "not connected" refusals on the next tick; fails other refusals', async () => {
    await setup([friend(BOB_KEY, 0, 'udp')]);
    const a = alert();
    const b = alert();
    sender.deliver(BOB_KEY, a);
    port.take('send').reject(toxErr('TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_CONNECTED'));
    sender.deliver(BOB_KEY, b);
    port.take('send').reject(toxErr('TOX_ERR_FRIEND_SEND_MESSAGE_TOO_LONG'));
    await tick();
    assert.equal(sender.status(a.id)!.status, 'queued');
    assert.equal(sender.status(b.id)!.status, 'failed');
    sender.tick();
    port.take('send').resolve({ message_ids: [3] });
    await tick();
    assert.equal(sender.status(a.id)!.status, 'sent');
  });

  it('expires what was not delivered in time, queued or sent, and keeps no text afterwards', async () => {
    await setup([friend(BOB_KEY, 0, 'none'), friend(CAROL_KEY, 1, 'udp')]);
    const a = alert({ expiresAt: clock.t + 10_000 });
    const b = alert({ expiresAt: clock.t + 10_000 });
    sender.deliver(BOB_KEY, a);
    sender.deliver(CAROL_KEY, b);
    const sendB = port.take('send');
    sendB.resolve({ message_ids: [9] });
    await tick();
    clock.t += 9_999;
    sender.tick();
    assert.equal(sender.status(a.id)!.status, 'queued');
    clock.t += 1;
    sender.tick();
    assert.equal(sender.status(a.id)!.status, 'expired');
    assert.equal(sender.status(b.id)!.status, 'expired');
    port.emit(receiptEvent(1, 9, sendB.body.dedup as string)); // too late
    assert.equal(sender.status(b.id)!.status, 'expired');
    port.emit(connectionEvent(0, BOB_KEY, 'udp'));
    port.none('send');
    // Finished deliveries are forgotten after the keep time.
    clock.t += 60 * 60_000 + 1;
    sender.tick();
    assert.equal(sender.status(a.id), null);
  });

  it('a receipt that arrives ahead of its send result still counts', async () => {
    await setup([friend(BOB_KEY, 0, 'udp')]);
    const a = alert();
    sender.deliver(BOB_KEY, a);
    const send = port.take('send');
    port.emit(receiptEvent(0, 42, send.body.dedup as string));
    send.resolve({ message_ids: [42] });
    await tick();
    assert.equal(sender.status(a.id)!.status, 'delivered');
  });

  it('a restarted node (ready) voids message ids: sent alerts go out again', async () => {
    await setup([friend(BOB_KEY, 0, 'udp')]);
    const a = alert();
    sender.deliver(BOB_KEY, a);
    port.take('send').resolve({ message_ids: [1] });
    await tick();
    port.emit(readyEvent([friend(BOB_KEY, 5, 'udp')], { name: '', nospam: 0, connection: 'none' }));
    const again = port.take('send');
    assert.equal(again.body.friend, 5, 'the new friend number');
    again.resolve({ message_ids: [1] });
    await tick();
    port.emit(receiptEvent(5, 1, again.body.dedup as string));
    assert.equal(sender.status(a.id)!.status, 'delivered');
  });

  it('mirrors the alert in a lossless custom packet when asked', async () => {
    await setup([friend(BOB_KEY, 0, 'udp')], { mirrorPacket: true });
    const a = alert();
    sender.deliver(BOB_KEY, a);
    port.take('send').resolve({ message_ids: [1] });
    await tick();
    const pkt = port.take('custom_packet');
    assert.equal(pkt.body.lossless, true);
    assert.deepEqual(parseAlertPacket(pkt.body.data), a);
  });

  it('refuses a second alert with the same id and bounds what it holds', async () => {
    await setup([friend(BOB_KEY, 0, 'none')], { maxDeliveries: 2 });
    const a = alert();
    sender.deliver(BOB_KEY, a);
    assert.throws(() => sender.deliver(BOB_KEY, a), /sent already/);
    sender.deliver(BOB_KEY, alert());
    assert.throws(() => sender.deliver(BOB_KEY, alert()), /waiting for delivery/);
  });

  it('a group recipient: queued until a member is there, one group message, `sent` is final', async () => {
    const CHAT = 'AB'.repeat(32);
    const group = (peers: number, connected = true): GroupInfo =>
      ({ group: 3, chat_id: CHAT, connected, peers: Array.from({ length: peers }, (_, i) => ({ peer: i })) }) as unknown as GroupInfo;
    await setup([]);
    assert.throws(
      () => sender.deliver(`group:${CHAT}`, alert()),
      (e: unknown) => e instanceof RecipientError && /not in this group/.test(e.message),
    );
    assert.throws(() => sender.deliver('group:12', alert()), RecipientError);
    port.groups = [group(0)];
    port.emit({ event: 'group_self_join', group: 3, chat_id: CHAT });
    await tick();
    // A GIF cannot go to a group (no file transfers in NGC): refused, not dropped in silence.
    assert.throws(
      () => sender.deliver(`group:${CHAT}`, alert(), { style: 'badge', text: 'ok' }),
      (e: unknown) => e instanceof RecipientError && /cannot carry a GIF/.test(e.message),
    );
    const a = alert();
    assert.equal(sender.deliver(`group:${CHAT.toLowerCase()}`, a).to, `group:${CHAT}`);
    port.none('group_send_message'); // nobody else in the group yet
    port.groups = [group(1)];
    port.emit({ event: 'group_peer_join', group: 3, peer: 0, name: 'x', public_key: BOB_KEY });
    await tick();
    const send = port.take('group_send_message');
    assert.equal(send.body.group, 3);
    assert.deepEqual(parseAlert(send.body.text), a, 'the 1:1 wire format');
    send.resolve({ message_ids: [9] });
    await tick();
    assert.equal(sender.status(a.id)!.status, 'sent');
    // Final: a node restart does not send it again, and its expiry does not mark it expired.
    port.emit(readyEvent([]));
    await tick();
    clock.t += 120_000;
    sender.tick();
    port.none('group_send_message');
    assert.equal(sender.status(a.id)!.status, 'sent');
  });
});
