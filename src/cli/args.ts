// Parses the `toxync` command line into a checked NodeConfig. Pure, so the rules (and the
// errors users see) are unit-tested without starting anything.

import type { NodeAddress, NodeConfig, ProxySpec } from '../protocol/node';
import { isIpLiteral } from '../node/nodeList';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage:
  toxync init   --profile DIR [--passphrase-file FILE]
  toxync id     --profile DIR [--passphrase-file FILE]
  toxync run    --profile DIR [--passphrase-file FILE]
                [--bootstrap HOST:PORT:DHT_KEY]... [--relay HOST:TCP_PORT:DHT_KEY]...
                [--nodes FILE] [--public-nodes] [--udp on|off] [--local-discovery on|off]
                [--port N] [--tcp-port N] [--proxy socks5://HOST:PORT|http://HOST:PORT]
                [--accept-friends] [--echo] [--libtoxcore PATH]
                [--accept-files DIR [--accept-max-bytes N] [--accept-images-only]] [--avatar FILE]
  toxync export --profile DIR --to FILE   [--passphrase-file FILE] [--file-passphrase-file FILE]
  toxync import --profile DIR --from FILE [--passphrase-file FILE] [--file-passphrase-file FILE]
  toxync pager serve --profile DIR --token-file FILE [--listen 127.0.0.1:PORT] [run options]
  toxync pager send  --profile DIR --to TOX_ID --title TEXT [...] [run options]   (toxync pager --help)
  toxync gif    --text TEXT [--style S] [--width W] [--height H] [--seconds N] --out FILE   (toxync gif --help)
The profile, history and outbox are encrypted with a passphrase read from the environment
variable TOXYNC_PASSPHRASE or from --passphrase-file (never from the command line).
export/import: a toxencryptsave file (qTox, toxic) under the same passphrase, or the one in
--file-passphrase-file. --insecure-plain-profile keeps an unencrypted profile instead.
run: one JSON event per line on stdout; one JSON command per line on stdin (see README).
--accept-files DIR: accept every file into DIR (sanitised names, never overwriting; events
file_accepted / file_done carry the saved path), optionally only up to N bytes or only images.`;

export type CommandName = 'init' | 'id' | 'run' | 'export' | 'import';

export interface Parsed {
  command: CommandName;
  config: NodeConfig;
  passphraseFile?: string;
  filePassphraseFile?: string;
  /** export: where to write; import: what to read. */
  file?: string;
}

function port(flag: string, v: string, allowZero = false): number {
  if (!/^\d{1,5}$/.test(v)) throw new UsageError(`${flag}: "${v}" is not a port number`);
  const n = Number(v);
  if (n > 65535 || (n === 0 && !allowZero)) throw new UsageError(`${flag}: ${n} is out of range`);
  return n;
}

function byteCount(flag: string, v: string): number {
  if (!/^\d{1,15}$/.test(v)) throw new UsageError(`${flag}: "${v.slice(0, 40)}" is not a number of bytes`);
  return Number(v);
}

function onOff(flag: string, v: string): boolean {
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new UsageError(`${flag} takes on or off, not "${v}"`);
}

/** HOST:PORT:KEY, where HOST may be an IPv6 literal in brackets: [::1]:33445:KEY. */
export function parseNodeSpec(flag: string, v: string): NodeAddress {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5}):([0-9A-Fa-f]{64})$/.exec(v);
  if (!m) throw new UsageError(`${flag}: expected HOST:PORT:PUBLIC_KEY (64 hex characters), got "${v.slice(0, 120)}"`);
  const host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host, port: port(flag, m[2]!), public_key: m[3]!.toUpperCase() };
}

export function parseProxy(v: string): ProxySpec {
  const m = /^(socks5|http):\/\/(\[[0-9A-Fa-f:.]+\]|[^:/\s@]+):(\d{1,5})\/?$/.exec(v);
  if (!m) throw new UsageError(`--proxy: expected socks5://HOST:PORT or http://HOST:PORT, got "${v.slice(0, 120)}"`);
  let host = m[2]!.replace(/^\[(.*)\]$/, '$1');
  // A proxy named by hostname would be looked up by the local resolver, outside the proxy.
  if (host === 'localhost') host = '127.0.0.1';
  if (!isIpLiteral(host)) throw new UsageError(`--proxy: the host must be an IP address (a hostname would be resolved locally): ${host.slice(0, 80)}`);
  return { type: m[1] as 'socks5' | 'http', host, port: port('--proxy', m[3]!) };
}

export function parseArgs(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command !== 'init' && command !== 'id' && command !== 'run' && command !== 'export' && command !== 'import') {
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
  const parsed: Parsed = { command, config: undefined as unknown as NodeConfig };
  const config: NodeConfig = {
    profile_dir: '',
    bootstrap: [],
    relays: [],
    public_nodes: false,
    udp: true,
    local_discovery: false,
    accept_friends: false,
    echo: false,
    insecure_plain_profile: false,
  };
  let acceptMax: number | undefined;
  let acceptImages = false;
  const runOnly = new Set(['--bootstrap', '--relay', '--nodes', '--public-nodes', '--udp', '--local-discovery', '--port', '--tcp-port', '--proxy', '--accept-friends', '--echo', '--accept-files', '--accept-max-bytes', '--accept-images-only', '--avatar']);
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (command !== 'run' && runOnly.has(flag)) throw new UsageError(`${flag} is only valid with "toxync run"`);
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--profile': config.profile_dir = value(); break;
      case '--insecure-plain-profile': config.insecure_plain_profile = true; break;
      case '--bootstrap': config.bootstrap.push(parseNodeSpec(flag, value())); break;
      case '--relay': config.relays.push(parseNodeSpec(flag, value())); break;
      case '--nodes': config.nodes_file = value(); break;
      case '--public-nodes': config.public_nodes = true; break;
      case '--udp': config.udp = onOff(flag, value()); break;
      case '--local-discovery': config.local_discovery = onOff(flag, value()); break;
      case '--port': config.port = port(flag, value(), true); break;
      case '--tcp-port': config.tcp_port = port(flag, value(), true); break;
      case '--proxy': config.proxy = parseProxy(value()); break;
      case '--accept-friends': config.accept_friends = true; break;
      case '--echo': config.echo = true; break;
      case '--libtoxcore': config.libtoxcore_path = value(); break;
      case '--accept-files': config.accept_files = { ...config.accept_files, dir: value() }; break;
      case '--accept-max-bytes': acceptMax = byteCount(flag, value()); break;
      case '--accept-images-only': acceptImages = true; break;
      case '--avatar': config.avatar_file = value(); break;
      case '--passphrase-file': parsed.passphraseFile = value(); break;
      case '--file-passphrase-file': parsed.filePassphraseFile = value(); break;
      case '--passphrase': throw new UsageError('a passphrase on the command line would be visible to every user (ps): use TOXYNC_PASSPHRASE or --passphrase-file');
      case '--to':
        if (command !== 'export') throw new UsageError('--to is only valid with "toxync export"');
        parsed.file = value();
        break;
      case '--from':
        if (command !== 'import') throw new UsageError('--from is only valid with "toxync import"');
        parsed.file = value();
        break;
      default: throw new UsageError(`unknown option "${flag.slice(0, 60)}"`);
    }
  }
  if (!config.profile_dir) throw new UsageError('--profile DIR is required');
  if ((acceptMax !== undefined || acceptImages) && !config.accept_files) throw new UsageError('--accept-max-bytes and --accept-images-only need --accept-files DIR');
  if (config.accept_files) {
    if (acceptMax !== undefined) config.accept_files.max_bytes = acceptMax;
    if (acceptImages) config.accept_files.images_only = true;
  }
  if ((command === 'export' || command === 'import') && !parsed.file) throw new UsageError(`${command === 'export' ? '--to' : '--from'} FILE is required`);
  if (config.insecure_plain_profile && (parsed.passphraseFile || parsed.filePassphraseFile || command === 'export' || command === 'import')) {
    throw new UsageError('--insecure-plain-profile has no passphrase, and export/import work on encrypted profiles only');
  }
  if (config.proxy) {
    // Fail closed: a proxy means no UDP, no LAN discovery and no local DNS lookups at all.
    if (config.udp && rest.includes('--udp')) throw new UsageError('--udp on cannot be combined with --proxy: every packet must go through the proxy');
    if (config.local_discovery) throw new UsageError('--local-discovery on cannot be combined with --proxy');
    config.udp = false;
    for (const n of [...config.bootstrap, ...config.relays]) {
      if (!isIpLiteral(n.host)) throw new UsageError(`with --proxy, nodes must be IP literals (hostnames would be resolved locally): ${n.host}`);
    }
  }
  parsed.config = config;
  return parsed;
}
