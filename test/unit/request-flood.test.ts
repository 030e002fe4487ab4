// Friend-request floods (issue 14, finding 8): the pure policy (model/requestFlood.ts) and
// the chat model using it, driven by hand-made `friend_request` events. The real-node version
// is test/integration/friend-flood.test.ts.

import { strict as assert } from 'node:assert';
import { type ChatChange, type ChatJournal, ChatModel, type FriendRequest } from '../../src/core/chat/chatModel';
import { StoredPrefs } from '../../src/core/chat/prefs';
import { MAX_PENDING_REQUESTS, REQUEST_NOTICES_PER_MINUTE, REQUEST_WINDOW_MS, RequestRate, RequestSaver, trimPending } from '../../src/core/chat/requestFlood';
import { MemoryStore } from '../helpers/chat';
import { ScriptedNode } from '../helpers/scripted-node';
import { sleep } from '../helpers/wait';

const key = (i: number) => i.toString(16).toUpperCase().padStart(64, '0');

/** A journal that only counts how often the request list was written, and keeps the last one. */
class CountingJournal implements ChatJournal {
  writes = 0;
  last: FriendRequest[] = [];
  append(): void {}
  state(): void {}
  deleteConversation(): void {}
  requests(all: FriendRequest[]): void {
    this.writes++;
    this.last = all.map((r) => ({ ...r }));
  }
}

describe('friend-request flood policy', () => {
  it('positive control: below the limit every new request gets its own notification', () => {
    const rate = new RequestRate();
    for (let i = 0; i < REQUEST_NOTICES_PER_MINUTE; i++) assert.equal(rate.arrive(1000 + i * 2000), 'notify', `request ${i + 1}`);
  });

  it('past the limit: one summary, then nothing until the window has moved on', () => {
    const rate = new RequestRate();
    const t0 = 1_000_000;
    const got = Array.from({ length: 50 }, (_, i) => rate.arrive(t0 + i));
    assert.equal(got.filter((n) => n === 'notify').length, REQUEST_NOTICES_PER_MINUTE);
    assert.equal(got[REQUEST_NOTICES_PER_MINUTE], 'summary');
    assert.equal(got.filter((n) => n === 'summary').length, 1);
    assert.ok(got.slice(REQUEST_NOTICES_PER_MINUTE + 1).every((n) => n === 'quiet'));
    // A minute after the first ones, single notifications are possible again.
    assert.equal(rate.arrive(t0 + REQUEST_WINDOW_MS), 'notify');
    // A steady flood gets at most one summary a minute.
    const later: string[] = [];
    for (let i = 0; i < 200; i++) later.push(rate.arrive(t0 + REQUEST_WINDOW_MS + 1 + i * 500));
    assert.ok(later.filter((n) => n === 'summary').length <= 2);
    assert.ok(later.filter((n) => n === 'notify').length <= 2 * REQUEST_NOTICES_PER_MINUTE);
  });

  it('keeps at most MAX_PENDING_REQUESTS, dropping the oldest first', () => {
    const reqs = Array.from({ length: MAX_PENDING_REQUESTS }, (_, i) => ({ key: key(i), ts: 1000 + i }));
    assert.deepEqual(trimPending(reqs), [], 'at the cap nothing is dropped');
    // An older request re-sent later sits early in the map but has a newer ts: ts decides.
    const more = [...reqs, { key: key(1000), ts: 5 }, { key: key(1001), ts: 99_999 }];
    assert.deepEqual(trimPending(more), [key(1000), key(0)]);
    assert.deepEqual(
      trimPending(
        [
          { key: 'a', ts: 1 },
          { key: 'b', ts: 1 },
          { key: 'c', ts: 1 },
        ],
        2,
      ),
      ['a'],
      'ties: first come, first dropped',
    );
  });

  it('RequestSaver writes once for a batch, flushes on demand, and leaves no timer behind', async () => {
    let saves = 0;
    const saver = new RequestSaver(() => saves++, 1);
    for (let i = 0; i < 30; i++) saver.soon();
    await sleep(20);
    assert.equal(saves, 1);
    saver.soon();
    assert.equal(saver.pending, true);
    saver.flush();
    assert.equal(saves, 2);
    assert.equal(saver.pending, false);
    saver.flush();
    assert.equal(saves, 2, 'nothing pending, nothing written');
    saver.soon();
    saver.cancel();
    await sleep(20);
    assert.equal(saves, 2, 'a cancelled write never happens');
  });
});

describe('chat model under a friend-request flood', () => {
  let model: ChatModel;
  let journal: CountingJournal;
  let changes: ChatChange[];
  let clock: number;

  beforeEach(() => {
    clock = 1_000_000;
    journal = new CountingJournal();
    model = new ChatModel(
      () => new ScriptedNode(),
      new StoredPrefs(new MemoryStore()),
      () => clock,
      journal,
    );
    changes = [];
    model.onChange((c) => changes.push(c));
  });
  afterEach(() => model.dispose());

  const flood = (from: number, n: number, step = 1) => {
    for (let i = 0; i < n; i++) {
      clock += step;
      model.handle({ event: 'friend_request', public_key: key(from + i), message: `spam ${i}` });
    }
  };
  const notices = () => changes.filter((c): c is Extract<ChatChange, { kind: 'requests' }> => c.kind === 'requests');

  it('positive control: a few requests each notify, and are written', async () => {
    flood(0, 3, 10_000);
    assert.equal(notices().filter((c) => c.added).length, 3);
    assert.equal(notices().filter((c) => c.flood).length, 0);
    model.reset(); // a lock flushes the pending write
    assert.equal(journal.writes, 1);
    assert.equal(journal.last.length, 3);
  });

  it('30 requests in a batch: 20 notifications, one summary, one store write; 130 keep the newest 100', () => {
    flood(0, 30);
    assert.equal(notices().filter((c) => c.added).length, REQUEST_NOTICES_PER_MINUTE);
    assert.equal(notices().filter((c) => c.flood).length, 1);
    assert.equal(model.requests.size, 30, 'every request is listed, notified or not');
    assert.equal(journal.writes, 0, 'nothing written per request');
    flood(30, 100);
    assert.equal(notices().filter((c) => c.flood).length, 1, 'still one summary in this minute');
    assert.equal(model.requests.size, MAX_PENDING_REQUESTS);
    assert.ok(!model.requests.has(key(0)) && !model.requests.has(key(29)), 'the oldest were dropped');
    assert.ok(model.requests.has(key(129)), 'the newest stays');
    model.reset(); // lock: the pending write goes out first, once
    assert.equal(journal.writes, 1);
    assert.equal(journal.last.length, MAX_PENDING_REQUESTS);
  });

  it('a request re-sent by the same key never notifies twice', () => {
    flood(0, 1);
    flood(0, 1);
    assert.equal(notices().filter((c) => c.added).length, 1);
    assert.equal(model.requests.size, 1);
  });
});
