// Parses the `toxync` command line into a checked NodeConfig. Pure, so the rules (and the
// errors users see) are unit-tested without starting anything.

import type { NodeAddress, NodeConfig, ProxySpec } from '../protocol/node';
import { isIpLiteral } from '../node/nodeList';
import { type FlagSpec, parseFlags, stringFlag, stringFlags, UsageError } from './cliFlags';

export { UsageError } from './cliFlags';

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

const RUN_ONLY: FlagSpec = {
  bootstrap: { type: 'string', multiple: true },
  relay: { type: 'string', multiple: true },
  nodes: { type: 'string' },
  'public-nodes': { type: 'boolean' },
  udp: { type: 'string' },
  'local-discovery': { type: 'string' },
  port: { type: 'string' },
  'tcp-port': { type: 'string' },
  proxy: { type: 'string' },
  'accept-friends': { type: 'boolean' },
  echo: { type: 'boolean' },
  'accept-files': { type: 'string' },
  'accept-max-bytes': { type: 'string' },
  'accept-images-only': { type: 'boolean' },
  avatar: { type: 'string' },
};

/** Every flag of init/id/run/export/import (the pager takes run's and adds its own). */
export const NODE_FLAGS: FlagSpec = {
  ...RUN_ONLY,
  profile: { type: 'string' },
  'insecure-plain-profile': { type: 'boolean' },
  libtoxcore: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'file-passphrase-file': { type: 'string' },
  to: { type: 'string' },
  from: { type: 'string' },
};

/** Refused by name, whatever follows, wherever node flags are read. */
export const REFUSED_FLAGS = {
  passphrase: 'a passphrase on the command line would be visible to every user (ps): use TOXYNC_PASSPHRASE or --passphrase-file',
};

export function parseArgs(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command !== 'init' && command !== 'id' && command !== 'run' && command !== 'export' && command !== 'import') {
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
  const { values, tokens } = parseFlags(rest, NODE_FLAGS, { refused: REFUSED_FLAGS });
  for (const t of tokens) {
    if (command !== 'run' && t.name in RUN_ONLY) throw new UsageError(`${t.rawName} is only valid with "toxync run"`);
    if (t.name === 'to' && command !== 'export') throw new UsageError('--to is only valid with "toxync export"');
    if (t.name === 'from' && command !== 'import') throw new UsageError('--from is only valid with "toxync import"');
  }
  const str = (name: string): string | undefined => stringFlag(values, name);
  const on = (name: string): boolean => values[name] === true;
  const config: NodeConfig = {
    profile_dir: str('profile') ?? '',
    bootstrap: stringFlags(values, 'bootstrap').map((v) => parseNodeSpec('--bootstrap', v)),
    relays: stringFlags(values, 'relay').map((v) => parseNodeSpec('--relay', v)),
    public_nodes: on('public-nodes'),
    udp: true,
    local_discovery: false,
    accept_friends: on('accept-friends'),
    echo: on('echo'),
    insecure_plain_profile: on('insecure-plain-profile'),
  };
  // A flag left out leaves its field out of the config (the node's default applies).
  const ifGiven = <T>(name: string, apply: (v: string) => T, put: (t: T) => void): void => {
    const v = str(name);
    if (v !== undefined) put(apply(v));
  };
  ifGiven(
    'nodes',
    (v) => v,
    (v) => (config.nodes_file = v),
  );
  ifGiven(
    'udp',
    (v) => onOff('--udp', v),
    (v) => (config.udp = v),
  );
  ifGiven(
    'local-discovery',
    (v) => onOff('--local-discovery', v),
    (v) => (config.local_discovery = v),
  );
  ifGiven(
    'port',
    (v) => port('--port', v, true),
    (v) => (config.port = v),
  );
  ifGiven(
    'tcp-port',
    (v) => port('--tcp-port', v, true),
    (v) => (config.tcp_port = v),
  );
  ifGiven('proxy', parseProxy, (v) => (config.proxy = v));
  ifGiven(
    'libtoxcore',
    (v) => v,
    (v) => (config.libtoxcore_path = v),
  );
  ifGiven(
    'accept-files',
    (v) => v,
    (dir) => (config.accept_files = { dir }),
  );
  ifGiven(
    'avatar',
    (v) => v,
    (v) => (config.avatar_file = v),
  );
  const acceptMax = str('accept-max-bytes') === undefined ? undefined : byteCount('--accept-max-bytes', str('accept-max-bytes')!);
  const acceptImages = on('accept-images-only');
  const parsed: Parsed = { command, config };
  ifGiven(
    'passphrase-file',
    (v) => v,
    (v) => (parsed.passphraseFile = v),
  );
  ifGiven(
    'file-passphrase-file',
    (v) => v,
    (v) => (parsed.filePassphraseFile = v),
  );
  ifGiven(
    command === 'export' ? 'to' : 'from',
    (v) => v,
    (v) => (parsed.file = v),
  );

  if (!config.profile_dir) throw new UsageError('--profile DIR is required');
  if ((acceptMax !== undefined || acceptImages) && !config.accept_files)
    throw new UsageError('--accept-max-bytes and --accept-images-only need --accept-files DIR');
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
    if (config.udp && values.udp !== undefined) throw new UsageError('--udp on cannot be combined with --proxy: every packet must go through the proxy');
    if (config.local_discovery) throw new UsageError('--local-discovery on cannot be combined with --proxy');
    config.udp = false;
    for (const n of [...config.bootstrap, ...config.relays]) {
      if (!isIpLiteral(n.host)) throw new UsageError(`with --proxy, nodes must be IP literals (hostnames would be resolved locally): ${n.host}`);
    }
  }
  return parsed;
}
