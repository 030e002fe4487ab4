// The supervised Tox node process: a crash (kill -9) or a hang costs a restart, never the
// identity, the friends or a queued command.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import type { NodeConfig, NodeEvent } from '../../src/protocol/node';
import { NodeRestartedError, type NodeState, NodeSupervisor } from '../../src/core/supervisor/supervisor';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, tempDir } from '../helpers/peer';
import { untilEmitted } from '../helpers/wait';

function untilEvent<T>(
  sup: NodeSupervisor,
  pick: (e: NodeEvent) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<Exclude<T, null | undefined | false>> {
  return untilEmitted(
    what,
    timeoutMs,
    (l: (e: NodeEvent) => void) => sup.onEvent(l),
    (e) => (e === undefined ? undefined : pick(e)),
  );
}

async function state(sup: NodeSupervisor, want: NodeState, timeoutMs = 30_000): Promise<void> {
  await untilEmitted(
    `state ${want} (was ${sup.state})`,
    timeoutMs,
    (l: (s: NodeState) => void) => sup.onState(l),
    (s) => (s ?? sup.state) === want,
  );
}

describe('the supervised Tox node process', function () {
  this.timeout(180_000);
  const peers: CliPeer[] = [];
  let sup: NodeSupervisor;
  let bob: CliPeer;
  let address = '';
  let friend = -1;
  const states: NodeState[] = [];

  before(async () => {
    assertLoopbackOnly();
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const r = await seed.ready();
    const boot = { host: '127.0.0.1', port: r.udp_port!, public_key: r.dht_id };
    bob = CliPeer.start('bob', ['--bootstrap', `127.0.0.1:${r.udp_port}:${r.dht_id}`, '--accept-friends']);
    peers.push(bob);
    const config: NodeConfig = {
      profile_dir: tempDir('supervised'),
      bootstrap: [boot],
      relays: [],
      public_nodes: false,
      udp: true,
      local_discovery: false,
      accept_friends: false,
      echo: false,
      insecure_plain_profile: true,
    };
    sup = new NodeSupervisor({
      script: join(packageRoot(), 'dist', 'toxnode.js'),
      config,
      heartbeatMs: 250,
      heartbeatTimeoutMs: 1500,
      backoffInitialMs: 100,
    });
    sup.onState((s) => states.push(s));
  });

  after(async () => {
    await sup?.stop();
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
  });

  it('starts the node, publishes its state, and befriends a peer', async () => {
    const ready = untilEvent(sup, (e) => (e.event === 'ready' ? e : undefined), 20_000, 'ready');
    sup.start();
    address = (await ready).address;
    assert.deepEqual(states.slice(0, 2), ['starting', 'connecting']);
    friend = (await sup.request({ cmd: 'friend_add', address: (await bob.ready()).address, message: 'supervised hello' })).friend;
    await untilEvent(sup, (e) => (e.event === 'friend_connection' && e.friend === friend && e.status !== 'none' ? true : undefined), 60_000, 'friend online');
    assert.match(sup.state, /^online-(udp|tcp)$/);
  });

  /** The host's own event loop blocked for `ms`: whatever the node wrote meanwhile waits unread in the pipe. */
  function hostBusy(ms: number): void {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      /* the host is busy, not the node */
    }
  }

  /** A few heartbeats with the host responsive again, then: still the same node? */
  async function sameNodeAfterHeartbeats(pid: number, restarts: number): Promise<void> {
    const info = await sup.request({ cmd: 'info' });
    assert.equal(info.address, address);
    await new Promise((r) => setTimeout(r, 2 * 1500));
    await sup.request({ cmd: 'info' });
    assert.equal(sup.pid, pid, 'the supervisor killed a node that was answering');
    assert.equal(sup.restartCount, restarts);
  }

  // At-rest test, 1,000 messages each way: the host was busy sending and storing for seconds,
  // the node's pongs waited unread behind its message events, and the supervisor killed the
  // healthy node — losing the events still in its write queue, whose messages toxcore had
  // already acknowledged to the sender (docs/decisions.md). The SIGSTOP test below is the
  // positive control: a node that really stops answering is still killed.
  it('a host busy for longer than the heartbeat timeout does not kill a healthy node', async () => {
    const pid = sup.pid!;
    const restarts = sup.restartCount;
    hostBusy(3 * 1500);
    await sameNodeAfterHeartbeats(pid, restarts);
  });

  it('a host slow to handle a backlog of node events does not kill a healthy node', async () => {
    const pid = sup.pid!;
    const restarts = sup.restartCount;
    const off = sup.onEvent(() => hostBusy(50));
    try {
      // 100 answers at 50 ms each: ~5 s of events ahead of any pong.
      await Promise.all(Array.from({ length: 100 }, () => sup.request({ cmd: 'info' })));
    } finally {
      off();
    }
    await sameNodeAfterHeartbeats(pid, restarts);
  });

  it('after kill -9 it restarts with the same Tox ID, the friend comes back and messages flow', async () => {
    const pid = sup.pid!;
    const restarted = untilEvent(sup, (e) => (e.event === 'ready' ? e : undefined), 30_000, 'ready after restart');
    process.kill(pid, 'SIGKILL');
    await state(sup, 'crashed-restarting', 5000);
    const info = await restarted;
    assert.notEqual(sup.pid, pid);
    assert.equal(info.address, address);
    assert.deepEqual(
      info.friends.map((f) => f.public_key),
      [(await bob.ready()).public_key],
    );
    await untilEvent(
      sup,
      (e) => (e.event === 'friend_connection' && e.friend === friend && e.status !== 'none' ? true : undefined),
      90_000,
      'friend back online',
    );
    const start = bob.events.length;
    await sup.request({ cmd: 'send', friend, text: 'I survived a kill -9' });
    await bob.waitFor(() => bob.events.slice(start).some((e) => e.event === 'message' && e.text === 'I survived a kill -9'), 20_000, 'message');
    assert.ok(sup.restartCount >= 1);
  });

  it('a command in flight when the node dies is rejected, never replayed; one queued meanwhile is delivered once', async () => {
    const pid = sup.pid!;
    // Stop the process so the command is delivered to a node that will never answer.
    process.kill(pid, 'SIGSTOP');
    const inFlight = sup.request({ cmd: 'send', friend, text: 'in flight' });
    const restarted = untilEvent(sup, (e) => (e.event === 'ready' ? e : undefined), 30_000, 'ready after hang');
    // The missed heartbeat makes the supervisor kill it (SIGKILL works on a stopped process).
    await assert.rejects(inFlight, NodeRestartedError);
    const queued = sup.request({ cmd: 'set_status_message', text: 'queued while down' });
    await restarted;
    await queued;
    const info = await sup.request({ cmd: 'info' });
    assert.equal(info.status_message, 'queued while down');
    assert.equal(info.address, address);
  });

  it('stops cleanly and stays stopped', async () => {
    const pid = sup.pid!;
    await sup.stop();
    assert.equal(sup.state, 'stopped');
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    await assert.rejects(sup.request({ cmd: 'info' }), /stopped/);
  });
});
