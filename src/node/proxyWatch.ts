// While a proxied node is offline, finds out why: every few seconds it opens a tunnel through
// the proxy to the relay in use and reports the outcome (once per change) as `proxy_status`,
// so the user sees "proxy refused" instead of an unexplained "offline". Never connects
// anywhere but the proxy, and never falls back to a direct connection.

import type { NodeAddress, NodeEvent, ProxySpec } from '../protocol/node';
import { probeProxy, type ProbeResult } from './proxyProbe';

const PROBE_MS = 10_000;

export class ProxyWatch {
  private timer: NodeJS.Timeout | null = null;
  private online = false;
  private last = '';
  private disposed = false;

  constructor(
    private readonly proxy: ProxySpec,
    private readonly relay: () => NodeAddress | null,
    private readonly emit: (e: NodeEvent) => void,
  ) {}

  start(): void {
    void this.probe();
    this.timer = setInterval(() => {
      if (!this.online) void this.probe();
    }, PROBE_MS);
  }

  connectionChanged(online: boolean): void {
    this.online = online;
    if (online) this.report({ ok: true, rtt_ms: 0 });
  }

  /** One probe now, against `relay` or the relay in use. */
  async test(relay?: NodeAddress): Promise<ProbeResult> {
    const target = relay ?? this.relay();
    if (!target) return { ok: false, reason: 'error', message: 'no TCP relay known to test against' };
    return probeProxy(this.proxy, target);
  }

  private async probe(): Promise<void> {
    const r = await this.test();
    if (!this.disposed && !this.online) this.report(r);
  }

  private report(r: ProbeResult): void {
    const key = r.ok ? 'ok' : `${r.reason}:${r.message}`;
    if (key === this.last) return;
    this.last = key;
    this.emit(
      r.ok
        ? { event: 'proxy_status', ok: true, message: `the proxy ${this.proxy.host}:${this.proxy.port} reaches the relay` }
        : { event: 'proxy_status', ok: false, reason: r.reason, message: r.message },
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
