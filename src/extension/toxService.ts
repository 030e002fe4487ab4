// Owns the supervised Tox node process and the chat model for the extension. The extension
// host never loads koffi or libtoxcore: it forks dist/toxnode.js and speaks the node
// protocol to it; a crash there restarts the node, never this process.

import * as vscode from 'vscode';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { NodeState, NodeSupervisor } from '../supervisor/supervisor';
import { check } from '../protocol/guard';
import { nodeConfig, NodeEvent, ProxySpec } from '../protocol/node';
import { ChatModel } from './model/chat';
import { StoredPrefs } from './model/prefs';
import { nodeConfigFrom, readSettings } from './settings';

export type ServiceState = NodeState | 'not-started';

const CONSENT_KEY = 'toxync.plainProfileConsent';

export class ToxService implements vscode.Disposable {
  readonly model: ChatModel;
  private supervisor: NodeSupervisor | null = null;
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
    this.model = new ChatModel(
      () => this.requireSupervisor(),
      new StoredPrefs(context.globalState),
    );
  }

  get state(): ServiceState {
    return this.supervisor?.state ?? 'not-started';
  }

  /** The proxy the running node was started with, or null (direct, or not running). */
  proxyLabel(): ProxySpec | null {
    return this.supervisor ? this.proxy : null;
  }

  get started(): boolean {
    return this.supervisor !== null;
  }

  /** A node command (for the few actions that are not chat-model state, e.g. typing). */
  request: NodeSupervisor['request'] = (body) => this.requireSupervisor().request(body);

  private requireSupervisor(): NodeSupervisor {
    if (!this.supervisor) throw new Error('Tox is not running: run "Tox: Start" first');
    return this.supervisor;
  }

  hasConsent(): boolean {
    return readSettings(vscode.workspace.getConfiguration('toxync')).allowUnencryptedProfile || this.context.globalState.get(CONSENT_KEY) === true;
  }

  /** Asks once (modal) before a profile is written unencrypted; never silently. */
  private async askConsent(): Promise<boolean> {
    if (this.hasConsent()) return true;
    const yes = 'Start with an unencrypted profile';
    const pick = await vscode.window.showWarningMessage(
      'toxync cannot encrypt your Tox profile yet.',
      {
        modal: true,
        detail:
          "Your Tox secret key and friend list would be stored unencrypted in VS Code's storage folder for this extension, readable by anything running as your user. Encryption at rest (keys in SecretStorage or a passphrase) is planned. Messages are kept in memory only.",
      },
      yes,
    );
    if (pick !== yes) return false;
    await this.context.globalState.update(CONSENT_KEY, true);
    return true;
  }

  /** Starts the node (asking first if needed). Returns false if the user said no. */
  async start(): Promise<boolean> {
    if (this.supervisor || this.disposed) return true;
    if (!(await this.askConsent())) {
      this.stateEmitter.fire('not-started');
      return false;
    }
    if (this.supervisor || this.disposed) return true; // a second caller won the race
    const profileDir = join(this.context.globalStorageUri.fsPath, 'profile');
    mkdirSync(profileDir, { recursive: true, mode: 0o700 });
    const settings = readSettings(vscode.workspace.getConfiguration('toxync'));
    const config = check(nodeConfig, nodeConfigFrom(settings, profileDir));
    if (!config.ok) {
      // Fail closed: a broken proxy setting must never turn into a direct connection.
      this.log.error(`not starting: invalid settings (${config.error})`);
      void vscode.window.showErrorMessage(`Tox did not start: the toxync settings are invalid (${config.error}). Fix them and run "Tox: Start".`);
      this.stateEmitter.fire('not-started');
      return false;
    }
    this.proxy = settings.proxy;
    this.lastProxyStatus = null;
    const sup = new NodeSupervisor({ script: join(this.context.extensionPath, 'dist', 'toxnode.js'), config: config.value });
    this.supervisor = sup;
    this.unsubscribe.push(
      sup.onState((s) => {
        this.log.info(`node state: ${s}`);
        this.stateEmitter.fire(s);
      }),
      sup.onLog((line) => this.log.warn(line)),
      sup.onEvent((e) => this.onNodeEvent(e)),
    );
    sup.start();
    return true;
  }

  private onNodeEvent(e: NodeEvent): void {
    // Logs carry event names and numbers, never message texts, names or request messages.
    switch (e.event) {
      case 'log':
        this.log[e.level === 'warn' ? 'warn' : e.level === 'error' ? 'error' : e.level === 'debug' ? 'debug' : 'info'](`node: ${e.message}`);
        break;
      case 'error':
        this.log.warn(`node error${e.cmd ? ` (${e.cmd})` : ''}: ${e.code ?? ''}`);
        break;
      case 'ready':
        this.log.info(`node ready with ${e.friends.length} friends`);
        break;
      case 'proxy_status':
        this.lastProxyStatus = { ok: e.ok, text: e.ok ? 'the proxy reaches a Tox relay' : `${e.reason ?? 'unreachable'}: ${e.message}`.slice(0, 300) };
        break;
      default:
        break;
    }
    this.model.handle(e);
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
    for (const u of this.unsubscribe.splice(0)) u();
    if (sup) await sup.stop();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.stopNode();
    this.model.dispose();
    this.stateEmitter.dispose();
    this.eventEmitter.dispose();
  }
}
