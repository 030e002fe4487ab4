// A DNS listener that records every name it is asked for (and answers NXDOMAIN at once, so a
// resolver gives up quickly), and the prefix that makes a child process use it.
//
// Why a private mount namespace: a Tox node resolves through glibc (getaddrinfo → NSS →
// /etc/resolv.conf), and the machine's resolv.conf names whatever server the host uses —
// here 10.255.255.53, elsewhere 127.0.0.53 (systemd-resolved) or nothing. Inside the
// loopback-only test namespace none of those answers, and a query to a non-loopback address
// fails before it is sent, so nothing could be observed. resolverPrefix() runs the child in
// its own mount namespace (`unshare -m`, private propagation: the host's files are untouched)
// with resolv.conf bind-mounted to "nameserver 127.0.0.1" and nsswitch.conf to "hosts: files
// dns" (so nss-resolve or mDNS modules cannot route the lookup elsewhere). glibc cannot be
// told a port, so the listener takes UDP 127.0.0.1:53 (the tests run as root in the namespace).

import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTool } from './leak';

/** The QNAME of a DNS query (lower-cased, no trailing dot), or null if it is not one. */
export function queryName(msg: Buffer): { name: string; end: number } | null {
  if (msg.length < 12 || (msg[2]! & 0x80) !== 0 || msg.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let i = 12;
  for (;;) {
    const len = msg[i];
    if (len === undefined || len > 63) return null;
    i++;
    if (len === 0) break;
    if (i + len > msg.length) return null;
    labels.push(
      msg
        .subarray(i, i + len)
        .toString('latin1')
        .toLowerCase(),
    );
    i += len;
  }
  if (i + 4 > msg.length) return null;
  return { name: labels.join('.'), end: i + 4 };
}

export class DnsListener {
  /** Every name asked for, in arrival order (A and AAAA each count). */
  readonly queries: string[] = [];
  private waiters: { name: string; resolve: () => void }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg, from) => {
      const q = queryName(msg);
      if (!q) return;
      this.queries.push(q.name);
      // NXDOMAIN, echoing the question: id, QR=1, RD as asked, RA=1, RCODE=3.
      const reply = Buffer.concat([msg.subarray(0, 12), msg.subarray(12, q.end)]);
      reply[2] = 0x80 | (msg[2]! & 0x01);
      reply[3] = 0x83;
      reply.writeUInt16BE(1, 4);
      reply.writeUInt32BE(0, 6);
      reply.writeUInt16BE(0, 10);
      socket.send(reply, from.port, from.address);
      for (const w of [...this.waiters]) {
        if (w.name === q.name) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
  }

  static start(host = '127.0.0.1', port = 53): Promise<DnsListener> {
    return new Promise((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(port, host, () => {
        s.off('error', reject);
        resolve(new DnsListener(s));
      });
    });
  }

  /** Resolves once `name` has been asked for. */
  seen(name: string): Promise<void> {
    if (this.queries.includes(name)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ name, resolve }));
  }

  /**
   * Asks the listener itself for a fresh name and waits for it. Datagrams are read in the order
   * they arrived, so once this returns every query sent before the call has been recorded —
   * the proof that "no query" means none was sent, not that it has not been read yet.
   */
  async barrier(): Promise<void> {
    const name = `barrier-${randomBytes(6).toString('hex')}.example`;
    const q = Buffer.alloc(12);
    q.writeUInt16BE(0x4242, 0);
    q.writeUInt16BE(0x0100, 2);
    q.writeUInt16BE(1, 4);
    const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')]));
    const msg = Buffer.concat([q, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
    const seen = this.seen(name);
    const client = createSocket('udp4');
    await new Promise<void>((resolve, reject) => client.send(msg, this.socket.address().port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    await seen;
    client.close();
  }

  close(): void {
    this.socket.close();
  }
}

/** Why resolverPrefix cannot work here (not root, tools missing), or null. */
export function resolverPrefixUnavailable(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (port 53, mount namespace)';
  const missing = ['unshare', 'mount', 'sh'].filter((t) => findTool(t) === null);
  return missing.length > 0 ? `missing ${missing.join(', ')}` : null;
}

/** A SpawnAs prefix that runs the child with 127.0.0.1 as its only DNS server (see the top). */
export function resolverPrefix(dir: string): string[] {
  const resolv = join(dir, 'resolv.conf');
  const nss = join(dir, 'nsswitch.conf');
  writeFileSync(resolv, 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n');
  writeFileSync(nss, 'hosts: files dns\n');
  const script = 'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"';
  return [findTool('unshare')!, '-m', '--propagation', 'private', '--', findTool('sh')!, '-c', script, 'sh', resolv, nss];
}
