// The iterate loop: it watches libtoxcore's own sockets, wakes when a packet arrives, and
// nothing of it outlives dispose.

import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { loadLibtoxcore } from '../../src/tox/loader';
import { ToxLoop } from '../../src/node/loop';
import { SocketPoller, toxSocketFds } from '../../src/node/poller';
import { Tox } from '../../src/tox/tox';
import { assertLoopbackOnly } from '../helpers/netns';
import { sleep } from '../helpers/wait';

describe('the Tox loop', () => {
  let tox: Tox | null = null;
  before(() => assertLoopbackOnly());
  afterEach(() => {
    tox?.dispose();
    tox = null;
  });

  it('finds the UDP socket libtoxcore opened, and only INET sockets', () => {
    const before = toxSocketFds();
    tox = Tox.create(loadLibtoxcore(), { udp: true, localDiscovery: false, startPort: 0, endPort: 0 });
    const after = toxSocketFds();
    assert.equal(after.length, before.length + 1, `fds before ${before} after ${after}`);
    assert.ok(tox.udpPort()! > 0);
  });

  it('wakes within milliseconds when a datagram reaches a watched socket, not after the interval', async () => {
    tox = Tox.create(loadLibtoxcore(), { udp: true, localDiscovery: false });
    const poller = new SocketPoller(loadLibtoxcore().libc);
    poller.rescan();
    assert.ok(poller.watching.length >= 1);
    const sender = createSocket('udp4');
    try {
      const t0 = process.hrtime.bigint();
      const woke = new Promise<{ woken: boolean; ms: number }>((resolve) =>
        poller.wait(2000, (woken) => resolve({ woken, ms: Number(process.hrtime.bigint() - t0) / 1e6 })),
      );
      setTimeout(() => sender.send(Buffer.from([0xff]), tox!.udpPort()!, '127.0.0.1'), 20);
      const r = await woke;
      assert.equal(r.woken, true);
      assert.ok(r.ms < 1000, `woke after ${r.ms} ms`);
    } finally {
      sender.close();
    }
  });

  it('iterates, and stops iterating on dispose', async () => {
    tox = Tox.create(loadLibtoxcore(), { udp: true, localDiscovery: false });
    let n = 0;
    const target = { iterate: () => (n++, tox!.iterate()), iterationInterval: () => 5 };
    const loop = new ToxLoop(target, new SocketPoller(loadLibtoxcore().libc), (e) => assert.fail(String(e)));
    loop.start();
    await sleep(200);
    assert.ok(n >= 10, `iterated ${n} times in 200 ms at a 5 ms interval`);
    loop.dispose();
    await sleep(20); // let a poll already on the worker thread return
    const stopped = n;
    await sleep(100);
    assert.equal(n, stopped);
  });
});
