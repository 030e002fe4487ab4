// `toxync pager serve|send`: opens the profile exactly as `toxync run` does (encrypted store,
// passphrase from TOXYNC_PASSPHRASE or --passphrase-file, or --insecure-plain-profile), runs
// the node core in-process behind an InProcessPort and hands it to the pager (pager.ts).
//
// No chat model here on purpose: the pager's messages go straight to the node, so neither
// an alert nor a code is ever written to the store; only the Tox savedata is (encrypted).

import { logCode, ToxNode } from '../node/nodeCore';
import { type LoadedLibrary, loadLibtoxcore } from '../tox/loader';
import { deliveryJson } from '../pager/http';
import { InProcessPort } from '../pager/nodePort';
import type { NodeEvent, SelfInfo } from '../protocol/node';
import { Store } from '../core/store/store';
import { parseArgs, type Parsed, UsageError } from './args';
import { type Log, PAGER_USAGE, reached, runPagerSend, runPagerServe, splitPagerSendFlags, splitPagerServeFlags } from './pager';
import { readPassphrase } from './passphrase';

const stderr = (m: string): void => void process.stderr.write(`${m}\n`);
const log: Log = (level, m) => stderr(`toxync pager: ${level}: ${m}`);
const out = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v)}\n`);

/** The node flags of `toxync run`, checked by the same parser. */
export function pagerNodeArgs(rest: readonly string[]): Parsed {
  const p = parseArgs(['run', ...rest]);
  // An echo bot answers every message: a pager that echoes codes back is the last thing wanted.
  if (p.config.echo) throw new UsageError('--echo is not available with toxync pager');
  return p;
}

interface PagerNode {
  port: InProcessPort;
  self: SelfInfo;
  close(): void;
}

async function openNode(p: Parsed, native: LoadedLibrary): Promise<PagerNode> {
  let store: Store | null = null;
  if (!p.config.insecure_plain_profile) {
    store = await Store.open(p.config.profile_dir, { passphrase: readPassphrase(p.passphraseFile, process.env, (m) => log('warn', m)) });
    if (store.report.tornTails || store.report.damaged.length || store.report.stateDamagedKeptAs)
      log('warn', `store opened with repairs: ${JSON.stringify(store.report)}`);
  }
  const port = new InProcessPort();
  const emit = (e: NodeEvent): void => {
    // Node logs carry no message text; anything else is for the pager alone.
    if (e.event === 'log' && (e.level === 'warn' || e.level === 'error')) log(e.level, `node: ${e.message}`);
    port.emit(e);
  };
  const s = store;
  let node: ToxNode;
  try {
    node = new ToxNode(native, p.config, emit, s ? { load: () => s.readProfile(), save: (d) => s.writeProfile(d) } : undefined);
  } catch (e) {
    store?.close();
    throw e;
  }
  port.attach(node);
  const self = node.start();
  let closed = false;
  return {
    port,
    self,
    close: () => {
      if (closed) return;
      closed = true;
      port.close();
      node.dispose(); // saves the profile (friends the pager added) before the store closes
      store?.close();
    },
  };
}

/** `toxync pager …`: a number to exit with, or null while `serve` runs (until a signal). */
export async function pagerMain(argv: readonly string[]): Promise<number | null> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(`usage:\n${PAGER_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'serve' && sub !== 'send') throw new UsageError(`unknown pager command "${sub.slice(0, 40)}" (serve or send)`);

  if (sub === 'send') {
    const { flags, rest: nodeArgs } = splitPagerSendFlags(rest);
    const p = pagerNodeArgs(nodeArgs);
    const node = await openNode(p, loadLibtoxcore(p.config.libtoxcore_path));
    try {
      const d = await runPagerSend(node.port, flags, log);
      out(deliveryJson(d));
      return reached(d, flags.wait) ? 0 : 1;
    } finally {
      node.close();
    }
  }

  const { flags, rest: nodeArgs } = splitPagerServeFlags(rest);
  const p = pagerNodeArgs(nodeArgs);
  const node = await openNode(p, loadLibtoxcore(p.config.libtoxcore_path));
  let server: Awaited<ReturnType<typeof runPagerServe>>;
  try {
    server = await runPagerServe(node.port, flags, log);
  } catch (e) {
    node.close();
    throw e;
  }
  const host = flags.listen.host.includes(':') ? `[${flags.listen.host}]` : flags.listen.host;
  // One line for scripts (and tests): where the API is, and the Tox ID recipients see.
  out({ event: 'pager_ready', listen: `http://${host}:${server.http.port}`, address: node.self.address });
  let quitting = false;
  const quit = (): void => {
    if (quitting) return;
    quitting = true;
    server.close().then(
      () => {
        node.close();
        process.stdout.write('', () => process.exit(0));
      },
      (e: unknown) => {
        log('error', `stopping: ${logCode(e)}`);
        node.close();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  return null;
}
