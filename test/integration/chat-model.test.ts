// The extension host's chat model over two real Tox node processes (real libtoxcore, real
// local DHT): friend request → accept → messages both ways with delivery states, /me
// actions, typing, and the outbox: a message to an offline friend waits and is delivered
// when the friend's node comes back.

import { strict as assert } from 'node:assert';
import type { DeliveryState } from '../../src/protocol/webview';
import { HostUnderTest } from '../helpers/chat';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer } from '../helpers/peer';

describe('chat model with real Tox nodes (Alice and Bob)', function () {
  this.timeout(240_000);
  let seed: CliPeer;
  let alice: HostUnderTest;
  let bob: HostUnderTest;
  let aliceKey = '';
  let bobKey = '';

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const r = await seed.ready();
    const boot = { host: '127.0.0.1', port: r.udp_port!, public_key: r.dht_id };
    alice = HostUnderTest.create('alice', boot);
    bob = HostUnderTest.create('bob', boot);
    alice.start();
    bob.start();
    await alice.until(() => alice.model.self !== null, 20_000, 'ready');
    await bob.until(() => bob.model.self !== null, 20_000, 'ready');
    aliceKey = alice.model.self!.public_key.toUpperCase();
    bobKey = bob.model.self!.public_key.toUpperCase();
  });

  after(async () => {
    alice?.model.dispose();
    bob?.model.dispose();
    await Promise.all([alice?.stopNode(), bob?.stopNode(), seed?.stop()]);
    seed?.cleanup();
  });

  const online = (h: HostUnderTest, key: string) => () => (h.model.contacts.get(key)?.connection ?? 'none') !== 'none';
  const statesOf = (h: HostUnderTest, id: string): DeliveryState[] => h.changes.flatMap((c) => (c.kind === 'state' && c.id === id ? [c.state] : []));

  it('a friend request arrives with its message, is accepted, and both see each other online', async () => {
    await alice.model.addFriend(bob.model.self!.address, 'hi bob, it is alice');
    assert.ok(alice.model.contacts.has(bobKey));
    await bob.until(() => bob.model.requests.has(aliceKey), 60_000, 'friend request');
    assert.equal(bob.model.requests.get(aliceKey)!.message, 'hi bob, it is alice');
    await bob.model.acceptRequest(aliceKey);
    assert.ok(!bob.model.requests.has(aliceKey));
    await Promise.all([alice.until(online(alice, bobKey), 90_000, 'bob online'), bob.until(online(bob, aliceKey), 90_000, 'alice online')]);
    assert.equal(alice.model.peerView(bobKey)!.presence, 'online');
  });

  it('messages go both ways: sending → sent → delivered, actions via /me, unread counts', async () => {
    const sent = alice.model.send(bobKey, 'hello **bob** ${x} <img src=x onerror=alert(1)>');
    await alice.until(() => alice.model.messages(bobKey).find((m) => m.id === sent.id)?.state === 'delivered', 30_000, 'delivered');
    // The receipt can overtake the `send` result (a receiving toxync node acknowledges at once,
    // src/node/receiptNudge.ts, and one IPC read can carry both): then `sent` is skipped. Never
    // anything after `delivered`.
    const states = statesOf(alice, sent.id);
    assert.ok(
      JSON.stringify(states) === JSON.stringify(['sending', 'sent', 'delivered']) || JSON.stringify(states) === JSON.stringify(['sending', 'delivered']),
      `states ${JSON.stringify(states)}`,
    );
    await bob.until(() => bob.model.messages(aliceKey).some((m) => m.dir === 'in'), 30_000, 'message at bob');
    const got = bob.model.messages(aliceKey).find((m) => m.dir === 'in')!;
    assert.equal(got.text, 'hello **bob** ${x} <img src=x onerror=alert(1)>'); // plain text, byte for byte
    assert.equal(bob.model.contacts.get(aliceKey)!.unread, 1);
    bob.model.setVisible(aliceKey, true);
    assert.equal(bob.model.contacts.get(aliceKey)!.unread, 0);

    const action = bob.model.send(aliceKey, '/me waves');
    assert.equal(action.kind, 'action');
    await alice.until(() => alice.model.messages(bobKey).some((m) => m.dir === 'in' && m.kind === 'action' && m.text === 'waves'), 30_000, 'action at alice');
    await bob.until(() => bob.model.messages(aliceKey).find((m) => m.id === action.id)?.state === 'delivered', 30_000, 'action delivered');
  });

  it('a long message is split by the node and is delivered only when every part is', async () => {
    const long = 'ж'.repeat(3000); // 6000 bytes: five Tox messages
    const receipts: { message_id: number; dedup?: string | undefined }[] = [];
    const off = alice.sup.onEvent((e) => {
      if (e.event === 'receipt') receipts.push({ message_id: e.message_id, dedup: e.dedup });
    });
    const m = alice.model.send(bobKey, long);
    await alice.until(() => alice.model.messages(bobKey).find((x) => x.id === m.id)?.state === 'delivered', 30_000, 'long delivered');
    off();
    // The node names the message on the receipt of its last part only: the host needs no
    // map of toxcore message ids.
    assert.equal(receipts.length, 5, 'one receipt per part');
    assert.equal(receipts.filter((r) => r.dedup !== undefined).length, 1, 'exactly one receipt names the message');
    await bob.until(
      () =>
        bob.model
          .messages(aliceKey)
          .filter((x) => x.dir === 'in')
          .map((x) => x.text)
          .join('')
          .includes(long),
      30_000,
      'all parts',
    );
  });

  it('typing notifications reach the friend', async () => {
    const friend = bob.model.contacts.get(aliceKey)!.friend;
    await bob.sup.request({ cmd: 'typing', friend, typing: true });
    await alice.until(() => alice.model.contacts.get(bobKey)!.typing, 20_000, 'typing on');
    await bob.sup.request({ cmd: 'typing', friend, typing: false });
    await alice.until(() => !alice.model.contacts.get(bobKey)!.typing, 20_000, 'typing off');
  });

  it('a message to an offline friend is queued and delivered when the friend comes back', async () => {
    await bob.stopNode();
    await alice.until(() => !online(alice, bobKey)(), 90_000, 'bob offline');
    assert.equal(alice.model.peerView(bobKey)!.presence, 'offline');
    const queued = alice.model.send(bobKey, 'while you were away');
    assert.equal(queued.state, 'queued');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(alice.model.messages(bobKey).find((m) => m.id === queued.id)!.state, 'queued', 'nothing is sent to an offline friend');
    bob.restartNode();
    await alice.until(() => alice.model.messages(bobKey).find((m) => m.id === queued.id)?.state === 'delivered', 120_000, 'queued message delivered');
    await bob.until(() => bob.model.messages(aliceKey).some((m) => m.text === 'while you were away'), 30_000, 'queued message at bob');
  });
});
