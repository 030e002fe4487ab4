// The `toxync` command line: the same node core the extension runs, driven by JSON lines.
// It runs the core in-process: a bot is its own process already, and a crash ends only it.
// With an encrypted profile (the default) it also keeps history and the outbox in the same
// encrypted store as the extension, through the same chat model.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { check } from '../protocol/guard';
import { command, type Command, type NodeEvent } from '../protocol/node';
import { ChatModel } from '../core/chat/chatModel';
import { FileTransfers } from '../core/chat/fileTransfers';
import { StoreJournal, StorePrefs } from '../core/chat/journal';
import { writeFileAtomic } from '../sys/atomicWrite';
import { StoreError } from '../core/store/storeErrors';
import { Store } from '../core/store/store';
import { StoreTransfers } from './storeTransfers';
import { describe, errorCode, logCode, ToxNode } from '../node/nodeCore';
import { isDataEncrypted, passDecrypt, passEncrypt } from '../tox/encryptsave';
import { type LoadedLibrary, loadLibtoxcore } from '../tox/loader';
import { PlainProfile } from '../node/profileFile';
import { Tox } from '../tox/tox';
import { parseArgs, type Parsed, USAGE, UsageError } from './args';
import { InProcessLink } from './link';
import { readPassphrase } from './passphrase';
import { pagerMain } from './pagerMain';
import { gifMain } from './gifMain';

function out(e: NodeEvent): void {
  process.stdout.write(JSON.stringify(e) + '\n');
}

const warn = (m: string): void => void process.stderr.write(`toxync: warning: ${m}\n`);

/** A Tox instance that opens no socket at all (UDP off, no TCP server): for reading an ID. */
function offlineTox(native: LoadedLibrary, savedata?: Uint8Array): Tox {
  return Tox.create(native, { udp: false, localDiscovery: false, tcpPort: 0, ...(savedata ? { savedata } : {}) });
}

function addressOf(native: LoadedLibrary, savedata?: Uint8Array): { address: string; savedata: Uint8Array } {
  const tox = offlineTox(native, savedata);
  try {
    return { address: tox.address(), savedata: tox.savedata() };
  } finally {
    tox.dispose();
  }
}

async function profileCommand(p: Parsed, native: LoadedLibrary): Promise<number> {
  const dir = p.config.profile_dir;
  if (p.config.insecure_plain_profile) {
    const profile = new PlainProfile(dir);
    const existing = profile.load();
    if (p.command === 'init' && existing) throw new UsageError(`a profile already exists in ${dir}`);
    if (p.command === 'id' && !existing) throw new UsageError(`no profile in ${dir}: run "toxync init" first`);
    const { address, savedata } = addressOf(native, existing ?? undefined);
    if (!existing) profile.save(savedata);
    process.stdout.write(address + '\n');
    return 0;
  }
  const passphrase = readPassphrase(p.passphraseFile, process.env, warn);
  const filePassphrase = (): string => (p.filePassphraseFile ? readPassphrase(p.filePassphraseFile, {}, warn) : passphrase);
  if (p.command === 'init' || p.command === 'import') {
    if (Store.exists(dir)) throw new UsageError(`a profile already exists in ${dir}`);
    let savedata: Uint8Array | undefined;
    if (p.command === 'import') {
      const raw = readFileSync(p.file!);
      if (isDataEncrypted(native.lib, raw)) savedata = passDecrypt(native.lib, raw, filePassphrase());
      else {
        warn('the file to import is not encrypted; importing it as plain Tox savedata');
        savedata = raw;
      }
    }
    const made = addressOf(native, savedata); // also proves the savedata loads
    const store = await Store.create(dir, { passphrase, keychain: false });
    try {
      store.writeProfile(savedata ?? made.savedata);
    } finally {
      store.close();
    }
    process.stdout.write(made.address + '\n');
    return 0;
  }
  const store = await Store.open(dir, { passphrase });
  try {
    const savedata = store.readProfile();
    if (!savedata) throw new UsageError(`the profile in ${dir} has no Tox savedata`);
    if (p.command === 'id') process.stdout.write(addressOf(native, savedata).address + '\n');
    else {
      writeFileAtomic(p.file!, passEncrypt(native.lib, savedata, filePassphrase()));
      process.stdout.write(`${addressOf(native, savedata).address}\n`);
    }
  } finally {
    store.close();
  }
  return 0;
}

async function run(p: Parsed, native: LoadedLibrary): Promise<void> {
  const { config } = p;
  let node: ToxNode | null = null;
  let store: Store | null = null;
  let model: ChatModel | null = null;
  let files: FileTransfers | null = null;
  const link = new InProcessLink(() => node);
  if (!config.insecure_plain_profile) {
    store = await Store.open(config.profile_dir, { passphrase: readPassphrase(p.passphraseFile, process.env, warn) });
    if (store.report.tornTails || store.report.damaged.length || store.report.stateDamagedKeptAs) {
      warn(`store opened with repairs: ${JSON.stringify(store.report)}`);
    }
    const journal = new StoreJournal(store);
    model = new ChatModel(() => link, new StorePrefs(store), Date.now, journal);
    const restored = journal.restored();
    model.restore(restored.conversations, restored.requests);
    // Files go into the history too, as in the extension. Auto-accept is the node's own
    // (--accept-files), so the model has no rule of its own.
    files = new FileTransfers({ chat: model, node: () => link, rule: () => null });
    model.onChange((c) => {
      if (c.kind !== 'state') return;
      out({ event: 'delivery', public_key: c.key, local_id: c.id, state: c.state });
    });
  }
  // The bot adds and removes friends itself: the model re-reads the list when it did, or when
  // a friend it does not know comes online (--accept-friends), before it takes the event.
  let syncing: Promise<void> = Promise.resolve();
  const friendsChanged = (e: NodeEvent): boolean =>
    (e.event === 'result' && (e.cmd === 'friend_add' || e.cmd === 'friend_accept' || e.cmd === 'friend_delete')) ||
    (e.event === 'friend_connection' && model !== null && !model.contactByFriend(e.friend));
  const emit = (e: NodeEvent): void => {
    if (link.intercept(e)) return;
    out(e);
    if (!model) return;
    if (friendsChanged(e)) {
      const m = model;
      syncing = syncing.then(() => m.refreshFriends()).catch((err: unknown) => warn(`reading the friend list failed: ${logCode(err)}`));
      return;
    }
    model.handle(e);
    files?.handle(e);
  };
  const s = store;
  node = new ToxNode(
    native,
    config,
    emit,
    s ? { load: () => s.readProfile(), save: (d) => s.writeProfile(d) } : undefined,
    s ? new StoreTransfers(s) : undefined,
  );
  node.start();

  let quitting = false;
  const quit = (code: number): void => {
    if (quitting) return;
    quitting = true;
    node?.dispose();
    files?.reset();
    model?.dispose();
    store?.close();
    process.exitCode = code;
    // stdout may be a pipe: exit only once everything written has drained.
    process.stdout.write('', () => process.exit(code));
  };
  const viaOutbox = (cmd: Extract<Command, { cmd: 'send' }>): void => {
    const contact = model!.contactByFriend(cmd.friend);
    if (!contact)
      return out({
        event: 'error',
        id: cmd.id,
        cmd: 'send',
        message: 'no such friend',
        code: 'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND',
      });
    try {
      const msg = model!.send(contact.key, cmd.action ? `/me ${cmd.text}` : cmd.text);
      out({ event: 'result', id: cmd.id, cmd: 'send', value: { message_ids: [], queued: true, local_id: msg.id } });
    } catch (e) {
      out({ event: 'error', id: cmd.id, cmd: 'send', message: describe(e), code: errorCode(e) });
    }
  };
  const fileViaModel = (cmd: Extract<Command, { cmd: 'send_file' }>): void => {
    const contact = model!.contactByFriend(cmd.friend);
    if (!contact) return out({ event: 'error', id: cmd.id, cmd: 'send_file', message: 'no such friend', code: 'TOX_ERR_FILE_SEND_FRIEND_NOT_FOUND' });
    files!.send(contact.key, cmd.path, cmd.name).then(
      (t) => out({ event: 'result', id: cmd.id, cmd: 'send_file', value: { file: t.file, file_id: t.fileId! } }),
      (e: unknown) => out({ event: 'error', id: cmd.id, cmd: 'send_file', message: describe(e), code: errorCode(e) }),
    );
  };
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (quitting || line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      return out({ event: 'error', message: `not JSON: ${describe(e)}`, code: 'invalid_command' });
    }
    const parsed = check(command, raw);
    if (!parsed.ok) return out({ event: 'error', message: `invalid command: ${parsed.error}`, code: 'invalid_command' });
    const cmd = parsed.value;
    if (cmd.cmd === 'ping') return out({ event: 'pong', id: cmd.id });
    // With a store, messages go through the persistent outbox (queued while offline).
    // Both go after any friend-list sync still in flight (a friend the bot has just added), in order.
    if (cmd.cmd === 'send' && model && !cmd.dedup) return void syncing.then(() => viaOutbox(cmd));
    if (cmd.cmd === 'send_file' && files) return void syncing.then(() => fileViaModel(cmd));
    node!.run(cmd);
    if (cmd.cmd === 'quit') quit(0);
  });
  // End of input is not a request to stop: a bot may run with stdin closed (< /dev/null).
  process.on('SIGINT', () => quit(0));
  process.on('SIGTERM', () => quit(0));
}

async function main(argv: string[]): Promise<number | null> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === 'pager') return pagerMain(argv.slice(1));
  if (argv[0] === 'gif') return gifMain(argv.slice(1));
  const parsed = parseArgs(argv);
  const native = loadLibtoxcore(parsed.config.libtoxcore_path);
  if (parsed.command !== 'run') return profileCommand(parsed, native);
  await run(parsed, native);
  return null;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`toxync: ${e.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (e instanceof StoreError) {
      process.stderr.write(`toxync: ${e.message} (${e.code})\n`);
      process.exitCode = e.code === 'WRONG_PASSPHRASE' ? 3 : 1;
    } else {
      // Our own errors say what is wrong; a system error only its code (its message names a path).
      const own = e instanceof Error && !('syscall' in e);
      process.stderr.write(`toxync: ${own ? `${describe(e)} (${errorCode(e)})` : logCode(e)}\n`);
      process.exitCode = 1;
    }
  },
);
