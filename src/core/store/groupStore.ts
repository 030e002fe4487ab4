// The group chats' part of the encrypted store (issue 20), beside store.ts and sealed with
// the same data key, in files the 1:1 store never reads (so older toxync versions ignore
// them rather than choke on them):
//
//   <dir>/groups.bin      GroupsDoc (blob.ts, purpose "groups"): the groups we are in, by
//                         chat ID, with name, topic, our role, unread count
//   <dir>/g/<random>.log  one group's history (log.ts); its first record names the chat ID
//
// Groups are keyed by chat ID, never by the node's group number (which changes across
// restarts). Both formats carry a version (`v`) so a later change can be recognised.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { array, bool, check, type Infer, int, literal, nullable, obj, optional, str, tagged } from '../../protocol/guard';
import { groupPrivacy, groupRole } from '../../protocol/nodeGroups';
import { fsyncDir } from '../../sys/atomicWrite';
import { readBlob, writeBlob } from './blob';
import { wipe } from './crypto';
import { RecordLog } from './log';
import { sodium, type Sodium } from './sodium';
import { StoreError } from './storeErrors';
import type { Store } from './store';

const GROUPS = 'groups.bin';
const GROUP_LOGS = 'g';
const chatId = str({ pattern: /^[0-9A-F]{64}$/ });
const hexKey = str({ pattern: /^[0-9A-F]{64}$/ });
const state = literal('queued', 'sending', 'sent', 'delivered', 'failed');

export const groupMeta = obj({
  chat_id: chatId,
  name: str({ max: 1024 }),
  privacy: groupPrivacy,
  topic: str({ max: 4096 }),
  self_role: groupRole,
  left: bool,
  unread: int({ min: 0 }),
  last_activity: nullable(int({ min: 0 })),
});

export const groupsDoc = obj({ v: int({ min: 1, max: 1 }), groups: array(groupMeta, { max: 10_000 }) });
export type GroupsDoc = Infer<typeof groupsDoc>;

export const storedGroupMessage = obj({
  id: str({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ }),
  dir: literal('in', 'out', 'system'),
  kind: literal('normal', 'action'),
  text: str({ max: 2_000_000 }),
  ts: int({ min: 0 }),
  from: optional(obj({ key: hexKey, name: str({ max: 1024 }) })),
  state: optional(state),
  private: optional(bool),
});
export type StoredGroupMessage = Infer<typeof storedGroupMessage>;

export const groupRecord = tagged('t', {
  ghead: { v: int({ min: 1, max: 1 }), chat_id: chatId, created: int({ min: 0 }) },
  gmsg: { m: storedGroupMessage },
  gstate: { id: str({ min: 1, max: 64 }), state },
});
export type GroupRecord = Infer<typeof groupRecord>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decode(b: Uint8Array): GroupRecord | null {
  try {
    const r = check(groupRecord, JSON.parse(decoder.decode(b)));
    return r.ok ? r.value : null;
  } catch {
    return null;
  }
}

interface GroupLog {
  log: RecordLog;
  messages: StoredGroupMessage[];
  byId: Map<string, StoredGroupMessage>;
}

export class GroupStore {
  private key: Uint8Array | null;
  private readonly logs = new Map<string, GroupLog>();
  private doc: GroupsDoc = { v: 1, groups: [] };
  /** Records or files this version could not read (left on disk). */
  unreadable = 0;

  private constructor(
    private readonly s: Sodium,
    private readonly dir: string,
    key: Uint8Array,
  ) {
    this.key = key;
  }

  /** Opens the group files of an open store (with its own copy of the data key, wiped on close). */
  static async open(store: Store): Promise<GroupStore> {
    const gs = new GroupStore(await sodium(), store.dir, store.exportKey());
    try {
      gs.load();
    } catch (e) {
      gs.close();
      throw e;
    }
    return gs;
  }

  private requireKey(): Uint8Array {
    if (!this.key) throw new StoreError('LOCKED', 'the profile is locked');
    return this.key;
  }

  private load(): void {
    const raw = readBlob(this.s, this.requireKey(), join(this.dir, GROUPS), 'groups');
    if (raw) {
      const parsed = check(groupsDoc, JSON.parse(decoder.decode(raw)));
      if (!parsed.ok) throw new StoreError('CORRUPT', `the group list is not understood (${parsed.error})`);
      this.doc = parsed.value;
    }
    const gdir = join(this.dir, GROUP_LOGS);
    if (!existsSync(gdir)) return;
    for (const name of readdirSync(gdir).sort()) if (name.endsWith('.log')) this.loadLog(join(gdir, name));
  }

  private loadLog(path: string): void {
    const opened = RecordLog.open(this.s, this.requireKey(), path);
    if (opened.damage) this.unreadable += opened.damage.skipped;
    const records = opened.records.map(decode);
    const head = records[0];
    if (!head || head.t !== 'ghead') {
      opened.log.close();
      this.unreadable++;
      return;
    }
    const gl: GroupLog = this.logs.get(head.chat_id) ?? { log: opened.log, messages: [], byId: new Map() };
    if (gl.log !== opened.log) opened.log.close();
    for (const r of records.slice(1)) {
      if (!r) this.unreadable++;
      else this.apply(gl, r);
    }
    this.logs.set(head.chat_id, gl);
  }

  private apply(gl: GroupLog, r: GroupRecord): void {
    if (r.t === 'gmsg') {
      if (gl.byId.has(r.m.id)) return;
      gl.messages.push(r.m);
      gl.byId.set(r.m.id, r.m);
    } else if (r.t === 'gstate') {
      const m = gl.byId.get(r.id);
      if (m) m.state = r.state;
    }
  }

  get groups(): GroupsDoc['groups'] {
    return this.doc.groups;
  }

  setGroups(groups: GroupsDoc['groups']): void {
    this.doc = { v: 1, groups };
    writeBlob(this.s, this.requireKey(), join(this.dir, GROUPS), 'groups', encoder.encode(JSON.stringify(this.doc)));
  }

  /** Every group's messages, in log order, with later states folded in. */
  histories(): Map<string, StoredGroupMessage[]> {
    return new Map([...this.logs].map(([id, gl]) => [id, gl.messages.map((m) => ({ ...m, ...(m.from ? { from: { ...m.from } } : {}) }))]));
  }

  /** Appends to a group's log (created on first use); durable when this returns. */
  append(chat: string, records: GroupRecord[], now = Date.now()): void {
    let gl = this.logs.get(chat);
    if (!gl) {
      const gdir = join(this.dir, GROUP_LOGS);
      mkdirSync(gdir, { recursive: true, mode: 0o700 });
      const path = join(gdir, `${Buffer.from(this.s.randombytes_buf(16)).toString('hex')}.log`);
      const log = RecordLog.create(this.s, this.requireKey(), path);
      log.append([encoder.encode(JSON.stringify({ t: 'ghead', v: 1, chat_id: chat, created: now } satisfies GroupRecord))]);
      gl = { log, messages: [], byId: new Map() };
      this.logs.set(chat, gl);
    }
    gl.log.append(records.map((r) => encoder.encode(JSON.stringify(r))));
    for (const r of records) this.apply(gl, r.t === 'gmsg' ? { ...r, m: { ...r.m } } : r);
  }

  setState(chat: string, id: string, st: Infer<typeof state>): void {
    if (!this.logs.get(chat)?.byId.has(id)) return;
    this.append(chat, [{ t: 'gstate', id, state: st }]);
  }

  deleteGroup(chat: string): void {
    const gl = this.logs.get(chat);
    if (!gl) return;
    gl.log.close();
    this.logs.delete(chat);
    rmSync(gl.log.path, { force: true });
    fsyncDir(join(this.dir, GROUP_LOGS));
  }

  /** Closes every file and wipes the key copy. Idempotent. */
  close(): void {
    for (const gl of this.logs.values()) gl.log.close();
    this.logs.clear();
    this.doc = { v: 1, groups: [] };
    wipe(this.s, this.key);
    this.key = null;
  }
}
