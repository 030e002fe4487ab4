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
import type { Libc } from './ffi';

const POLLIN = 0x001;
/** An fd readable this many wake-ups in a row is not being drained by toxcore (e.g. a hung-up
 *  TCP socket awaiting cleanup): stop watching it until the next rescan so we never spin. */
const NOISY_STREAK = 64;

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

/** File descriptors of this process's UDP/TCP sockets. Node itself only holds UNIX sockets
 *  and pipes here (IPC, stdio), so every INET socket belongs to libtoxcore. */
export function toxSocketFds(): number[] {
  const inodes = inetSocketInodes();
  const fds: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fd');
  } catch {
    return fds;
  }
  for (const e of entries) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${e}`));
      if (m && inodes.has(m[1]!)) fds.push(Number(e));
    } catch {
      /* fd closed meanwhile */
    }
  }
  return fds.sort((a, b) => a - b);
}

export class SocketPoller {
  private fds: number[] = [];
  private pollfds = Buffer.alloc(0);
  private streak = new Map<number, number>();
  private suppressed = new Set<number>();
  private inFlight = false;

  constructor(private readonly libc: Libc) {}

  static supported(): boolean {
    return process.platform === 'linux';
  }

  get watching(): readonly number[] {
    return this.fds;
  }

  rescan(): void {
    const all = toxSocketFds();
    const changed = all.length !== this.fds.length + this.suppressed.size || all.some((fd) => !this.fds.includes(fd) && !this.suppressed.has(fd));
    if (changed) this.suppressed.clear();
    this.setFds(all.filter((fd) => !this.suppressed.has(fd)));
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
    this.libc.poll.async(buf, this.fds.length, Math.max(0, Math.floor(timeoutMs)), (err: unknown, n: unknown) => {
      this.inFlight = false;
      const ready = !err && typeof n === 'number' && n > 0;
      if (ready && buf === this.pollfds) this.trackNoisy(buf);
      done(ready);
    });
  }

  private trackNoisy(buf: Buffer): void {
    let drop = false;
    this.fds.forEach((fd, i) => {
      const revents = buf.readInt16LE(i * 8 + 6);
      const s = revents !== 0 ? (this.streak.get(fd) ?? 0) + 1 : 0;
      this.streak.set(fd, s);
      if (s >= NOISY_STREAK) {
        this.suppressed.add(fd);
        drop = true;
      }
    });
    if (drop) {
      this.streak.clear();
      this.setFds(this.fds.filter((fd) => !this.suppressed.has(fd)));
    }
  }
}
