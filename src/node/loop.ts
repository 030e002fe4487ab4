// Drives tox_iterate. Wakes on socket activity (SocketPoller) or after tox_iteration_interval(),
// and iterates at once after outgoing work (kick) so a sent message leaves without waiting.

import type { SocketPoller } from './poller';

export interface Iterable {
  iterate(): void;
  iterationInterval(): number;
}

/** How often to look for sockets libtoxcore opened or closed (TCP relays come and go). */
const RESCAN_MS = 1000;

export class ToxLoop {
  private disposed = false;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastScan = 0;
  private running = false;
  /** Called after every iteration (e.g. to flush file writes) — errors go to onError. */
  afterIterate: () => void = () => {};

  constructor(
    private readonly target: Iterable,
    private readonly poller: SocketPoller | null,
    private readonly onError: (e: unknown) => void,
  ) {}

  start(): void {
    if (this.running || this.disposed) return;
    this.running = true;
    this.cycle();
  }

  /** Iterate soon, outside the current call stack (never re-entrantly inside a callback). */
  kick(): void {
    if (this.disposed || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.iterateOnce();
    });
  }

  private iterateOnce(): void {
    if (this.disposed) return;
    try {
      this.target.iterate();
      this.afterIterate();
    } catch (e) {
      this.onError(e);
    }
  }

  private cycle = (): void => {
    if (this.disposed) return;
    this.iterateOnce();
    if (this.disposed) return;
    let interval = 50;
    try {
      interval = this.target.iterationInterval();
    } catch (e) {
      this.onError(e);
    }
    const now = Date.now();
    if (this.poller && now - this.lastScan >= RESCAN_MS) {
      this.lastScan = now;
      this.poller.rescan();
    }
    if (this.poller && this.poller.watching.length > 0) {
      this.poller.wait(interval, this.cycle);
    } else {
      this.timer = setTimeout(this.cycle, interval);
    }
  };

  /** Stops iterating. A poll already on the worker thread returns within one interval and
   *  then finds the loop disposed; nothing else outlives this call. */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
