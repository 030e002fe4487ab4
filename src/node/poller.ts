// Wakes the Tox loop the moment a packet arrives on one of libtoxcore's sockets.
//
// Why: toxcore only reads its sockets inside tox_iterate. Sleeping tox_iteration_interval()
// (50 ms when idle) between iterations costs ~36 ms of one-way latency; iterating every
// millisecond costs ~5 % of a core while idle (both measured). Instead we poll(2) toxcore's
// INET sockets on a libuv worker thread (koffi's async call) with the iteration interval as
// the timeout: idle cost stays that of the 50 ms loop, and a packet wakes us within
// microseconds. poll() only observes the descriptors; all reading stays in tox_iterate on the
// main thread.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Libc } from '../tox/ffi';

const POLLIN = 0x001;
const POLLNVAL = 0x020;
/** A socket that makes poll return at once this many times in a row, with tox_iterate in
 *  between, is not being drained (e.g. a hung-up TCP socket toxcore has not closed yet).
 *  Busy traffic also returns at once, so the bar is high and the penalty short: the socket is
 *  left out for SUPPRESS_MS (the loop then falls back to its timer for it), never forever. */
const NOISY_STREAK = 2000;
const IMMEDIATE_NS = 200_000n;
const SUPPRESS_MS = 5000;

function inetSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['udp', 'udp6', 'tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const inode = cols[9];
      if (inode && inode !== '0') inodes.add(inode);
    }
  }
  return inodes;
}

/** fd → socket inode for every socket this process holds (cheap: no /proc/net read). */
function socketFds(): Map<number, string> {
  const out = new Map<number, string>();
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fd');
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${e}`));
      if (m) out.set(Number(e), m[1]!);
    } catch {
      /* fd closed meanwhile */
    }
  }
  return out;
}

/** File descriptors of this process's UDP/TCP sockets. Node itself only holds UNIX sockets
 *  and pipes here (IPC, stdio), so every INET socket belongs to libtoxcore. */
export function toxSocketFds(sockets: Map<number, string> = socketFds()): number[] {
  const inodes = inetSocketInodes();
  return [...sockets]
    .filter(([, inode]) => inodes.has(inode))
    .map(([fd]) => fd)
    .sort((a, b) => a - b);
}

export class SocketPoller {
  private fds: number[] = [];
  private pollfds = Buffer.alloc(0);
  private streak = new Map<number, number>();
  /** fd → time until which it is left out. */
  private suppressed = new Map<number, number>();
  private inFlight = false;
  private signature = '';

  constructor(private readonly libc: Libc) {}

  static supported(): boolean {
    return process.platform === 'linux';
  }

  get watching(): readonly number[] {
    return this.fds;
  }

  /** Re-reads which sockets to watch. Reading /proc/net/* costs far more than the loop itself
   *  (measured: a 1 s rescan doubled idle CPU), so it happens only when this process's set of
   *  sockets changed since the last look. */
  rescan(): void {
    const now = Date.now();
    const sockets = socketFds();
    const signature = [...sockets].map(([fd, inode]) => `${fd}:${inode}`).join(',');
    if (signature === this.signature && !this.expiredSuppression(now)) return;
    this.signature = signature;
    const all = toxSocketFds(sockets);
    for (const [fd, until] of this.suppressed) if (until <= now || !all.includes(fd)) this.suppressed.delete(fd);
    this.setFds(all.filter((fd) => !this.suppressed.has(fd)));
  }

  private expiredSuppression(now: number): boolean {
    for (const until of this.suppressed.values()) if (until <= now) return true;
    return false;
  }

  private setFds(fds: number[]): void {
    this.fds = fds;
    this.pollfds = Buffer.alloc(8 * fds.length);
    fds.forEach((fd, i) => {
      this.pollfds.writeInt32LE(fd, i * 8);
      this.pollfds.writeInt16LE(POLLIN, i * 8 + 4);
    });
  }

  /** Calls `done` after at most `timeoutMs`, sooner if a watched socket becomes readable. */
  wait(timeoutMs: number, done: (woken: boolean) => void): void {
    if (this.inFlight) throw new Error('SocketPoller.wait is already in flight');
    const buf = this.pollfds;
    if (this.fds.length === 0) throw new Error('SocketPoller.wait with no sockets to watch');
    for (let i = 0; i < this.fds.length; i++) buf.writeInt16LE(0, i * 8 + 6);
    this.inFlight = true;
    const started = process.hrtime.bigint();
    this.libc.poll.async(buf, this.fds.length, Math.max(0, Math.floor(timeoutMs)), (err: unknown, n: unknown) => {
      this.inFlight = false;
      const ready = !err && typeof n === 'number' && n > 0;
      const immediate = process.hrtime.bigint() - started < IMMEDIATE_NS;
      if (buf === this.pollfds) this.track(buf, ready && immediate);
      done(ready);
    });
  }

  private track(buf: Buffer, immediate: boolean): void {
    if (!immediate) {
      this.streak.clear();
      return;
    }
    const now = Date.now();
    let drop = false;
    this.fds.forEach((fd, i) => {
      const revents = buf.readInt16LE(i * 8 + 6);
      const s = revents !== 0 ? (this.streak.get(fd) ?? 0) + 1 : 0;
      this.streak.set(fd, s);
      // POLLNVAL: toxcore closed it since the last rescan; never worth another poll.
      if (s >= NOISY_STREAK || (revents & POLLNVAL) !== 0) {
        this.suppressed.set(fd, now + SUPPRESS_MS);
        this.streak.delete(fd);
        drop = true;
      }
    });
    if (drop) this.setFds(this.fds.filter((fd) => !this.suppressed.has(fd)));
  }
}
