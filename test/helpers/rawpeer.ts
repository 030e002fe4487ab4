// A Tox peer run directly on the wrapper in the test process, for what toxync itself never
// sends: file names with paths and control characters, oversized or non-image avatars. It
// plays the hostile sender. Only inside a loopback-only namespace.

import { loadLibtoxcore } from '../../src/tox/loader';
import { ToxLoop } from '../../src/node/loop';
import { Tox } from '../../src/tox/tox';
import { assertLoopbackOnly } from './netns';
import { untilEmitted } from './wait';

interface Outgoing {
  data: Buffer;
  done: boolean;
  control: string | null;
}

export class RawPeer {
  readonly tox: Tox;
  private readonly loop: ToxLoop;
  private readonly out = new Map<string, Outgoing>();
  private readonly online = new Set<number>();
  private readonly listeners = new Set<() => void>();

  constructor(boot: { port: number; dht: string }) {
    assertLoopbackOnly();
    this.tox = Tox.create(loadLibtoxcore(), { udp: true, localDiscovery: false, ipv6: false });
    this.tox.bootstrap('127.0.0.1', boot.port, boot.dht);
    this.tox.on('friendConnectionStatus', (f, s) => {
      if (s === 'none') this.online.delete(f);
      else this.online.add(f);
      this.wake();
    });
    this.tox.on('fileChunkRequest', (f, n, pos, len) => {
      const o = this.out.get(`${f}:${n}`);
      if (!o) return;
      if (len === 0) {
        o.done = true;
        this.wake();
        return;
      }
      // A stream (unknown size) ends with a chunk shorter than asked for, here an empty one.
      this.tox.fileSendChunk(f, n, pos, o.data.subarray(pos, pos + len));
    });
    this.tox.on('fileRecvControl', (f, n, c) => {
      const o = this.out.get(`${f}:${n}`);
      if (o) o.control = c;
      this.wake();
    });
    this.loop = new ToxLoop(this.tox, null, () => {});
    this.loop.start();
  }

  private wake(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when `pred` holds (checked after every Tox event and every 200 ms), or rejects after `ms`. */
  async until(pred: () => boolean, ms: number, what: string): Promise<void> {
    await untilEmitted(
      `raw peer: ${what}`,
      ms,
      (l: (v: undefined) => void) => {
        const wake = () => l(undefined);
        this.listeners.add(wake);
        const poll = setInterval(wake, 200);
        return () => {
          this.listeners.delete(wake);
          clearInterval(poll);
        };
      },
      () => pred(),
    );
  }

  isOnline(friend: number): boolean {
    return this.online.has(friend);
  }

  /** Offers `data` under any name and kind (0 data, 1 avatar); serves it from memory. */
  sendFile(friend: number, kind: number, name: string, data: Buffer, fileId?: Buffer, unknownSize = false): number {
    const file = this.tox.fileSend(friend, kind, unknownSize ? null : data.length, name, fileId);
    this.out.set(`${friend}:${file}`, { data, done: false, control: null });
    this.loop.kick();
    return file;
  }

  state(friend: number, file: number): Outgoing | undefined {
    return this.out.get(`${friend}:${file}`);
  }

  dispose(): void {
    this.loop.dispose();
    this.tox.dispose();
  }
}
