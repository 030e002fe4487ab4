// File transfers as the extension host sees them: one per 'file' chat message, driven by
// the node's file_* events (a transfer's shape, speed and ETA: transferState.ts). Pure (no
// `vscode` import), like the chat model it writes its messages into. The node does the
// bytes, the resume records and the sanitising; this keeps what the user sees and decides:
// offers waiting for Accept / Save as… / Decline, per-friend auto-accept, and pause,
// resume, cancel from either side.
//
//   out: waiting (friend offline) → pending (offered) → active ⇄ paused → done
//   in:  offered → active ⇄ paused → done          (either: → interrupted → active | failed | cancelled)

import { basename } from 'node:path';
import { statSync } from 'node:fs';
import type { NodeEvent } from '../../protocol/node';
import type { ChatMessage, DeliveryState } from '../../protocol/webview';
import { hasImageExtension, safeFileName } from '../../common/filename';
import type { ChatModel, NodeLink } from './chatModel';
import { isFinal, sampleProgress, type Transfer, type TransferState } from './transferState';

export interface AutoAcceptRule {
  folder: string;
  maxBytes: number;
  imagesOnly: boolean;
}

export interface FileHost {
  chat: ChatModel;
  node(): NodeLink;
  /** The friend's auto-accept rule, or null (the default: ask). */
  rule(key: string): AutoAcceptRule | null;
  now?: () => number;
}

export type TransferChange = { kind: 'new' | 'update'; transfer: Transfer };

export class FileTransfers {
  private readonly byId = new Map<string, Transfer>();
  private readonly listeners = new Set<(c: TransferChange) => void>();
  private epoch = 0;
  private seq = 0;
  private readonly now: () => number;

  constructor(private readonly host: FileHost) {
    this.now = host.now ?? Date.now;
  }

  onChange(l: (c: TransferChange) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private fire(kind: 'new' | 'update', t: Transfer): void {
    for (const l of this.listeners) l({ kind, transfer: t });
  }

  get(id: string): Transfer | undefined {
    return this.byId.get(id);
  }

  of(key: string): Transfer[] {
    return [...this.byId.values()].filter((t) => t.key === key);
  }

  all(): Transfer[] {
    return [...this.byId.values()];
  }

  private find(pred: (t: Transfer) => boolean): Transfer | undefined {
    for (const t of this.byId.values()) if (pred(t)) return t;
    return undefined;
  }

  /** The transfer an event is about: by file_id (stable across restarts), else by number. */
  private match(dir: 'in' | 'out', friend: number, file: number, fileId: string | undefined): Transfer | undefined {
    const key = this.host.chat.contactByFriend(friend)?.key;
    if (fileId) {
      const t = this.find((x) => x.dir === dir && x.key === key && x.fileId === fileId && !isFinal(x));
      if (t) return t;
    }
    return this.find((x) => x.dir === dir && x.friend === friend && x.file === file && x.epoch === this.epoch && !isFinal(x));
  }

  private create(key: string, friend: number, dir: 'in' | 'out', name: string, size: number | null, fileId: string | null, state: TransferState): Transfer {
    const msg: ChatMessage = {
      id: `${dir === 'in' ? 'f' : 'g'}${this.now().toString(36)}-${(this.seq++).toString(36)}`,
      dir,
      kind: 'file',
      text: name,
      ts: this.now(),
      size,
      ...(fileId ? { file_id: fileId } : {}),
      ...(dir === 'out' ? { state: state === 'waiting' ? 'queued' : 'sending' } : {}),
    };
    this.host.chat.addMessage(key, msg, dir === 'in');
    const t: Transfer = {
      id: msg.id,
      key,
      dir,
      fileId,
      name,
      size,
      friend,
      file: null,
      epoch: this.epoch,
      bytes: 0,
      state,
      pausedByUs: false,
      pausedByPeer: false,
      path: null,
      error: null,
      code: null,
      partial: null,
      speed: 0,
      auto: false,
      sample: null,
    };
    this.byId.set(t.id, t);
    return t;
  }

  private chatState(t: Transfer, s: DeliveryState): void {
    this.host.chat.messageState(t.key, t.id, s);
  }

  private setState(t: Transfer, s: TransferState): void {
    t.state = s;
    if (s === 'done') this.chatState(t, 'delivered');
    else if (s === 'failed' || s === 'cancelled') this.chatState(t, 'failed');
    else if (t.dir === 'out') this.chatState(t, s === 'waiting' ? 'queued' : 'sending');
    else if (s !== 'offered') this.chatState(t, 'sending');
  }

  // ---- node events ---------------------------------------------------------------------

  handle(e: NodeEvent): void {
    switch (e.event) {
      case 'ready':
        this.epoch++;
        // File numbers of the old node mean nothing now. Recorded transfers resume by
        // file_id (the node offers them again / recognises them); offers come back if the
        // sender offers again.
        for (const t of this.byId.values()) {
          if (isFinal(t)) continue;
          t.file = null;
          t.speed = 0;
          t.sample = null;
          if (t.state !== 'waiting') t.state = 'interrupted';
          this.fire('update', t);
        }
        return;
      case 'file_recv':
        return this.onOffer(e);
      case 'file_offered': {
        const t = this.match('out', e.friend, e.file, e.file_id);
        if (!t) return;
        t.file = e.file;
        t.friend = e.friend;
        t.epoch = this.epoch;
        this.setState(t, 'pending');
        this.fire('update', t);
        return;
      }
      case 'file_accepted': {
        const t = this.match('in', e.friend, e.file, e.file_id);
        if (!t) return;
        t.path = e.path;
        t.auto = e.auto;
        this.setState(t, 'active');
        this.fire('update', t);
        return;
      }
      case 'file_resumed': {
        const dir = e.direction === 'send' ? 'out' : 'in';
        let t = this.match(dir, e.friend, e.file, e.file_id);
        const key = this.host.chat.contactByFriend(e.friend)?.key;
        if (!t) {
          if (!key) return;
          // Resumed by the node from its records, with nothing on screen (history off, or
          // the host restarted): show it now.
          t = this.create(key, e.friend, dir, e.path ? basename(e.path) : 'file', null, e.file_id, 'active');
          this.fire('new', t);
        }
        t.file = e.file;
        t.friend = e.friend;
        t.epoch = this.epoch;
        t.bytes = e.bytes;
        t.sample = null;
        if (e.path) t.path = e.path;
        this.setState(t, t.pausedByUs || t.pausedByPeer ? 'paused' : 'active');
        this.fire('update', t);
        return;
      }
      case 'file_progress': {
        const t = this.match(e.direction === 'send' ? 'out' : 'in', e.friend, e.file, e.file_id);
        if (!t) return;
        if (e.size !== null) t.size = e.size;
        sampleProgress(t, e.bytes, this.now());
        if (t.state === 'pending' || t.state === 'interrupted') this.setState(t, 'active');
        this.fire('update', t);
        return;
      }
      case 'file_control': {
        const t = this.match('in', e.friend, e.file, e.file_id) ?? this.match('out', e.friend, e.file, e.file_id);
        if (!t) return;
        if (e.control === 'cancel') {
          this.setState(t, 'cancelled');
          t.error = 'cancelled by your friend';
        } else {
          t.pausedByPeer = e.control === 'pause';
          // An offer the peer paused is still an offer; anything else follows the pauses.
          if (t.state !== 'offered') this.setState(t, t.pausedByUs || t.pausedByPeer ? 'paused' : 'active');
        }
        this.fire('update', t);
        return;
      }
      case 'file_interrupted': {
        const t = this.match(e.direction === 'send' ? 'out' : 'in', e.friend, e.file, e.file_id);
        if (!t) return;
        t.file = null;
        t.speed = 0;
        t.sample = null;
        this.setState(t, 'interrupted');
        this.fire('update', t);
        return;
      }
      case 'file_done': {
        const t = this.match(e.direction === 'send' ? 'out' : 'in', e.friend, e.file, e.file_id);
        if (!t) return;
        t.bytes = e.bytes;
        if (e.direction === 'recv') t.path = e.path;
        t.file = null;
        this.setState(t, 'done');
        this.fire('update', t);
        if (e.direction === 'recv') this.host.chat.system(t.key, `File saved to ${e.path}`);
        return;
      }
      case 'file_error': {
        const dir = e.direction === 'send' ? 'out' : 'in';
        const t = this.match(dir, e.friend, e.file, e.file_id);
        if (!t) return;
        t.error = e.message;
        t.code = e.code ?? null;
        t.partial = e.partial ?? null;
        t.file = null;
        this.setState(t, 'failed');
        this.fire('update', t);
        this.host.chat.system(
          t.key,
          `File transfer failed: ${e.message}${t.partial ? ' (the partial file is kept; it resumes if the file is sent again)' : ''}`,
        );
        return;
      }
      default:
        return;
    }
  }

  private onOffer(e: Extract<NodeEvent, { event: 'file_recv' }>): void {
    if (e.kind !== 'data') return;
    const c = this.host.chat.contactByFriend(e.friend);
    if (!c) return;
    // The same file offered again (a toxync sender after a disconnect or restart): the
    // message already on screen takes the new offer instead of a second one appearing.
    let t = e.file_id
      ? this.find((x) => x.dir === 'in' && x.key === c.key && x.fileId === e.file_id && (x.state === 'offered' || x.state === 'interrupted'))
      : undefined;
    if (t) {
      t.friend = e.friend;
      t.file = e.file;
      t.epoch = this.epoch;
      t.size = e.size;
      t.state = 'offered';
      this.fire('update', t);
    } else {
      t = this.create(c.key, e.friend, 'in', e.name, e.size, e.file_id ?? null, 'offered');
      t.file = e.file;
      this.fire('new', t);
    }
    const rule = this.host.rule(c.key);
    if (rule && this.ruleAllows(t, rule)) {
      const offer = t;
      this.node()
        .request({
          cmd: 'file_accept',
          friend: e.friend,
          file: e.file,
          dir: rule.folder,
          max_bytes: rule.maxBytes,
          require_image: rule.imagesOnly,
        })
        .catch((err: unknown) => this.failLocally(offer, err));
    }
  }

  /** Auto-accept applies only within the rule; anything else is asked about as usual. */
  ruleAllows(t: Transfer, rule: AutoAcceptRule): boolean {
    if (t.size === null || t.size > rule.maxBytes) return false;
    if (rule.imagesOnly && !hasImageExtension(safeFileName(t.name))) return false;
    return true;
  }

  private failLocally(t: Transfer, err: unknown): void {
    t.error = err instanceof Error ? err.message : String(err);
    this.setState(t, 'failed');
    this.fire('update', t);
  }

  private node(): NodeLink {
    return this.host.node();
  }

  // ---- user actions --------------------------------------------------------------------

  /** Sends a file now, or when the friend comes online. Only its base name is sent. */
  async send(key: string, path: string, name?: string): Promise<Transfer> {
    const c = this.host.chat.contacts.get(key);
    if (!c) throw new RangeError('not a friend');
    const st = statSync(path);
    if (!st.isFile()) throw new RangeError(`${basename(path)} is not a file`);
    const r = await this.node().request({ cmd: 'send_file', friend: c.friend, path, ...(name !== undefined ? { name } : {}) });
    const same = this.find((x) => x.dir === 'out' && x.key === key && x.fileId === r.file_id && !isFinal(x));
    if (same) return same;
    const t = this.create(key, c.friend, 'out', name ?? basename(path), st.size, r.file_id, r.file === null ? 'waiting' : 'pending');
    t.file = r.file;
    t.path = path;
    this.fire('new', t);
    return t;
  }

  private live(id: string): Transfer {
    const t = this.byId.get(id);
    if (!t) throw new RangeError('this transfer is no longer available');
    return t;
  }

  /** Accepts an offer into a folder (sanitised, unique name) or exactly at `path`. */
  async accept(id: string, target: { dir: string } | { path: string }): Promise<string> {
    const t = this.live(id);
    if (t.dir !== 'in' || t.state !== 'offered' || t.file === null || t.epoch !== this.epoch) throw new RangeError('this file offer is no longer available');
    const r = await this.node().request({ cmd: 'file_accept', friend: t.friend, file: t.file, ...target });
    t.path = r.path;
    if (t.state === 'offered') this.setState(t, 'active');
    this.fire('update', t);
    return r.path;
  }

  async decline(id: string): Promise<void> {
    const t = this.live(id);
    if (t.dir !== 'in' || t.state !== 'offered') throw new RangeError('this file offer is no longer available');
    if (t.file !== null && t.epoch === this.epoch) await this.node().request({ cmd: 'file_control', friend: t.friend, file: t.file, control: 'cancel' });
    t.error = 'declined';
    this.setState(t, 'cancelled');
    this.fire('update', t);
  }

  async control(id: string, control: 'pause' | 'resume' | 'cancel'): Promise<void> {
    const t = this.live(id);
    if (isFinal(t)) throw new RangeError('this transfer has ended');
    const live = t.file !== null && t.epoch === this.epoch;
    if (live) await this.node().request({ cmd: 'file_control', friend: t.friend, file: t.file!, control });
    else if (control === 'cancel' && t.fileId)
      await this.node()
        .request({ cmd: 'file_control', friend: t.friend, file_id: t.fileId, control })
        .catch(() => undefined);
    else if (control !== 'cancel') throw new RangeError('the transfer is not running (your friend is offline); it continues when they are back');
    if (control === 'cancel') {
      t.error = 'cancelled';
      this.setState(t, 'cancelled');
    } else {
      t.pausedByUs = control === 'pause';
      if (live) this.setState(t, t.pausedByUs || t.pausedByPeer ? 'paused' : 'active');
    }
    this.fire('update', t);
  }

  /** Deletes the partial download a failure kept. */
  async discard(id: string): Promise<void> {
    const t = this.live(id);
    if (!t.partial || !t.fileId) return;
    await this.node().request({ cmd: 'file_discard', friend: t.friend, file_id: t.fileId, direction: t.dir === 'in' ? 'recv' : 'send' });
    t.partial = null;
    this.fire('update', t);
  }

  /** Lock: forget everything (the node's records stay in the store). */
  reset(): void {
    this.byId.clear();
  }
}
