// The group part of the encrypted store (src/core/store/groupStore.ts, chat/groupJournal.ts):
// group history and the group list round-trip through the sealed files, nothing of them is
// readable on disk, and the 1:1 store neither sees nor breaks on the group files.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastKdf } from '../../src/core/store/crypto';
import { sodium } from '../../src/core/store/sodium';
import { Store } from '../../src/core/store/store';
import { GroupStore } from '../../src/core/store/groupStore';
import { StoreGroupJournal } from '../../src/core/chat/groupJournal';
import { GroupBook } from '../../src/core/chat/groupModel';
import { EmptyPrefs } from '../../src/core/chat/prefs';
import { CHAT, fakeGroupNode } from '../helpers/groupEvents';

const SECRET = 'unmistakable-group-secret-ünï';
const PEER_KEY = 'B'.repeat(64);

function allBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

describe('group store', () => {
  let dir: string;
  let kdf: ReturnType<typeof fastKdf>;
  before(async () => (kdf = fastKdf(await sodium())));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'toxync-groups-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function model(journal: StoreGroupJournal): GroupBook {
    const node = fakeGroupNode();
    return new GroupBook({ node: () => node, prefs: () => new EmptyPrefs(), selfName: () => null, friendKey: () => null }, Date.now, journal);
  }

  it('round-trips history, sender, states and the group list, encrypted at rest', async () => {
    const store = await Store.create(dir, { passphrase: 'pw', keychain: false, kdf });
    const gs = await GroupStore.open(store);
    const journal = new StoreGroupJournal(gs);
    const b = model(journal);
    const g = b.ensure(CHAT);
    g.name = `ops ${SECRET}`;
    g.topic = `topic ${SECRET}`;
    g.unread = 2;
    b.push(g, { id: 'i1', dir: 'in', kind: 'normal', text: `hi ${SECRET}`, ts: 5, from: { key: PEER_KEY, name: `bob ${SECRET}` } }, true);
    const out = b.send(CHAT, `/me waves ${SECRET}`);
    b.setState(g, out, 'sent');
    b.saveMeta();
    gs.close();
    store.close();

    // Positive control: the secret is findable in plaintext when it is there.
    assert.ok(Buffer.from(`x ${SECRET} y`).includes(Buffer.from(SECRET)));
    assert.ok(!allBytes(dir).includes(Buffer.from(SECRET)), 'a group secret is readable on disk');
    assert.ok(!allBytes(dir).includes(Buffer.from(CHAT)), 'the chat ID is readable on disk');

    const store2 = await Store.open(dir, { passphrase: 'pw' });
    assert.equal(store2.conversations().length, 0, 'group logs must not appear as 1:1 conversations');
    const gs2 = await GroupStore.open(store2);
    const restored = new StoreGroupJournal(gs2).restored();
    const b2 = model(new StoreGroupJournal(gs2));
    b2.restore(restored.metas, restored.histories);
    const g2 = b2.groups.get(CHAT)!;
    assert.equal(g2.name, `ops ${SECRET}`);
    assert.equal(g2.topic, `topic ${SECRET}`);
    assert.equal(g2.unread, 3); // 2 + the incoming one
    const msgs = b2.messages(CHAT);
    assert.deepEqual(msgs[0], { id: 'i1', dir: 'in', kind: 'normal', text: `hi ${SECRET}`, ts: 5, from: { key: PEER_KEY, name: `bob ${SECRET}` } });
    assert.equal(msgs[1]!.kind, 'action');
    assert.equal(msgs[1]!.text, `waves ${SECRET}`);
    assert.equal(msgs[1]!.state, 'sent');
    gs2.close();
    store2.close();
  });

  it('an unsent message is queued again after a restart', async () => {
    const store = await Store.create(dir, { passphrase: 'pw', keychain: false, kdf });
    const gs = await GroupStore.open(store);
    const b = model(new StoreGroupJournal(gs));
    b.ensure(CHAT);
    b.send(CHAT, 'later');
    b.saveMeta();
    gs.close();
    store.close();
    const store2 = await Store.open(dir, { passphrase: 'pw' });
    const gs2 = await GroupStore.open(store2);
    const r = new StoreGroupJournal(gs2).restored();
    const b2 = model(new StoreGroupJournal(gs2));
    b2.restore(r.metas, r.histories);
    assert.equal(b2.messages(CHAT)[0]!.state, 'queued');
    gs2.close();
    store2.close();
  });

  it('deleting a group removes its log; close wipes the key copy', async () => {
    const store = await Store.create(dir, { passphrase: 'pw', keychain: false, kdf });
    const gs = await GroupStore.open(store);
    gs.append(CHAT, [{ t: 'gmsg', m: { id: 'a', dir: 'in', kind: 'normal', text: 'x', ts: 1 } }]);
    assert.equal(readdirSync(join(dir, 'g')).length, 1);
    gs.deleteGroup(CHAT);
    assert.equal(readdirSync(join(dir, 'g')).length, 0);
    gs.close();
    assert.throws(() => gs.setGroups([]), /locked/);
    store.close();
  });
});
