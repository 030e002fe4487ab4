// A friend-request flood from real Tox peers (issue 14, finding 8): REQUEST_NOTICES_PER_MINUTE
// + 4 peers (RawPeer: in-process Tox instances, each a distinct key, so one test process
// instead of two dozen node processes) all send a request to one extension-style host (a
// supervised node + the chat model). The host lists every request, notifies the first 20 one
// by one and the rest with ONE summary, and writes the request list once per batch
// (REQUEST_SAVE_MS), not once per request. The exact limits and the pending cap are unit-tested
// (test/unit/request-flood.test.ts); this proves the same policy holds against real events.

import { strict as assert } from 'node:assert';
import type { ChatChange, ChatJournal, FriendRequest } from '../../src/core/chat/chatModel';
import { StoredPrefs } from '../../src/core/chat/prefs';
import { REQUEST_NOTICES_PER_MINUTE, REQUEST_SAVE_MS, REQUEST_WINDOW_MS, RequestRate } from '../../src/core/chat/requestFlood';
import { HostUnderTest, MemoryStore } from '../helpers/chat';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer } from '../helpers/peer';
import { RawPeer } from '../helpers/rawpeer';

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

describe('a flood of real friend requests reaches the chat model', function () {
  this.timeout(180_000);
  const N = REQUEST_NOTICES_PER_MINUTE + 4;
  let seed: CliPeer;
  let victim: HostUnderTest;
  const senders: RawPeer[] = [];
  const journal = new CountingJournal();

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const r = await seed.ready();
    victim = HostUnderTest.create('victim', { host: '127.0.0.1', port: r.udp_port!, public_key: r.dht_id });
    victim.model.setPersistence(new StoredPrefs(new MemoryStore()), journal);
    victim.start();
    await victim.until(() => victim.model.self !== null, 20_000, 'ready');
    for (let i = 0; i < N; i++) senders.push(new RawPeer({ port: r.udp_port!, dht: r.dht_id }));
  });

  after(async () => {
    senders.forEach((s) => s.dispose());
    victim?.model.dispose();
    await Promise.all([victim?.stopNode(), seed?.stop()]);
    seed?.cleanup();
  });

  it(`${REQUEST_NOTICES_PER_MINUTE} notifications, then one summary; every request listed; few store writes`, async () => {
    const address = victim.model.self!.address;
    senders.forEach((s, i) => s.tox.friendAdd(address, `flood ${i}`));
    await victim.until(() => victim.model.requests.size === N, 150_000, `${N} friend requests`);
    const reqs = [...victim.model.requests.values()];
    const first = Math.min(...reqs.map((q) => q.ts));
    const span = Math.max(...reqs.map((q) => q.ts)) - first;
    const notices = victim.changes.filter((c): c is Extract<ChatChange, { kind: 'requests' }> => c.kind === 'requests' && (!!c.added || !!c.flood));

    // What the policy says for these arrival times, replayed; the model must have done exactly that.
    const replay = new RequestRate();
    const expected = reqs.map((q) => replay.arrive(q.ts)).filter((n) => n !== 'quiet');
    assert.deepEqual(
      notices.map((c) => (c.flood ? 'summary' : 'notify')),
      expected,
    );
    if (span < REQUEST_WINDOW_MS) {
      // All within one minute (the usual case): exactly the limit, then one summary.
      assert.equal(notices.filter((c) => c.added).length, REQUEST_NOTICES_PER_MINUTE);
      assert.equal(notices.filter((c) => c.flood).length, 1);
    }
    // A write is due at most REQUEST_SAVE_MS after the first unsaved request, so within `span`
    // there can be at most span / REQUEST_SAVE_MS + 1 of them (plus the flush below).
    const writesDuringFlood = journal.writes;
    assert.ok(writesDuringFlood <= Math.floor(span / REQUEST_SAVE_MS) + 2, `${writesDuringFlood} writes for ${N} requests over ${span} ms`);
    victim.model.reset(); // as Lock does: the pending write goes out first
    assert.equal(journal.last.length, N, 'the last write holds every request');
  });
});
