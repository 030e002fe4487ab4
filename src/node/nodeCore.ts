// The Tox node: one Tox instance, its loop, its files and its profile, driven by protocol
// commands and reporting protocol events. The forked node process and the in-process CLI
// both run exactly this.

import type { Command, CommandName, FriendInfo, NodeConfig, NodeEvent, ResultOf, SelfInfo } from '../protocol/node';
import { FileEngine } from './fileEngine';
import type { LoadedLibrary } from '../tox/loader';
import { ToxLoop } from './loop';
import { SocketPoller } from './poller';
import { PlainProfile, type ProfileIO } from './profileFile';
import { passDecrypt, passEncrypt } from '../tox/encryptsave';
import { splitMessage } from '../tox/split';
import { DedupReceiver, DedupSender, dedupPacket } from './dedup';
import { Tox } from '../tox/tox';
import { Bootstrapper } from './bootstrapper';
import { describe, errorCode, logCode } from '../protocol/errcode';
import { ProxyWatch } from './proxyWatch';
import { GifSender } from './gifSend';
import { GroupCore } from './groupCore';
import { MemoryTransfers, PlainTransfers, type TransferJournal } from './transferRecords';
import { ReceiptNudger } from './receiptNudge';

const SAVE_DEBOUNCE_MS = 1000;

export class ToxNode {
  readonly tox: Tox;
  private readonly loop: ToxLoop;
  private readonly files: FileEngine;
  private readonly gifs = new GifSender(() => this.files);
  private readonly profile: ProfileIO;
  private readonly dedup = new DedupReceiver();
  private readonly sentDedup = new DedupSender();
  private readonly nudges = new ReceiptNudger((friend, data) => this.tox.sendLossyPacket(friend, data));
  private readonly bootstrapper: Bootstrapper;
  private readonly proxyWatch: ProxyWatch | null;
  private readonly groups: GroupCore;
  private saveTimer: NodeJS.Timeout | null = null;
  private disposed = false;

  /** `profile`: where the savedata lives (the encrypted store's, or the host's). Without
   *  it the node uses a plain file, and only when the config says so explicitly. */
  constructor(
    private readonly native: LoadedLibrary,
    private readonly config: NodeConfig,
    private readonly emit: (e: NodeEvent) => void,
    profile?: ProfileIO,
    /** Where resumable transfers are recorded (see transfers.ts); a plain profile keeps
     *  them beside it, anything else without a journal keeps them in memory only. */
    transfers?: TransferJournal,
  ) {
    if (!profile && !config.insecure_plain_profile) {
      throw new RangeError('no encrypted profile store given, and a plain profile was not asked for (insecure_plain_profile)');
    }
    this.profile = profile ?? new PlainProfile(config.profile_dir);
    const savedata = this.profile.load() ?? undefined;
    // With a proxy, nothing may leave except through it: no UDP (so no hole punching), no LAN
    // discovery — enforced here whatever the caller's config says (fail closed).
    // The proxy host itself must be an IP literal: Tox.create refuses a name (hostguard.ts).
    const proxied = config.proxy !== undefined;
    this.tox = Tox.create(native, {
      udp: config.udp && !proxied,
      localDiscovery: config.local_discovery && !proxied,
      ipv6: false,
      holePunching: config.udp && !proxied,
      ...(config.proxy ? { proxy: config.proxy } : {}),
      ...(config.port !== undefined && config.port > 0 ? { startPort: config.port, endPort: config.port } : {}),
      ...(config.tcp_port !== undefined ? { tcpPort: config.tcp_port } : {}),
      ...(savedata ? { savedata } : {}),
    });
    this.tox.handlerError = (kind, e) => this.log('error', `handler ${kind} failed: ${logCode(e)}`);
    // TOXYNC_LOOP=timer: the plain tox_iteration_interval() loop, kept as a baseline to measure against.
    const poll = SocketPoller.supported() && process.env.TOXYNC_LOOP !== 'timer';
    this.loop = new ToxLoop(this.tox, poll ? new SocketPoller(native.libc) : null, (e) => this.log('error', `tox_iterate: ${logCode(e)}`));
    this.loop.afterIterate = () => this.nudges.flush();
    const journal = transfers ?? (config.insecure_plain_profile ? new PlainTransfers(config.profile_dir) : new MemoryTransfers());
    this.files = new FileEngine(
      this.tox,
      (e) => (this.gifs.observe(e), emit(e)),
      () => this.loop.kick(),
      journal,
      config.accept_files,
      (level, m) => this.log(level, m),
    );
    this.bootstrapper = new Bootstrapper(this.tox, config, (level, m) => this.log(level, m));
    this.proxyWatch = config.proxy ? new ProxyWatch(config.proxy, () => this.bootstrapper.relayInUse, emit) : null;
    this.wireEvents();
    this.groups = new GroupCore(this.tox, {
      emit,
      saveNow: () => this.saveNow(),
      markDirty: () => this.markDirty(),
      kick: () => this.loop.kick(),
    });
    this.loop.afterIterate = () => this.groups.afterIterate();
    if (!savedata) this.saveNow(); // a new profile exists on disk from its first second
  }

  /** Emits `ready` (always the first event), then joins the network. */
  start(): SelfInfo {
    const info = this.info();
    this.emit({ event: 'ready', ...info });
    this.bootstrapper.start();
    this.proxyWatch?.start();
    this.loop.start();
    if (this.config.avatar_file) {
      try {
        this.files.avatars.setFromFile(this.config.avatar_file);
      } catch (e) {
        this.log('error', `the avatar was not set: ${logCode(e)}`);
      }
    }
    return info;
  }

  private wireEvents(): void {
    const t = this.tox;
    const pk = (f: number) => t.friendPublicKey(f);
    t.on('selfConnectionStatus', (status) => {
      this.emit({ event: 'self_connection', status });
      this.bootstrapper.connectionChanged(status);
      this.proxyWatch?.connectionChanged(status !== 'none');
    });
    t.on('friendRequest', (public_key, message) => {
      this.emit({ event: 'friend_request', public_key, message });
      if (this.config.accept_friends) this.run({ cmd: 'friend_accept', public_key }, true);
    });
    t.on('friendConnectionStatus', (friend, status) => {
      if (status === 'none') this.files.friendOffline(friend);
      else this.files.friendOnline(friend);
      this.dedup.forget(friend);
      if (status === 'none') this.sentDedup.forget(friend);
      this.emit({ event: 'friend_connection', friend, public_key: pk(friend), status });
      this.markDirty(); // last-online time lives in the savedata
    });
    t.on('friendName', (friend, name) => {
      this.emit({ event: 'friend_name', friend, name });
      this.markDirty();
    });
    t.on('friendStatusMessage', (friend, text) => {
      this.emit({ event: 'friend_status_message', friend, text });
      this.markDirty();
    });
    t.on('friendStatus', (friend, status) => this.emit({ event: 'friend_status', friend, status }));
    t.on('friendTyping', (friend, typing) => this.emit({ event: 'friend_typing', friend, typing }));
    t.on('friendReadReceipt', (friend, message_id) => {
      const dedup = this.sentDedup.receipt(friend, message_id);
      this.emit({ event: 'receipt', friend, message_id, ...(dedup !== undefined ? { dedup } : {}) });
    });
    t.on('friendMessage', (friend, type, text) => {
      this.nudges.received(friend);
      this.emit({ event: 'message', friend, public_key: pk(friend), type, text, ...this.dedup.message(friend) });
      if (this.config.echo) this.run({ cmd: 'send', friend, text, action: type === 'action' }, true);
    });
    t.on('friendLosslessPacket', (friend, data) => {
      if (!this.dedup.packet(friend, data)) this.emit({ event: 'custom_packet', friend, lossless: true, data: data.toString('hex') });
    });
    t.on(
      'friendLossyPacket',
      (friend, data) => ReceiptNudger.isNudge(data) || this.emit({ event: 'custom_packet', friend, lossless: false, data: data.toString('hex') }),
    );
  }

  /** Runs one command and emits its `result` or `error`. Never throws. Commands the node
   *  issues itself (--accept-friends, --echo) report only their errors. */
  run(cmd: Command, internal = false): void {
    const fail = (e: unknown) => this.emit({ event: 'error', id: cmd.id, cmd: cmd.cmd, message: describe(e), code: errorCode(e) });
    const ok = (value: ResultOf<CommandName>) => {
      if (!internal) this.emit({ event: 'result', id: cmd.id, cmd: cmd.cmd, value });
    };
    try {
      const value = this.execute(cmd);
      if (value instanceof Promise) value.then(ok, fail);
      else ok(value);
    } catch (e) {
      fail(e);
    }
  }

  private execute(cmd: Command): ResultOf<CommandName> | Promise<ResultOf<CommandName>> {
    if (this.disposed) throw new Error('node is shutting down');
    const t = this.tox;
    switch (cmd.cmd) {
      case 'start':
        throw new RangeError('the node is already started');
      case 'info':
        return this.info();
      case 'friends':
        return { friends: this.friends() };
      // Debounced, not saved at once: the savedata grows with every friend, and a pager that
      // befriends N recipients wrote (and fsynced) it N times — 1.27 GB for 1,000 (measured).
      case 'friend_add': {
        const friend = t.friendAdd(cmd.address, cmd.message);
        this.markDirty();
        return { friend };
      }
      case 'friend_accept': {
        const friend = t.friendAddNorequest(cmd.public_key);
        this.markDirty();
        return { friend };
      }
      case 'friend_delete':
        this.files.friendDeleted(cmd.friend);
        t.friendDelete(cmd.friend);
        this.sentDedup.forget(cmd.friend);
        this.saveNow();
        return {};
      case 'send': {
        const type = cmd.action ? 'action' : 'normal';
        if (cmd.text.length === 0) throw new RangeError('message must not be empty');
        const parts = splitMessage(cmd.text, t.maxMessageLength);
        if (cmd.dedup) t.sendLosslessPacket(cmd.friend, dedupPacket(cmd.dedup, parts.length));
        const message_ids: number[] = [];
        try {
          for (const part of parts) message_ids.push(t.sendMessagePart(cmd.friend, type, part));
        } catch (e) {
          // Take the announcement back, or it would tag whatever message comes next.
          if (cmd.dedup && message_ids.length === 0) {
            try {
              t.sendLosslessPacket(cmd.friend, dedupPacket(cmd.dedup, 0));
            } catch {
              /* the friend went offline: the receiver forgets announcements on reconnect */
            }
          }
          throw e;
        }
        if (cmd.dedup) this.sentDedup.sent(cmd.friend, cmd.dedup, message_ids);
        this.loop.kick();
        return { message_ids };
      }
      case 'typing':
        t.setTyping(cmd.friend, cmd.typing);
        this.loop.kick();
        return {};
      case 'set_name':
        t.setName(cmd.name);
        this.saveNow();
        return {};
      case 'set_status_message':
        t.setStatusMessage(cmd.text);
        this.saveNow();
        return {};
      case 'set_status':
        t.setStatus(cmd.status);
        this.saveNow();
        return {};
      case 'set_nospam':
        t.setNospam(cmd.nospam);
        this.saveNow();
        return { address: t.address() };
      case 'send_file':
        return this.files.send(cmd.friend, cmd.path, cmd.name);
      case 'send_gif':
        return this.gifs.send(cmd);
      case 'file_accept': {
        const path = this.files.accept(cmd.friend, cmd.file, {
          ...(cmd.path !== undefined ? { path: cmd.path } : {}),
          ...(cmd.dir !== undefined ? { dir: cmd.dir } : {}),
          ...(cmd.max_bytes !== undefined ? { maxBytes: cmd.max_bytes } : {}),
          requireImage: cmd.require_image === true,
        });
        return { path };
      }
      case 'file_control':
        this.files.control(cmd.friend, cmd.file, cmd.file_id, cmd.control);
        if (cmd.control === 'cancel') this.gifs.stopped(cmd.friend, cmd.file, cmd.file_id);
        return {};
      case 'file_discard':
        this.files.discard(cmd.friend, cmd.file_id, cmd.direction);
        if (cmd.direction === 'send') this.gifs.stopped(cmd.friend, undefined, cmd.file_id);
        return {};
      case 'set_avatar':
        if (cmd.path !== undefined) return this.files.avatars.setFromFile(cmd.path);
        return this.files.avatars.set(cmd.data ? Buffer.from(cmd.data, 'base64') : null);
      case 'custom_packet': {
        const data = Buffer.from(cmd.data, 'hex');
        // tox.h: lossless packets use ids 160-191, lossy 200-254 (the first byte).
        if (cmd.lossless) t.sendLosslessPacket(cmd.friend, data);
        else t.sendLossyPacket(cmd.friend, data);
        this.loop.kick();
        return {};
      }
      case 'bootstrap':
        t.bootstrap(cmd.host, cmd.port, cmd.public_key);
        return {};
      case 'add_relay':
        t.addTcpRelay(cmd.host, cmd.port, cmd.public_key);
        return {};
      case 'proxy_test':
        if (!this.proxyWatch) throw new RangeError('no proxy is configured');
        return this.proxyWatch.test(cmd.relay);
      case 'save':
        this.saveNow();
        return {};
      case 'pass_encrypt':
        return { data: passEncrypt(this.native.lib, Buffer.from(cmd.data, 'base64'), cmd.passphrase).toString('base64') };
      case 'pass_decrypt':
        return { data: passDecrypt(this.native.lib, Buffer.from(cmd.data, 'base64'), cmd.passphrase).toString('base64') };
      case 'ping':
        return {};
      case 'quit':
        return {};
      default:
        // The tox_group_* commands (protocol/nodeGroups.ts).
        return this.groups.execute(cmd);
    }
  }

  info(): SelfInfo {
    const t = this.tox;
    return {
      address: t.address(),
      public_key: t.publicKey(),
      dht_id: t.dhtId(),
      udp_port: t.udpPort(),
      tcp_port: t.tcpPort(),
      name: t.name(),
      status_message: t.statusMessage(),
      status: t.status(),
      nospam: t.nospam(),
      connection: t.selfConnectionStatus(),
      friends: this.friends(),
    };
  }

  friends(): FriendInfo[] {
    const t = this.tox;
    return t.friendList().map((friend) => ({
      friend,
      public_key: t.friendPublicKey(friend),
      name: t.friendName(friend),
      status_message: t.friendStatusMessage(friend),
      status: t.friendStatus(friend),
      connection: t.friendConnectionStatus(friend),
      last_online: t.friendLastOnline(friend),
    }));
  }

  private markDirty(): void {
    if (this.saveTimer || this.disposed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, SAVE_DEBOUNCE_MS);
  }

  saveNow(): void {
    if (this.tox.disposed) return;
    try {
      this.profile.save(this.tox.savedata());
    } catch (e) {
      this.log('error', `saving the profile failed: ${logCode(e)}`);
    }
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.emit({ event: 'log', level, message });
  }

  /** Saves, then releases everything: loop, transfers, timers, the Tox instance. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.bootstrapper.dispose();
    this.proxyWatch?.dispose();
    this.loop.dispose();
    this.files.dispose();
    this.gifs.dispose();
    this.groups.settle();
    this.saveNow();
    this.tox.dispose();
  }
}

export { describe, errorCode, logCode };
