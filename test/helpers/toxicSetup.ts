// toxic's files for a test peer: its config (no sounds, bells, logging, autosave or node-list
// downloads; downloads and chat logs in the peer's temp dir) and a one-line nodes file naming
// only the loopback seed node; the options a peer starts with; quoting for sh and tmux.
// No import side effects (every .ts under test/ is bundled as an entry).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';

export interface SeedNode {
  udpPort: number;
  dhtKey: string;
}

export interface ToxicOptions {
  /** Shown in error messages. */
  name?: string;
  cols?: number;
  rows?: number;
  /** How long start() waits for toxic to connect to the DHT; 45 s unless told. */
  connectTimeoutMs?: number;
  /** Start from this Tox data file (copied in) instead of creating a new one. */
  profileFile?: string;
  /** The data file's password (toxencryptsave): typed at toxic's prompt; for a new file,
   *  toxic is told to encrypt it with this password. */
  password?: string;
  /** `-o`: do not connect to the DHT (enough to read or write a profile). */
  offline?: boolean;
  /** The toxic executable: Debian's `toxic` (0.11.1, no groups) unless told; ngcToxicBinary() for groups. */
  binary?: string;
}

/** Throws unless tmux and toxic (or the given toxic binary) are installed. */
export function assertToxicInstalled(binary = 'toxic'): void {
  for (const [tool, flag] of [
    ['tmux', '-V'],
    [binary, '-v'],
  ] as const) {
    if (spawnSync(tool, [flag], { stdio: 'ignore' }).error) throw new Error(`${tool} is not installed (scripts/setup.sh installs tmux and toxic)`);
  }
}

let ngcBinary: string | undefined;

/**
 * toxic 0.16.2 with NGC groups, linked to our libtoxcore 0.2.23: scripts/build-toxic.sh builds it
 * on first use (~25 s) and answers from its cache afterwards. Debian's toxic has no groups.
 */
export function ngcToxicBinary(): string {
  if (ngcBinary) return ngcBinary;
  const r = spawnSync('bash', [join(packageRoot(), 'scripts', 'build-toxic.sh')], { encoding: 'utf8', timeout: 600_000 });
  const out = r.stdout?.trim() ?? '';
  if (r.status !== 0 || !out.startsWith('/'))
    throw new Error(`scripts/build-toxic.sh failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr?.slice(-2000) ?? ''}`);
  ngcBinary = out;
  return out;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text as one literal argument of `tmux send-keys`: a trailing ";" would end the tmux command. */
export function tmuxLiteral(text: string): string {
  return text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text;
}

/** A one-line nodes.tox.chat-style JSON naming only the seed node (toxic reads only line 1). */
export function toxicNodesJson(seed: SeedNode): string {
  const now = Math.floor(Date.now() / 1000);
  const node = {
    ipv4: '127.0.0.1',
    ipv6: '-',
    port: seed.udpPort,
    tcp_ports: [],
    public_key: seed.dhtKey,
    maintainer: 'toxync tests',
    location: 'LO',
    status_udp: true,
    status_tcp: false,
    version: '',
    motd: '',
    last_ping: now,
  };
  return JSON.stringify({ last_scan: now, last_refresh: now, nodes: [node] }) + '\n';
}

export function toxicConfig(dir: string): string {
  const q = (s: string) => JSON.stringify(s);
  const silent = [
    'error',
    'self_log_in',
    'self_log_out',
    'user_log_in',
    'user_log_out',
    'call_incoming',
    'call_outgoing',
    'generic_message',
    'transfer_pending',
    'transfer_completed',
  ];
  return [
    'ui = {',
    '  timestamps = false; alerts = false; native_colors = true;',
    '  bell_on_message = false; bell_on_filetrans = false; bell_on_filetrans_accept = false; bell_on_invite = false;',
    '  autolog = false; show_welcome_msg = false; show_connection_msg = true;',
    '  nodeslist_update_freq = 0;', // never download the public nodes list
    '  autosave_freq = 0; mplex_away = false; history_size = 700;',
    '};',
    'tox = {',
    `  download_path = ${q(join(dir, 'downloads') + '/')};`,
    `  chatlogs_path = ${q(join(dir, 'logs') + '/')};`,
    '};',
    'sounds = {',
    ...silent.map((k) => `  ${k} = "silent";`),
    '};',
    '',
  ].join('\n');
}
