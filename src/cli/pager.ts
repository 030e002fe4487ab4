// `toxync pager serve` and `toxync pager send`: the pager on top of a started node. The node
// itself (profile, passphrase, network flags) is set up by main.ts exactly as for `run`;
// this file parses only the pager's own flags and runs the pager against the node's port.

import { PRIORITIES, type Priority } from '../protocol/pagerAlert';
import { CodeBook } from '../pager/codes';
import { ListenError, parseListen, readTokenFile } from '../pager/listen';
import { type PagerHttp, startPagerHttp } from '../pager/http';
import type { NodePort } from '../pager/nodePort';
import { type DeliveryInfo, type DeliveryStatus, PagerSender } from '../pager/sender';
import { GROUP_PREFIX } from '../pager/groupRoute';
import { DEFAULT_ALERT_TTL_S, MAX_ALERT_TTL_S, PagerService } from '../pager/service';
import { NODE_FLAGS, REFUSED_FLAGS } from './args';
import { type FlagSpec, parseFlags, stringFlag, UsageError } from './cliFlags';

/** Where `pager serve` listens without --listen (docs/pager.md uses it throughout). */
export const DEFAULT_LISTEN = '127.0.0.1:8787';

export const PAGER_USAGE = `  toxync pager serve --profile DIR --token-file FILE [--listen 127.0.0.1:PORT] [--mirror-packets]
                     [--passphrase-file FILE] [the network options of toxync run]
  toxync pager send  --profile DIR --to TOX_ID --title TEXT [--body TEXT] [--priority info|warning|critical]
                     [--link PATH_OR_URL] [--ttl SECONDS] [--wait queued|sent|delivered]
                     [--passphrase-file FILE] [the network options of toxync run]
pager serve: an HTTP API on loopback only (default ${DEFAULT_LISTEN}; docs/pager.md); prints one JSON
line {"event":"pager_ready","listen":…,"address":…} once listening. pager send: one alert; prints its
status as JSON and exits 0 once it reached --wait (default delivered), 1 if it expired or failed.
The profile is opened as by toxync run (TOXYNC_PASSPHRASE, --passphrase-file or --insecure-plain-profile).`;

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface PagerServeFlags {
  listen: { host: string; port: number };
  tokenFile: string;
  mirrorPackets: boolean;
}

export interface PagerSendFlags {
  to: string;
  title: string;
  body: string;
  priority: Priority;
  link: string | null;
  ttlS: number;
  wait: 'queued' | 'sent' | 'delivered';
}

/**
 * Takes the flags in `own` out of argv (each at most once); the node flags, checked against
 * run's here and parsed by parseArgs later, stay in `rest` as given.
 */
function split(argv: readonly string[], own: FlagSpec): { got: Map<string, string>; rest: string[] } {
  const multiple: FlagSpec = Object.fromEntries(Object.entries(own).map(([k, v]) => [k, { ...v, multiple: true }]));
  const { values, tokens } = parseFlags(argv, { ...NODE_FLAGS, ...multiple }, { refused: REFUSED_FLAGS });
  const got = new Map<string, string>();
  const rest: string[] = [];
  for (const t of tokens) {
    if (!(t.name in own)) {
      rest.push(...t.items);
    } else if (own[t.name]!.type === 'boolean') {
      got.set(`--${t.name}`, '');
    } else {
      if ((values[t.name] as unknown[]).length > 1) throw new UsageError(`--${t.name} is given twice`);
      got.set(`--${t.name}`, stringFlag(values, t.name)!);
    }
  }
  return { got, rest };
}

/** `pager serve` flags: --listen (loopback only, default DEFAULT_LISTEN), --token-file, --mirror-packets. */
export function splitPagerServeFlags(argv: readonly string[]): { flags: PagerServeFlags; rest: string[] } {
  const { got, rest } = split(argv, {
    listen: { type: 'string' },
    'token-file': { type: 'string' },
    'mirror-packets': { type: 'boolean' },
  });
  const listen = got.get('--listen') ?? DEFAULT_LISTEN;
  const tokenFile = got.get('--token-file');
  if (tokenFile === undefined) throw new UsageError('pager serve needs --token-file FILE');
  try {
    return { flags: { listen: parseListen(listen), tokenFile, mirrorPackets: got.has('--mirror-packets') }, rest };
  } catch (e) {
    if (e instanceof ListenError) throw new UsageError(e.message);
    throw e;
  }
}

/** `pager send` flags. */
export function splitPagerSendFlags(argv: readonly string[]): { flags: PagerSendFlags; rest: string[] } {
  const { got, rest } = split(argv, Object.fromEntries(['to', 'title', 'body', 'priority', 'link', 'ttl', 'wait'].map((k) => [k, { type: 'string' }])));
  const to = got.get('--to');
  const title = got.get('--title');
  if (!to) throw new UsageError('pager send needs --to TOX_ID');
  if (!title) throw new UsageError('pager send needs --title TEXT');
  const priority = got.get('--priority') ?? 'info';
  if (!PRIORITIES.includes(priority as Priority)) throw new UsageError(`--priority takes info, warning or critical, not "${priority.slice(0, 40)}"`);
  const ttlRaw = got.get('--ttl') ?? String(DEFAULT_ALERT_TTL_S);
  const ttlS = /^\d{1,7}$/.test(ttlRaw) ? Number(ttlRaw) : NaN;
  if (!(ttlS >= 1 && ttlS <= MAX_ALERT_TTL_S)) throw new UsageError(`--ttl takes 1 to ${MAX_ALERT_TTL_S} seconds`);
  const wait = got.get('--wait') ?? 'delivered';
  if (wait !== 'queued' && wait !== 'sent' && wait !== 'delivered') throw new UsageError('--wait takes queued, sent or delivered');
  return {
    flags: { to, title, body: got.get('--body') ?? '', priority: priority as Priority, link: got.get('--link') ?? null, ttlS, wait },
    rest,
  };
}

export interface PagerServer {
  readonly http: PagerHttp;
  readonly sender: PagerSender;
  close(): Promise<void>;
}

/**
 * Runs the pager API against a started node: reads the token (refusing empty, short or
 * world-readable files), starts the sender and the HTTP server. Codes live in this
 * process's memory only.
 */
export async function runPagerServe(port: NodePort, flags: PagerServeFlags, log: Log = () => {}): Promise<PagerServer> {
  let token: string;
  try {
    token = readTokenFile(flags.tokenFile);
  } catch (e) {
    throw e instanceof ListenError ? new UsageError(e.message) : e;
  }
  const sender = new PagerSender(port, { mirrorPacket: flags.mirrorPackets, log });
  await sender.start();
  const service = new PagerService(sender, new CodeBook());
  let http: PagerHttp;
  try {
    http = await startPagerHttp({ host: flags.listen.host, port: flags.listen.port, token, service, log });
  } catch (e) {
    sender.dispose();
    throw e;
  }
  return {
    http,
    sender,
    close: async () => {
      await http.close();
      sender.dispose();
    },
  };
}

const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, expired: 3, failed: 3 };
/** A group alert never gets `delivered` (NGC has no receipts): its `sent` counts as delivered. */
const rank = (d: DeliveryInfo) => (d.status === 'sent' && d.to.startsWith(GROUP_PREFIX) ? RANK.delivered : RANK[d.status]);

/** Sends one alert and resolves with its status once it reached `flags.wait`, or finished
 *  without reaching it (expired / failed). The caller exits 0 only for the former. */
export async function runPagerSend(port: NodePort, flags: PagerSendFlags, log: Log = () => {}): Promise<DeliveryInfo> {
  const sender = new PagerSender(port, { log });
  await sender.start();
  try {
    const service = new PagerService(sender, new CodeBook());
    return await new Promise<DeliveryInfo>((resolve, reject) => {
      let id: string | null = null;
      const done = (d: DeliveryInfo) => {
        if (d.id === id && (rank(d) >= RANK[flags.wait] || d.status === 'expired' || d.status === 'failed')) resolve(d);
      };
      sender.onStatus(done);
      try {
        id = service.sendAlert({
          to: flags.to,
          title: flags.title,
          body: flags.body,
          priority: flags.priority,
          link: flags.link,
          ttl_s: flags.ttlS,
        }).id;
      } catch (e) {
        return reject(e instanceof RangeError ? new UsageError(e.message) : e);
      }
      const now = sender.status(id);
      if (now) done(now);
    });
  } finally {
    sender.dispose();
  }
}

/** Whether a `pager send` result counts as success for `wait`. */
export function reached(d: DeliveryInfo, wait: PagerSendFlags['wait']): boolean {
  return d.status !== 'expired' && d.status !== 'failed' && rank(d) >= RANK[wait];
}
