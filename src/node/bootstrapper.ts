// Gets a node onto the DHT and keeps trying while it is offline: explicit nodes from the
// config, else a few random healthy nodes (plus one TCP relay) from a node list — the user's
// file or, only when asked for (public_nodes), the bundled snapshot.

import { join } from 'node:path';
import { packageRoot } from '../sys/packageRoot';
import type { NodeAddress, NodeConfig } from '../protocol/node';
import { type BootstrapNode, loadNodesFile, selectBootstrapNodes } from './nodeList';
import { logCode } from '../protocol/errcode';
import type { Connection, Tox } from '../tox/tox';

const RETRY_MS = 10_000;
const NODES_PER_ATTEMPT = 4;

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export class Bootstrapper {
  private timer: NodeJS.Timeout | null = null;
  private list: BootstrapNode[] = [];
  private online = false;
  /** The TCP relay of the latest attempt (what a proxy test tunnels to). */
  relayInUse: NodeAddress | null = null;

  constructor(
    private readonly tox: Tox,
    private readonly config: NodeConfig,
    private readonly log: Log,
  ) {}

  /** Loads the node list (its verdict is logged, after `ready`) and makes the first attempt. */
  start(): void {
    const { config, log } = this;
    const file = config.nodes_file ?? (config.public_nodes ? join(packageRoot(), 'data', 'nodes.json') : undefined);
    if (file) {
      try {
        // The user's own file may name LAN or loopback nodes; the bundled public list may not.
        const parsed = loadNodesFile(file, { allowPrivateAddresses: config.nodes_file !== undefined });
        this.list = parsed.nodes;
        // Logs name no path (the user's file may sit in a directory that names them).
        log('info', `${config.nodes_file ? 'the node list' : 'the bundled node list'}: ${parsed.nodes.length} usable, ${parsed.skipped.length} skipped`);
      } catch (e) {
        log('error', `${config.nodes_file ? 'the node list' : 'the bundled node list'} was rejected: ${logCode(e)}`);
      }
    }
    this.attempt();
    this.timer = setInterval(() => {
      if (!this.online) this.attempt();
    }, RETRY_MS);
  }

  connectionChanged(status: Connection): void {
    this.online = status !== 'none';
  }

  private attempt(): void {
    const proxied = !!this.config.proxy;
    const dht: NodeAddress[] = [...this.config.bootstrap];
    const relays: NodeAddress[] = [...this.config.relays];
    if (dht.length === 0 && relays.length === 0 && this.list.length > 0) {
      // A proxied node must never resolve a hostname locally (libtoxcore 0.2.18 would).
      const pick = selectBootstrapNodes(this.list, { count: NODES_PER_ATTEMPT, ipLiteralsOnly: proxied });
      for (const n of pick.dht) if (n.udpPort !== null) dht.push({ host: n.host, port: n.udpPort, public_key: n.publicKey });
      if (pick.relay) relays.push({ host: pick.relay.node.host, port: pick.relay.port, public_key: pick.relay.node.publicKey });
    }
    if (dht.length === 0 && relays.length === 0) {
      this.relayInUse = null;
      this.log('warn', 'no bootstrap nodes configured: the node cannot join the Tox network');
      return;
    }
    // While proxied, the Tox wrapper refuses every host name (hostguard.ts): such a node fails
    // here with host_not_ip_literal and is skipped, and is never the relay in use.
    dht.forEach((n, i) => this.tryAdd('bootstrap node', i, () => this.tox.bootstrap(n.host, n.port, n.public_key)));
    const added = relays.filter((n, i) => this.tryAdd('TCP relay', i, () => this.tox.addTcpRelay(n.host, n.port, n.public_key)));
    this.relayInUse = added[0] ?? null;
  }

  /** Whether `f` worked; a failure is logged by position and code, never by host. */
  private tryAdd(what: string, index: number, f: () => void): boolean {
    try {
      f();
      return true;
    } catch (e) {
      this.log('warn', `${what} #${index + 1} was not added: ${logCode(e)}`);
      return false;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
