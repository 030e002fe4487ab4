// Helpers for driving the extension host's chat model against real Tox node processes.
// No import side effects (every .ts under test/ is bundled as an entry).

import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import type { NodeAddress, NodeConfig } from '../../src/protocol/node';
import { NodeSupervisor } from '../../src/core/supervisor/supervisor';
import { type ChatChange, ChatModel } from '../../src/core/chat/chatModel';
import { type AutoAcceptRule, FileTransfers } from '../../src/core/chat/fileTransfers';
import { type KeyValueStore, StoredPrefs } from '../../src/core/chat/prefs';
import { PagerController } from '../../src/extension/pager/controller';
import { StoreBinding } from '../../src/extension/storeBinding';
import { fastKdf } from '../../src/core/store/crypto';
import { sodium } from '../../src/core/store/sodium';
import { Store } from '../../src/core/store/store';
import { tempDir } from './peer';
import { untilEmitted } from './wait';

/** A real key-value store in memory: the same contract as VS Code's globalState. */
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.map.set(key, JSON.parse(JSON.stringify(value)));
  }
}

/** One "extension host": a supervised node plus the chat model fed by its events. */
export class HostUnderTest {
  sup: NodeSupervisor;
  readonly model: ChatModel;
  /** The pager as ToxService wires it: sources and alerts live in the store while unlocked. */
  readonly pager: PagerController;
  readonly changes: ChatChange[] = [];
  /** File transfers, as the extension keeps them (auto-accept rule settable by the test). */
  readonly files: FileTransfers;
  rule: AutoAcceptRule | null = null;

  constructor(
    readonly name: string,
    readonly config: NodeConfig,
  ) {
    this.sup = this.makeSupervisor();
    this.model = new ChatModel(() => this.sup, new StoredPrefs(new MemoryStore()));
    this.pager = new PagerController(this.model);
    this.model.onChange((c) => this.changes.push(c));
    this.files = new FileTransfers({ chat: this.model, node: () => this.sup, rule: () => this.rule });
  }

  static create(name: string, boot: NodeAddress): HostUnderTest {
    return new HostUnderTest(name, {
      profile_dir: tempDir(name),
      bootstrap: [boot],
      relays: [],
      public_nodes: false,
      udp: true,
      local_discovery: false,
      accept_friends: false,
      echo: false,
      insecure_plain_profile: true,
    });
  }

  /** Set in stored mode: the encrypted store, as the extension keeps it. */
  binding: StoreBinding | null = null;

  /** A host like the extension's: the profile, history and contacts in an encrypted store
   *  (passphrase `PASSPHRASE`, cheap Argon2 parameters), the node fed its savedata. */
  /** `relay`: a TCP relay as well. On a loopback-only network two friends that both
   *  restarted (new DHT keys on both sides) find each other again only through one. */
  static async createStored(name: string, boot: NodeAddress, relay?: NodeAddress, storeDir = tempDir(`${name}-store`)): Promise<HostUnderTest> {
    const h = new HostUnderTest(name, {
      profile_dir: storeDir,
      bootstrap: [boot],
      relays: relay ? [relay] : [],
      public_nodes: false,
      udp: true,
      local_discovery: false,
      accept_friends: false,
      echo: false,
      insecure_plain_profile: false,
    });
    await h.unlock();
    return h;
  }

  static readonly PASSPHRASE = 'correct horse battery';

  /** Opens (or creates) the store and binds it to the model. */
  async unlock(): Promise<void> {
    const dir = this.config.profile_dir;
    const store = Store.exists(dir)
      ? await Store.open(dir, { passphrase: HostUnderTest.PASSPHRASE })
      : await Store.create(dir, { passphrase: HostUnderTest.PASSPHRASE, keychain: false, kdf: fastKdf(await sodium()) });
    this.binding = new StoreBinding(store, this.model, () => true, this.pager);
    this.sup = this.makeSupervisor();
  }

  /** Tox: Lock — the node stops (saving), then the store forgets its key. */
  async lock(): Promise<void> {
    await this.sup.stop();
    this.binding?.close();
    this.binding = null;
  }

  private makeSupervisor(): NodeSupervisor {
    const sup = new NodeSupervisor({
      script: join(packageRoot(), 'dist', 'toxnode.js'),
      config: this.config,
      heartbeatMs: 500,
      heartbeatTimeoutMs: 5000,
      backoffInitialMs: 100,
      ...(this.binding ? { savedata: () => this.binding?.savedata(), transfers: () => this.binding?.transfers() } : {}),
    });
    sup.onEvent((e) => {
      if (this.binding?.handle(e)) return;
      this.pager.nodeEvent(e);
      this.model.handle(e);
      this.files.handle(e);
    });
    return sup;
  }

  start(): void {
    this.sup.start();
  }

  /** Stops the node process (the model, like the extension host, lives on). */
  async stopNode(): Promise<void> {
    await this.sup.stop();
  }

  /** A new node process on the same profile, as after a crash or a settings change. */
  restartNode(): void {
    this.sup = this.makeSupervisor();
    this.sup.start();
  }

  /** Resolves when `pred` holds, checked after every model change. */
  async until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await untilEmitted(
      `${this.name}: ${what}`,
      timeoutMs,
      (l: (c: ChatChange) => void) => this.model.onChange(l),
      () => pred(),
    );
  }
}
