// Owns the supervised Tox node process and the chat model for the extension. The extension
// host never loads koffi or libtoxcore: it forks dist/toxnode.js and speaks the node
// protocol to it; a crash there restarts the node, never this process.

import * as vscode from 'vscode';
import { join } from 'node:path';
import { type NodeState, NodeSupervisor } from '../core/supervisor/supervisor';
import { check } from '../protocol/guard';
import { nodeConfig, type NodeEvent, type ProxySpec } from '../protocol/node';
import { Store } from '../core/store/store';
import { ChatModel } from '../core/chat/chatModel';
import { AvatarBook } from '../core/chat/avatarModel';
import { FileTransfers } from '../core/chat/fileTransfers';
import { StoreFileRules } from '../core/chat/fileRules';
import { EmptyPrefs } from '../core/chat/prefs';
import { PagerController } from './pager/controller';
import { StoreBinding } from './storeBinding';
import { nodeConfigFrom } from './settings';
import { describeRepairs, type KeyStorage, openStore } from './unlock';
import { noticeText } from './surfaceText';
import { toxyncConfig, toxyncSettings } from './config';
import { cutoffOf, keptNotice, retentionDetail, retentionMessage, retentionRule, ruleKey } from './retention';
import { codeOnly, errorCode, fromNode } from './logText';
import { prunableCounts } from '../core/store/storeQueries';
import { GroupBook } from '../core/chat/groupModel';
import { GroupBinding } from './groupBinding';
import { outgoingPathsOf } from './sentGifs';

export type ServiceState = NodeState | 'not-started' | 'locked';

const DAY_MS = 86_400_000;
/** globalState key: the retention rule the user agreed to (model/retention.ts). */
const RETENTION_CONSENT = 'toxync.retentionConsent';

export class ToxService implements vscode.Disposable {
  readonly model: ChatModel;
  /** File transfers (model/files.ts), friends' avatars, and the per-friend auto-accept rules. */
  readonly files: FileTransfers;
  readonly avatars = new AvatarBook();
  readonly fileRules = new StoreFileRules(() => this.binding?.store ?? null);
  /** Pager alerts from friends marked as sources; empty while locked. */
  readonly pager: PagerController;
  /** Group chats (issue 20); empty while locked. */
  readonly groups: GroupBook;
  private groupBinding: GroupBinding | null = null;
  private supervisor: NodeSupervisor | null = null;
  private binding: StoreBinding | null = null;
  /** After "Tox: Lock": the passphrase is required again even if the keychain has the key. */
  private lockedByUser = false;
  private starting: Promise<boolean> | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  /** The rule the user declined this session: not asked again until it changes. */
  private retentionDeclined: string | null = null;
  private readonly stateEmitter = new vscode.EventEmitter<ServiceState>();
  readonly onState = this.stateEmitter.event;
  private readonly eventEmitter = new vscode.EventEmitter<NodeEvent>();
  readonly onEvent = this.eventEmitter.event;
  private unsubscribe: (() => void)[] = [];
  private disposed = false;
  /** The latest proxy_status from the node: whether the proxy reaches a relay, and why not. */
  lastProxyStatus: { ok: boolean; text: string } | null = null;
  private proxy: ProxySpec | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.model = new ChatModel(() => this.requireSupervisor(), new EmptyPrefs());
    this.files = new FileTransfers({ chat: this.model, node: () => this.requireSupervisor(), rule: (key) => this.fileRules.rule(key) });
    this.pager = new PagerController(this.model);
    this.groups = new GroupBook({
      node: () => this.requireSupervisor(),
      prefs: () => this.groupBinding?.prefs ?? new EmptyPrefs(),
      selfName: () => this.model.self?.name || null,
      friendKey: (no) => this.model.contactByFriend(no)?.key ?? null,
    });
  }

  get state(): ServiceState {
    if (this.lockedByUser && !this.binding) return 'locked';
    return this.supervisor?.state ?? 'not-started';
  }

  /** The proxy the running node was started with, or null (direct, or not running). */
  proxyLabel(): ProxySpec | null {
    return this.supervisor ? this.proxy : null;
  }

  get started(): boolean {
    return this.supervisor !== null;
  }

  get unlocked(): boolean {
    return this.binding !== null;
  }

  get storeDir(): string {
    return join(this.context.globalStorageUri.fsPath, 'store');
  }

  /** Files outgoing transfers still read (sentGifs.ts), except the transfer `exceptId`;
   *  null while locked (the resume records are in the store). */
  outgoingPaths(exceptId?: string): Set<string> | null {
    return outgoingPathsOf(this.binding?.transfers(), this.files.all(), exceptId);
  }

  /** The open store (for the store commands), or an error telling the user to unlock. */
  requireStore(): Store {
    if (!this.binding) throw new Error('your Tox profile is locked: run "Tox: Unlock" first');
    return this.binding.store;
  }

  /** Whether starting needs no question: a profile whose key is in the keychain, or none
   *  yet while the `toxync.keyStorage` setting already chose the keychain. */
  canStartSilently(): boolean {
    if (this.lockedByUser) return false;
    try {
      const info = Store.vaultInfo(this.storeDir);
      if (!info) return toxyncConfig().get('keyStorage') === 'keychain';
      return info.keychain;
    } catch {
      return false;
    }
  }

  /** A node command (for the few actions that are not chat-model state, e.g. typing). */
  request: NodeSupervisor['request'] = (body) => this.requireSupervisor().request(body);

  private requireSupervisor(): NodeSupervisor {
    if (!this.supervisor) throw new Error('Tox is not running: run "Tox: Start" first');
    return this.supervisor;
  }

  /** Unlocks the store (asking as needed) and starts the node. False if the user backed out. */
  start(): Promise<boolean> {
    // Two callers at once (activation and a click) must not ask twice.
    this.starting ??= this.doStart().finally(() => (this.starting = null));
    return this.starting;
  }

  private async doStart(): Promise<boolean> {
    if (this.supervisor || this.disposed) return true;
    let unlocked: boolean;
    try {
      unlocked = await this.unlock();
    } catch (e) {
      // Another window has the profile open (BUSY), or a damaged profile (CORRUPT): say so; never start a new identity.
      const text = e instanceof Error ? e.message : String(e);
      this.log.error(`unlock failed: ${errorCode(e)}`);
      void vscode.window.showErrorMessage(`Tox did not start: ${noticeText(text)}.`);
      unlocked = false;
    }
    if (!unlocked) {
      this.stateEmitter.fire(this.state);
      return false;
    }
    if (this.supervisor || this.disposed) return true;
    const settings = toxyncSettings();
    const config = check(nodeConfig, nodeConfigFrom(settings, this.storeDir));
    if (!config.ok) {
      // Fail closed: a broken proxy setting must never turn into a direct connection.
      this.log.error('not starting: invalid settings');
      void vscode.window.showErrorMessage(`Tox did not start: the toxync settings are invalid (${noticeText(config.error)}). Fix them and run "Tox: Start".`);
      this.stateEmitter.fire('not-started');
      return false;
    }
    this.proxy = settings.proxy;
    this.lastProxyStatus = null;
    const sup = new NodeSupervisor({
      script: join(this.context.extensionPath, 'dist', 'toxnode.js'),
      config: config.value,
      savedata: () => this.binding?.savedata(),
      transfers: () => this.binding?.transfers(),
    });
    this.supervisor = sup;
    this.unsubscribe.push(
      sup.onState((s) => {
        this.log.info(`node state: ${s}`);
        this.stateEmitter.fire(s);
      }),
      sup.onLog((line) => this.log.warn(fromNode(line))),
      sup.onEvent((e) => this.onNodeEvent(e)),
    );
    sup.start();
    return true;
  }

  /** Opens the encrypted store and restores history, outbox and contacts settings. */
  private async unlock(): Promise<boolean> {
    if (this.binding) return true;
    const keyStorage = toxyncConfig().get<KeyStorage>('keyStorage') ?? 'ask';
    const store = await openStore(
      this.storeDir,
      {
        secrets: this.context.secrets,
        globalState: this.context.globalState,
        log: this.log,
        keyStorage: keyStorage === 'keychain' || keyStorage === 'passphrase' ? keyStorage : 'ask',
        legacyProfileDir: join(this.context.globalStorageUri.fsPath, 'profile'),
      },
      this.lockedByUser,
    );
    if (!store || this.disposed) {
      store?.close();
      return false;
    }
    try {
      this.binding = new StoreBinding(store, this.model, () => this.historyEnabled(), this.pager);
    } catch (e) {
      store.close(); // e.g. a damaged profile: never replaced by a new identity
      throw e;
    }
    this.lockedByUser = false;
    await this.openGroups(store);
    const repairs = describeRepairs(store);
    if (repairs) {
      this.log.warn(
        `store repaired: ${store.report.damaged.length} damaged conversation files${store.report.stateDamagedKeptAs ? ', contacts settings file damaged' : ''}`,
      );
      void vscode.window.showWarningMessage(noticeText(repairs, 1000));
    }
    void this.applyRetention();
    this.retentionTimer = setInterval(() => void this.applyRetention(), DAY_MS);
    this.log.info(`profile unlocked: ${this.binding.conversations} conversations`);
    return true;
  }

  /** The group part of the store; a damaged group list must not keep 1:1 chats from opening. */
  private async openGroups(store: Store): Promise<void> {
    try {
      this.groupBinding = await GroupBinding.open(store, this.groups, () => this.historyEnabled());
      if (this.groupBinding.unreadable) this.log.warn(`groups: ${this.groupBinding.unreadable} unreadable records kept on disk`);
    } catch (e) {
      this.log.error(`groups not opened: ${errorCode(e)}`);
      void vscode.window.showWarningMessage(`Your group chats could not be opened: ${noticeText(e instanceof Error ? e.message : String(e))}`);
    }
  }

  private historyEnabled(): boolean {
    return toxyncConfig().get<boolean>('history.enabled') !== false;
  }

  /** Drops history beyond `toxync.history.keepDays`, or all of it when history is off, after
   *  asking (model/retention.ts); undelivered outgoing messages always stay. */
  async applyRetention(): Promise<number> {
    const store = this.binding?.store;
    const cfg = toxyncConfig();
    const rule = retentionRule(cfg.get<unknown>('history.enabled'), cfg.get<unknown>('history.keepDays'));
    if (!store || !rule || this.retentionDeclined === ruleKey(rule)) return 0;
    const cutoff = cutoffOf(rule, Date.now());
    const counts = prunableCounts(store.conversations(), cutoff);
    if (!counts.size) return 0;
    if (this.context.globalState.get<string>(RETENTION_CONSENT) !== ruleKey(rule)) {
      const go = 'Delete';
      const detail = retentionDetail(rule, counts, (k) => this.model.displayName(k));
      if ((await vscode.window.showWarningMessage(retentionMessage(rule, counts), { modal: true, detail }, go)) !== go) {
        this.retentionDeclined = ruleKey(rule);
        void vscode.window.showInformationMessage(keptNotice(rule));
        return 0;
      }
      await this.context.globalState.update(RETENTION_CONSENT, ruleKey(rule));
    }
    if (this.binding?.store !== store) return 0; // locked while the question was open
    const dropped = store.prune(cutoff);
    if (dropped) this.log.info(`retention: ${dropped} old messages removed`);
    return dropped;
  }

  /** Import: the node restarts with other savedata (a new identity). The old profile is
   *  overwritten only after the new one was checked by the caller (it decrypted). */
  async replaceProfile(savedata: Uint8Array): Promise<void> {
    const binding = this.binding;
    if (!binding) throw new Error('your Tox profile is locked');
    await this.stopNode();
    binding.replaceProfile(savedata);
    await this.start();
  }

  /** "Tox: Lock": stops the node (it holds the Tox secret key), forgets the data key, every
   *  plaintext the host kept and the open chats. */
  async lock(): Promise<void> {
    this.lockedByUser = true;
    await this.stopNode();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = null;
    this.groupBinding?.close();
    this.groupBinding = null;
    this.binding?.close();
    this.binding = null;
    this.files.reset();
    this.avatars.clear();
    this.stateEmitter.fire('locked');
    this.log.info('profile locked');
  }

  private onNodeEvent(e: NodeEvent): void {
    // Logs carry event names and numbers, never message texts, names or request messages.
    switch (e.event) {
      case 'log':
        this.log[e.level === 'warn' ? 'warn' : e.level === 'error' ? 'error' : e.level === 'debug' ? 'debug' : 'info'](`node: ${e.message}`);
        break;
      case 'error':
        this.log.warn(`node error${e.cmd ? ` (${codeOnly(e.cmd)})` : ''}: ${codeOnly(e.code)}`);
        break;
      case 'ready': {
        this.log.info(`node ready with ${e.friends.length} friends`);
        // Our avatar lives in the store; every new node is told it again.
        const avatar = this.binding?.store.state.avatar;
        if (avatar) void this.request({ cmd: 'set_avatar', data: avatar }).catch((err: unknown) => this.log.warn(`avatar not set: ${errorCode(err)}`));
        break;
      }
      case 'savedata':
        // The node's profile changed: encrypted and stored atomically. Never logged, not for views.
        this.binding?.handle(e);
        return;
      case 'proxy_status':
        this.lastProxyStatus = {
          ok: e.ok,
          text: e.ok ? 'the proxy reaches a Tox relay' : `${e.reason ?? 'unreachable'}: ${e.message}`.slice(0, 300),
        };
        break;
      default:
        break;
    }
    this.pager.nodeEvent(e);
    this.model.handle(e);
    this.groups.handle(e);
    this.files.handle(e);
    this.avatars.handle(e);
    this.eventEmitter.fire(e);
  }

  /** Restarts the node with fresh settings (after a settings change). */
  async restart(): Promise<void> {
    await this.stopNode();
    await this.start();
  }

  private async stopNode(): Promise<void> {
    const sup = this.supervisor;
    this.supervisor = null;
    // Listeners stay until the node is gone: its last `savedata` comes while it quits.
    if (sup) await sup.stop();
    for (const u of this.unsubscribe.splice(0)) u();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = null;
    // The node saves on quit; the store closes (and wipes its key) once that arrived.
    void this.stopNode().finally(() => {
      this.groupBinding?.close();
      this.groupBinding = null;
      this.binding?.close();
      this.binding = null;
    });
    this.pager.dispose();
    this.model.dispose();
    this.groups.dispose();
    this.stateEmitter.dispose();
    this.eventEmitter.dispose();
  }
}
