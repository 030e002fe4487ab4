// The encrypted store of one profile: the Tox savedata, the state document (aliases, block
// list, pending requests, per-friend settings) and one append-only log per conversation.
// Everything on disk is sealed with the data key; file names are random and name nobody.
//
//   <dir>/vault.json     how the data key is reached (vault.ts)
//   <dir>/profile.bin    the Tox savedata (blob.ts)
//   <dir>/state.bin      StateDoc (blob.ts)
//   <dir>/h/<random>.log a conversation (log.ts); its first record names the peer
//   <dir>/lock           the pid of the one process that has the store open
//
// The store owns its copy of the key and wipes it on close() (the "Lock" command).

import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage, DeliveryState } from '../../protocol/webview';
import { fsyncDir } from '../../sys/atomicWrite';
import { readBlob, writeBlob } from './blob';
import { type KdfParams, defaultKdf, newDataKey, wipe } from './crypto';
import { StoreError } from './storeErrors';
import { StoreLock } from './lock';
import { RecordLog } from './log';
import { decodeRecord, emptyState, encodeRecord, type HistoryRecord, keptBy, msgRecord, type StateDoc, stateDoc } from './records';
import { check } from '../../protocol/guard';
import { sodium, type Sodium } from './sodium';
import { keyMatches, readVault, unwrapKey, type VaultFile, writeVault } from './vault';

const PROFILE = 'profile.bin';
const STATE = 'state.bin';
const HISTORY = 'h';

export interface ConversationData {
  peer: string;
  /** In log order, with the latest delivery state folded in. */
  messages: ChatMessage[];
  /** Dedup tags (sender id:part) of messages received from this peer → local message id. */
  seenDedup: Map<string, string>;
  /** Our outgoing message id → its dedup id (so a re-send carries the same one). */
  outDedup: Map<string, string>;
}

export interface OpenReport {
  /** Conversations whose last record was torn by a crash (dropped, as expected). */
  tornTails: number;
  /** Damaged history files: moved aside as `<file>.damaged-<time>`, intact records kept. */
  damaged: { recovered: number; skipped: number; lostBytes: number; keptAs: string }[];
  /** state.bin did not authenticate: moved aside, aliases / blocks / requests start empty. */
  stateDamagedKeptAs: string | null;
  /** Records this version does not understand (left on disk). */
  unknownRecords: number;
}

export interface CreateOptions {
  /** Wrap the key under this passphrase (null: the caller keeps the key, e.g. in SecretStorage). */
  passphrase: string | null;
  /** The caller keeps the key in the OS keychain (a hint for the UI; never the key). */
  keychain: boolean;
  kdf?: KdfParams;
}

export type Unlock = { key: Uint8Array } | { passphrase: string };

interface Conv extends ConversationData {
  log: RecordLog;
  byId: Map<string, ChatMessage>;
}

export class Store {
  private key: Uint8Array | null;
  private stateDoc: StateDoc;
  private readonly convs = new Map<string, Conv>();
  readonly report: OpenReport = { tornTails: 0, damaged: [], stateDamagedKeptAs: null, unknownRecords: 0 };

  private constructor(
    private readonly s: Sodium,
    readonly dir: string,
    key: Uint8Array,
    private vault: VaultFile,
    private readonly lock: StoreLock,
  ) {
    this.key = key;
    this.stateDoc = emptyState();
  }

  static exists(dir: string): boolean {
    return existsSync(join(dir, 'vault.json'));
  }

  /** The vault alone (no key needed): whether a passphrase is set, who else holds the key. */
  static vaultInfo(dir: string): { passphrase: boolean; keychain: boolean } | null {
    const v = readVault(dir);
    return v ? { passphrase: v.passphrase !== null, keychain: v.holders.includes('keychain') } : null;
  }

  /** A new, empty store with a fresh data key. Returns the store (which owns the key). */
  static async create(dir: string, o: CreateOptions): Promise<Store> {
    const s = await sodium();
    if (Store.exists(dir)) throw new StoreError('CORRUPT', 'a store already exists here');
    if (o.passphrase === null && !o.keychain) throw new StoreError('NO_KEY', 'a store needs a passphrase or a keychain to keep its key');
    mkdirSync(join(dir, HISTORY), { recursive: true, mode: 0o700 });
    const lock = StoreLock.acquire(dir);
    try {
      const key = newDataKey(s);
      const vault = await writeVault(s, dir, key, {
        passphrase: o.passphrase,
        kdf: o.kdf ?? defaultKdf(s),
        holders: o.keychain ? ['keychain'] : [],
      });
      const store = new Store(s, dir, key, vault, lock);
      store.saveState();
      return store;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Opens with the key (checked against the vault) or the passphrase. On a wrong key or
   *  passphrase nothing on disk is touched. The key given is copied; the caller may wipe it. */
  static async open(dir: string, how: Unlock): Promise<Store> {
    const s = await sodium();
    const vault = readVault(dir);
    if (!vault) throw new StoreError('NO_KEY', 'there is no toxync store here');
    let key: Uint8Array;
    if ('passphrase' in how) key = await unwrapKey(s, vault, how.passphrase);
    else {
      if (!keyMatches(s, vault, how.key)) throw new StoreError('WRONG_KEY', 'the key does not belong to this profile');
      key = how.key.slice();
    }
    const lock = StoreLock.acquire(dir);
    const store = new Store(s, dir, key, vault, lock);
    try {
      store.load();
    } catch (e) {
      store.close();
      throw e;
    }
    return store;
  }

  private requireKey(): Uint8Array {
    if (!this.key) throw new StoreError('LOCKED', 'the profile is locked');
    return this.key;
  }

  get locked(): boolean {
    return this.key === null;
  }

  // ---- key handling --------------------------------------------------------------------

  /** A copy of the data key, for the caller's keychain. The caller wipes it after use. */
  exportKey(): Uint8Array {
    return this.requireKey().slice();
  }

  hasPassphrase(): boolean {
    return this.vault.passphrase !== null;
  }

  keptInKeychain(): boolean {
    return this.vault.holders.includes('keychain');
  }

  /** Sets, changes or removes the passphrase and says whether the keychain keeps the key.
   *  Re-wraps the key only: no data is re-encrypted. */
  async setKeyHolders(passphrase: string | null, keychain: boolean, kdf?: KdfParams): Promise<void> {
    if (passphrase === null && !keychain) throw new StoreError('NO_KEY', 'without a passphrase the key must stay in the keychain');
    this.vault = await writeVault(this.s, this.dir, this.requireKey(), {
      passphrase,
      kdf: kdf ?? defaultKdf(this.s),
      holders: keychain ? ['keychain'] : [],
    });
  }

  // ---- profile and state ---------------------------------------------------------------

  readProfile(): Uint8Array | null {
    return readBlob(this.s, this.requireKey(), join(this.dir, PROFILE), 'profile');
  }

  writeProfile(savedata: Uint8Array): void {
    writeBlob(this.s, this.requireKey(), join(this.dir, PROFILE), 'profile', savedata);
  }

  get state(): StateDoc {
    return this.stateDoc;
  }

  updateState(change: (s: StateDoc) => void): void {
    change(this.stateDoc);
    this.saveState();
  }

  private saveState(): void {
    writeBlob(this.s, this.requireKey(), join(this.dir, STATE), 'state', new TextEncoder().encode(JSON.stringify(this.stateDoc)));
  }

  // ---- loading -------------------------------------------------------------------------

  private load(): void {
    const key = this.requireKey();
    const statePath = join(this.dir, STATE);
    try {
      const raw = readBlob(this.s, key, statePath, 'state');
      if (raw) {
        const parsed = check(stateDoc, JSON.parse(new TextDecoder().decode(raw)));
        if (!parsed.ok) throw new StoreError('CORRUPT', `state is not understood (${parsed.error})`);
        this.stateDoc = parsed.value;
      }
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== 'CORRUPT') throw e;
      // Never overwrite it silently: keep the damaged file and say so in the report.
      const kept = `${STATE}.damaged-${Date.now()}`;
      renameSync(statePath, join(this.dir, kept));
      this.report.stateDamagedKeptAs = kept;
      this.stateDoc = emptyState();
      this.saveState();
    }
    const hdir = join(this.dir, HISTORY);
    mkdirSync(hdir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(hdir).sort()) {
      if (name.endsWith('.tmp')) {
        unlinkSync(join(hdir, name)); // an unfinished rewrite: the original is still in place
        continue;
      }
      if (!name.endsWith('.log')) continue;
      this.loadLog(join(hdir, name));
    }
  }

  private loadLog(path: string): void {
    const key = this.requireKey();
    let opened = RecordLog.open(this.s, key, path);
    if (opened.tornTail) this.report.tornTails++;
    let records = opened.records.map(decodeRecord);
    if (opened.damage) {
      // Copy the intact records into a fresh log under the same name; the damaged file stays
      // beside it (hard link first, so no crash point loses either).
      opened.log.close();
      const kept = `${path}.damaged-${Date.now()}`;
      try {
        linkSync(path, kept);
      } catch {
        copyFileSync(path, kept);
      }
      const valid = opened.records;
      this.rewrite(path, valid);
      this.report.damaged.push({
        recovered: valid.length,
        skipped: opened.damage.skipped,
        lostBytes: opened.damage.lostBytes,
        keptAs: kept.slice(this.dir.length + 1),
      });
      opened = RecordLog.open(this.s, key, path);
      records = opened.records.map(decodeRecord);
    }
    const head = records[0];
    if (!head || head.t !== 'head') {
      opened.log.close();
      if (records.length === 0) {
        unlinkSync(path); // created, but the head never became durable: an empty conversation
        return;
      }
      throw new StoreError('CORRUPT', 'a history file has no header record');
    }
    const existing = this.convs.get(head.peer);
    const conv: Conv = existing ?? {
      peer: head.peer,
      messages: [],
      seenDedup: new Map(),
      outDedup: new Map(),
      log: opened.log,
      byId: new Map(),
    };
    if (existing) opened.log.close(); // a second log for one peer (a crash mid-recovery): merged by message id
    for (const r of records.slice(1)) {
      if (!r) {
        this.report.unknownRecords++;
        continue;
      }
      this.applyRecord(conv, r);
    }
    this.convs.set(head.peer, conv);
  }

  private applyRecord(conv: Conv, r: HistoryRecord): void {
    switch (r.t) {
      case 'msg': {
        if (conv.byId.has(r.m.id)) return;
        const m = r.m; // already a fresh object built by the guard
        conv.messages.push(m);
        conv.byId.set(m.id, m);
        if (r.dedup) {
          if (m.dir === 'in') conv.seenDedup.set(r.dedup, m.id);
          else if (m.dir === 'out') conv.outDedup.set(m.id, r.dedup);
        }
        break;
      }
      case 'state': {
        const m = conv.byId.get(r.id);
        if (m) m.state = r.state;
        break;
      }
      case 'head':
        break;
    }
  }

  /** Writes `records` (raw, already encoded) as the whole content of the log at `path`. */
  private rewrite(path: string, records: Uint8Array[]): void {
    const tmp = `${path}.tmp`;
    rmSync(tmp, { force: true });
    const log = RecordLog.create(this.s, this.requireKey(), tmp);
    try {
      log.append(records);
    } finally {
      log.close();
    }
    renameSync(tmp, path);
    fsyncDir(join(this.dir, HISTORY));
  }

  // ---- conversations -------------------------------------------------------------------

  conversations(): ConversationData[] {
    return [...this.convs.values()];
  }

  conversation(peer: string): ConversationData | undefined {
    return this.convs.get(peer);
  }

  /** Appends records to `peer`'s log (created on first use); durable when this returns. */
  append(peer: string, records: HistoryRecord[], now = Date.now()): void {
    let conv = this.convs.get(peer);
    if (!conv) {
      const path = join(this.dir, HISTORY, `${Buffer.from(this.s.randombytes_buf(16)).toString('hex')}.log`);
      const log = RecordLog.create(this.s, this.requireKey(), path);
      log.append([encodeRecord({ t: 'head', v: 1, peer, created: now })]);
      conv = { peer, messages: [], seenDedup: new Map(), outDedup: new Map(), log, byId: new Map() };
      this.convs.set(peer, conv);
    }
    conv.log.append(records.map(encodeRecord));
    // Copies: the caller keeps (and mutates) its own message objects.
    for (const r of records) this.applyRecord(conv, r.t === 'msg' ? { ...r, m: { ...r.m } } : r);
  }

  /** Records a delivery state change of an outgoing message. */
  setState(peer: string, id: string, state: DeliveryState): void {
    if (!this.convs.get(peer)?.byId.has(id)) return;
    this.append(peer, [{ t: 'state', id, state }]);
  }

  /** Removes a conversation's data from disk (and memory). */
  deleteConversation(peer: string): void {
    const conv = this.convs.get(peer);
    if (!conv) return;
    conv.log.close();
    this.convs.delete(peer);
    rmSync(conv.log.path, { force: true });
    fsyncDir(join(this.dir, HISTORY));
  }

  /** Drops what keptBy() does not keep (Infinity: history "off"). Returns how many went. */
  prune(cutoff: number): number {
    let dropped = 0;
    for (const conv of [...this.convs.values()]) {
      const keep = conv.messages.filter((m) => keptBy(m, cutoff));
      if (keep.length === conv.messages.length) continue;
      dropped += conv.messages.length - keep.length;
      conv.log.close();
      if (keep.length === 0) {
        rmSync(conv.log.path, { force: true });
        this.convs.delete(conv.peer);
        continue;
      }
      const head: HistoryRecord = { t: 'head', v: 1, peer: conv.peer, created: Date.now() };
      const records = [head, ...keep.map((m) => msgRecord(m, m.dir === 'out' ? conv.outDedup.get(m.id) : undefined))];
      this.rewrite(conv.log.path, records.map(encodeRecord));
      const reopened = RecordLog.open(this.s, this.requireKey(), conv.log.path);
      conv.log = reopened.log;
      conv.messages = keep;
      conv.byId = new Map(keep.map((m) => [m.id, m]));
    }
    fsyncDir(join(this.dir, HISTORY));
    this.updateState((s) => (s.pruned = Date.now()));
    return dropped;
  }

  /** Closes every file, wipes the key and forgets every plaintext it held. Idempotent. */
  close(): void {
    for (const c of this.convs.values()) c.log.close();
    this.convs.clear();
    this.stateDoc = emptyState();
    wipe(this.s, this.key);
    this.key = null;
    this.lock.release();
  }
}
