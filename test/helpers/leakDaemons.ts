// The daemons of the proxy leak tests (test/leak/, test/integration/proxy-dns.test.ts), run as
// root in the loopback-only namespace: tox-bootstrapd (DHT node and TCP relay), microsocks
// (SOCKS5) and tinyproxy (HTTP CONNECT). Their output lines are kept and awaited by pattern.
// No import side effects (every .ts under test/ is bundled as an entry).

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tool, waitListening } from './leak';
import { assertInOwnNetNamespace, assertLoopbackOnly } from './netns';
import { sleep } from './wait';

export class Daemon {
  readonly lines: string[] = [];
  readonly proc: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
  ) {
    assertLoopbackOnly();
    this.proc = spawn(tool(command), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.proc.once('close', () => resolve()));
    this.proc.once('error', (e) => this.lines.push(`spawn error: ${e.message}`));
    for (const s of [this.proc.stdout!, this.proc.stderr!]) createInterface({ input: s }).on('line', (l) => this.lines.push(l));
    if (this.proc.pid !== undefined) assertInOwnNetNamespace(this.proc.pid, name);
  }

  /** Resolves once this daemon listens on TCP `port` (or has UDP `port` bound); rejects if it exits first. */
  async listening(port: number, proto: 'tcp' | 'udp' = 'tcp', timeoutMs = 10_000): Promise<void> {
    if (this.proc.pid === undefined) throw new Error(`${this.name} did not start: ${this.lines.join(' | ')}`);
    try {
      await waitListening(this.proc.pid, port, proto, timeoutMs);
    } catch (e) {
      throw new Error(`${this.name}: ${e instanceof Error ? e.message : String(e)}; running: ${this.running}; output: ${this.lines.slice(-10).join(' | ')}`);
    }
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves with the match of the first output line (already seen or future) matching `re`. */
  async waitLine(re: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const l of this.lines) {
        const m = re.exec(l);
        if (m) return m;
      }
      if (!this.running)
        throw new Error(
          `${this.name} exited (${this.proc.exitCode ?? this.proc.signalCode}) before printing ${re}; output: ${this.lines.slice(-10).join(' | ')}`,
        );
      if (Date.now() > deadline) throw new Error(`${this.name}: no line ${re} within ${timeoutMs} ms; output: ${this.lines.slice(-10).join(' | ')}`);
      await sleep(50);
    }
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.proc.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL after 3 s. */
  async stop(): Promise<void> {
    if (!this.running || this.proc.pid === undefined) return;
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    this.proc.kill('SIGTERM');
    await this.exited;
    clearTimeout(t);
  }
}

export interface Bootstrapd {
  daemon: Daemon;
  /** Its DHT public key, which is also the TCP relay's key. */
  key: string;
  udpPort: number;
  tcpPort: number;
}

/** tox-bootstrapd as DHT node (UDP, IPv4 only, no LAN discovery, no MOTD) and TCP relay, files in `dir`. */
export async function startBootstrapd(dir: string, udpPort: number, tcpPort: number): Promise<Bootstrapd> {
  const conf = join(dir, 'tox-bootstrapd.conf');
  writeFileSync(
    conf,
    [
      `port = ${udpPort}`,
      `keys_file_path = "${join(dir, 'keys')}"`,
      `pid_file_path = "${join(dir, 'tox-bootstrapd.pid')}"`,
      'enable_ipv6 = false',
      'enable_ipv4_fallback = true',
      'enable_lan_discovery = false',
      'enable_tcp_relay = true',
      `tcp_relay_ports = [${tcpPort}]`,
      'enable_motd = false',
      '',
    ].join('\n'),
  );
  const daemon = new Daemon('tox-bootstrapd', 'tox-bootstrapd', [`--config=${conf}`, '--foreground', '--log-backend=stdout']);
  try {
    const key = (await daemon.waitLine(/Public Key: ([0-9A-F]{64})/))[1]!;
    await daemon.listening(tcpPort, 'tcp');
    await daemon.listening(udpPort, 'udp');
    return { daemon, key, udpPort, tcpPort };
  } catch (e) {
    await daemon.stop();
    throw e;
  }
}

/** microsocks (SOCKS5, no auth) on 127.0.0.1:`port`; it logs "client[N] …: connected to HOST:PORT" per tunnel. */
export async function startMicrosocks(port: number): Promise<Daemon> {
  const d = new Daemon('microsocks', 'microsocks', ['-i', '127.0.0.1', '-p', String(port)]);
  await d.listening(port).catch(async (e: unknown) => {
    await d.stop();
    throw e;
  });
  return d;
}

/** tinyproxy (HTTP CONNECT only to `connectPort`) on 127.0.0.1:`port`, in the foreground, config in `dir`. */
export async function startTinyproxy(dir: string, port: number, connectPort: number): Promise<Daemon> {
  const conf = join(dir, 'tinyproxy.conf');
  writeFileSync(
    conf,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 600', 'MaxClients 50', 'Allow 127.0.0.1', 'LogLevel Info', `ConnectPort ${connectPort}`, ''].join('\n'),
  );
  const d = new Daemon('tinyproxy', 'tinyproxy', ['-d', '-c', conf]);
  await d.listening(port).catch(async (e: unknown) => {
    await d.stop();
    throw e;
  });
  return d;
}
