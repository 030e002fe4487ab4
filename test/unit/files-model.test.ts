// The host's file-transfer bookkeeping (model/files.ts), driven by hand-made node events:
// offers, auto-accept within the rule only, progress with speed and ETA, pauses from either
// side, interruptions and resumes by file_id, a node restart. The node side is a scripted
// stand-in for the supervisor's `request` (the real node: test/integration/files*.test.ts).

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatModel } from '../../src/core/chat/chatModel';
import { type AutoAcceptRule, FileTransfers } from '../../src/core/chat/fileTransfers';
import { etaSeconds, transferView } from '../../src/core/chat/transferState';
import { StoredPrefs } from '../../src/core/chat/prefs';
import type { FriendInfo } from '../../src/protocol/node';
import { MemoryStore } from '../helpers/chat';
import { ScriptedNode } from '../helpers/scripted-node';
import { tick } from '../helpers/wait';
import { friendInfo, readyEvent } from '../helpers/events';

const BOB = 'B'.repeat(64);
const ID = 'ab'.repeat(32);
const ID2 = 'cd'.repeat(32);

const bob = (connection: FriendInfo['connection'] = 'udp'): FriendInfo => friendInfo(BOB, 0, { name: 'bob', connection });

describe('file transfers in the host (model/files.ts)', () => {
  let node: ScriptedNode;
  let chat: ChatModel;
  let files: FileTransfers;
  let now: number;
  let rule: AutoAcceptRule | null;
  const stateOf = (id: string) => chat.messages(BOB).find((m) => m.id === id)?.state;
  const both = (e: Parameters<ChatModel['handle']>[0]) => {
    chat.handle(e);
    files.handle(e);
  };

  beforeEach(() => {
    node = new ScriptedNode();
    now = 1_000_000;
    rule = null;
    chat = new ChatModel(
      () => node,
      new StoredPrefs(new MemoryStore()),
      () => now,
    );
    files = new FileTransfers({ chat, node: () => node, rule: () => rule, now: () => now });
    both(readyEvent([bob()], { udp_port: 33445 }));
  });
  afterEach(() => chat.dispose());

  it("an offer becomes a file message; the name stays the sender's text, the view shows the sanitised one", () => {
    both({ event: 'file_recv', friend: 0, file: 65536, kind: 'data', size: 10, name: '../../etc/passwd', file_id: ID });
    const [t] = files.of(BOB);
    assert.equal(t!.state, 'offered');
    const msg = chat.messages(BOB).find((m) => m.id === t!.id)!;
    assert.equal(msg.kind, 'file');
    assert.equal(msg.text, '../../etc/passwd');
    assert.equal(msg.file_id, ID);
    assert.equal(transferView(t!).saved_name, 'passwd');
    assert.equal(node.calls.length, 0, 'nothing is accepted without a rule');
  });

  it("auto-accepts only within the friend's rule (size cap, images only)", () => {
    rule = { folder: '/tmp/in', maxBytes: 1000, imagesOnly: true };
    both({ event: 'file_recv', friend: 0, file: 1, kind: 'data', size: 10, name: 'cat.png', file_id: ID });
    assert.deepEqual(node.last('file_accept').body, {
      cmd: 'file_accept',
      friend: 0,
      file: 1,
      dir: '/tmp/in',
      max_bytes: 1000,
      require_image: true,
    });
    both({ event: 'file_recv', friend: 0, file: 2, kind: 'data', size: 5000, name: 'big.png', file_id: ID2 });
    both({ event: 'file_recv', friend: 0, file: 3, kind: 'data', size: 10, name: 'run.sh' });
    both({ event: 'file_recv', friend: 0, file: 4, kind: 'data', size: null, name: 'stream.png' });
    assert.equal(node.calls.filter((c) => c.body.cmd === 'file_accept').length, 1, 'too big, not an image name, unknown size: asked');
  });

  it('progress gives bytes, a smoothed speed and an ETA; pauses from either side show', async () => {
    both({ event: 'file_recv', friend: 0, file: 7, kind: 'data', size: 100_000_000, name: 'x.bin', file_id: ID });
    const t = files.of(BOB)[0]!;
    const accepted = files.accept(t.id, { dir: '/tmp/in' });
    node.last('file_accept').resolve({ path: '/tmp/in/x.bin' });
    assert.equal(await accepted, '/tmp/in/x.bin');
    assert.equal(stateOf(t.id), 'sending');
    both({ event: 'file_progress', friend: 0, file: 7, direction: 'recv', bytes: 0, size: 100_000_000, file_id: ID });
    now += 1000;
    both({ event: 'file_progress', friend: 0, file: 7, direction: 'recv', bytes: 10_000_000, size: 100_000_000, file_id: ID });
    assert.equal(t.speed, 10_000_000);
    assert.equal(etaSeconds(t), 9);
    both({ event: 'file_control', friend: 0, file: 7, control: 'pause', file_id: ID });
    assert.equal(t.state, 'paused');
    assert.ok(t.pausedByPeer && !t.pausedByUs);
    const p = files.control(t.id, 'pause');
    node.last('file_control').resolve({});
    await p;
    both({ event: 'file_control', friend: 0, file: 7, control: 'resume', file_id: ID });
    assert.equal(t.state, 'paused', 'still paused by us');
    const r = files.control(t.id, 'resume');
    node.last('file_control').resolve({});
    await r;
    assert.equal(t.state, 'active');
  });

  it('an interrupted transfer is resumed by file_id, also on a new node with new file numbers', () => {
    both({ event: 'file_recv', friend: 0, file: 7, kind: 'data', size: 100, name: 'x.bin', file_id: ID });
    const t = files.of(BOB)[0]!;
    both({ event: 'file_accepted', friend: 0, file: 7, file_id: ID, path: '/in/x.bin', auto: false });
    both({ event: 'file_interrupted', friend: 0, file: 7, file_id: ID, direction: 'recv', bytes: 40 });
    assert.equal(t.state, 'interrupted');
    both(readyEvent([bob('none')], { udp_port: 33445 }));
    both({ event: 'file_resumed', friend: 0, file: 65536 * 3, file_id: ID, direction: 'recv', bytes: 40, path: '/in/x.bin' });
    assert.equal(t.state, 'active');
    assert.equal(t.bytes, 40);
    both({ event: 'file_done', friend: 0, file: 65536 * 3, direction: 'recv', path: '/in/x.bin', bytes: 100, file_id: ID });
    assert.equal(t.state, 'done');
    assert.equal(stateOf(t.id), 'delivered');
    assert.ok(chat.messages(BOB).some((m) => m.dir === 'system' && m.text === 'File saved to /in/x.bin'));
    assert.equal(files.of(BOB).length, 1, 'one message for the whole transfer');
  });

  it('an offer made again after a disconnect reuses its message; offers of an older node cannot be accepted', async () => {
    both({ event: 'file_recv', friend: 0, file: 7, kind: 'data', size: 100, name: 'x.bin', file_id: ID });
    const t = files.of(BOB)[0]!;
    both(readyEvent([bob()], { udp_port: 33445 }));
    await assert.rejects(files.accept(t.id, { dir: '/in' }), /no longer available/);
    both({ event: 'file_recv', friend: 0, file: 9, kind: 'data', size: 100, name: 'x.bin', file_id: ID });
    assert.equal(files.of(BOB).length, 1);
    assert.equal(t.state, 'offered');
    assert.equal(t.file, 9);
  });

  it('sending: waits while the friend is offline, then pending, active, done; errors keep the message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxync-files-model-'));
    try {
      const src = join(dir, 'notes.txt');
      writeFileSync(src, 'hello');
      const p = files.send(BOB, src);
      assert.deepEqual(node.last('send_file').body, { cmd: 'send_file', friend: 0, path: src });
      node.last('send_file').resolve({ file: null, file_id: ID });
      const t = await p;
      assert.equal(t.state, 'waiting');
      assert.equal(stateOf(t.id), 'queued');
      both({ event: 'file_offered', friend: 0, file: 0, file_id: ID, name: 'notes.txt', size: 5 });
      assert.equal(t.state, 'pending');
      both({ event: 'file_progress', friend: 0, file: 0, direction: 'send', bytes: 5, size: 5, file_id: ID });
      assert.equal(t.state, 'active');
      both({ event: 'file_done', friend: 0, file: 0, direction: 'send', path: '', bytes: 5, file_id: ID, sent: 5 });
      assert.equal(stateOf(t.id), 'delivered');
      const q = files.send(BOB, src);
      node.last('send_file').resolve({ file: 1, file_id: ID2 });
      const u = await q;
      both({ event: 'file_error', friend: 0, file: 1, direction: 'send', message: 'disk on fire', file_id: ID2, code: 'EIO' });
      assert.equal(u.state, 'failed');
      assert.equal(stateOf(u.id), 'failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failure that kept a partial file offers to delete it', async () => {
    both({ event: 'file_recv', friend: 0, file: 7, kind: 'data', size: 100, name: 'x.bin', file_id: ID });
    const t = files.of(BOB)[0]!;
    both({
      event: 'file_error',
      friend: 0,
      file: 7,
      direction: 'recv',
      message: 'no space left',
      file_id: ID,
      code: 'ENOSPC',
      partial: '/in/x.bin.part',
    });
    assert.ok(transferView(t).partial);
    const d = files.discard(t.id);
    assert.deepEqual(node.last('file_discard').body, { cmd: 'file_discard', friend: 0, file_id: ID, direction: 'recv' });
    node.last('file_discard').resolve({});
    await d;
    await tick();
    assert.equal(transferView(t).partial, false);
  });
});
