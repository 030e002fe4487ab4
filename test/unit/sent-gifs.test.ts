// The sent-gifs/ folder (src/extension/sentGifs.ts): a GIF we send stays on disk while a
// transfer needs it — running, waiting for the friend, or recorded for resume — and goes when
// the last one has finished or been cancelled, or at a start once it is old and unreferenced.
// The transfers are the host's real FileTransfers, driven by node events; the node side is the
// scripted stand-in the other model tests use (real transfers: test/integration/files*.test.ts).

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatModel } from '../../src/core/chat/chatModel';
import { FileTransfers } from '../../src/core/chat/fileTransfers';
import { StoredPrefs } from '../../src/core/chat/prefs';
import type { TransferRecord } from '../../src/protocol/node';
import { outgoingPathsOf, SENT_GIF_MAX_AGE_MS, SentGifs } from '../../src/extension/sentGifs';
import { MemoryStore } from '../helpers/chat';
import { friendInfo, readyEvent } from '../helpers/events';
import { ScriptedNode } from '../helpers/scripted-node';
import { tick } from '../helpers/wait';

const BOB = 'B'.repeat(64);
const CAROL = 'C'.repeat(64);
const ID = 'ab'.repeat(32);
const ID2 = 'cd'.repeat(32);
const DAY = 86_400_000;
const gif = (n: number) => Buffer.from(`GIF89a-test-${n}`);

describe('sent GIF files: kept while a transfer needs them, removed after', () => {
  let root: string;
  let dir: string;
  let node: ScriptedNode;
  let chat: ChatModel;
  let files: FileTransfers;
  /** The store's resume records; undefined = locked. */
  let records: TransferRecord[] | undefined;
  let gifs: SentGifs;
  let stop: () => void;
  const both = (e: Parameters<ChatModel['handle']>[0]) => {
    chat.handle(e);
    files.handle(e);
  };
  const record = (id: string, path: string): TransferRecord => ({ id, dir: 'send', peer: BOB, name: 'x.gif', size: 10, path, created: Date.now() });
  /** Offers `bytes` to `key` as the command does; the node answers with file id `id`. */
  async function offer(key: string, bytes: Buffer, id: string): Promise<string> {
    const p = gifs.offer(bytes, (path) => files.send(key, path, 'pulse.gif'));
    await tick();
    node.last('send_file').resolve({ file: key === BOB ? 0 : 1, file_id: id });
    return p;
  }
  const age = (path: string, ms: number) => utimesSync(path, new Date(Date.now() - ms), new Date(Date.now() - ms));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'toxync-sentgifs-'));
    dir = join(root, 'sent-gifs');
    node = new ScriptedNode();
    chat = new ChatModel(() => node, new StoredPrefs(new MemoryStore()));
    files = new FileTransfers({ chat, node: () => node, rule: () => null });
    both(readyEvent([friendInfo(BOB, 0, { name: 'bob', connection: 'udp' }), friendInfo(CAROL, 1, { name: 'carol', connection: 'udp' })], { udp_port: 33445 }));
    records = [];
    gifs = new SentGifs(dir, (except) => outgoingPathsOf(records, files.all(), except));
    stop = gifs.follow(files);
  });
  afterEach(() => {
    stop();
    chat.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('a finished transfer removes its file; a cancelled one too; a failed one leaves it for the age rule', async () => {
    const a = await offer(BOB, gif(1), ID);
    assert.ok(existsSync(a), 'kept while the transfer runs');
    both({ event: 'file_done', friend: 0, file: 0, direction: 'send', path: '', bytes: 10, file_id: ID, sent: 10 });
    assert.ok(!existsSync(a), 'removed when it is done');

    const b = await offer(BOB, gif(2), ID2);
    both({ event: 'file_control', friend: 0, file: 0, control: 'cancel', file_id: ID2 });
    assert.ok(!existsSync(b), 'removed when the friend cancels');

    const c = await offer(BOB, gif(3), ID);
    both({ event: 'file_error', friend: 0, file: 0, direction: 'send', message: 'disk on fire', file_id: ID, code: 'EIO' });
    assert.ok(existsSync(c), 'a failed send keeps its file (sending it again resumes)');
  });

  it('the same GIF sent to two friends stays until both transfers have ended', async () => {
    const a = await offer(BOB, gif(1), ID);
    const b = await offer(CAROL, gif(1), ID2);
    assert.equal(a, b, 'one file, named by its hash');
    both({ event: 'file_done', friend: 0, file: 0, direction: 'send', path: '', bytes: 10, file_id: ID, sent: 10 });
    assert.ok(existsSync(a), "Carol's transfer still reads it");
    both({ event: 'file_done', friend: 1, file: 1, direction: 'send', path: '', bytes: 10, file_id: ID2, sent: 10 });
    assert.ok(!existsSync(a));
  });

  it("a resume record keeps a file another transfer's end would remove; a locked profile removes nothing", async () => {
    const a = await offer(BOB, gif(1), ID);
    records = [record(ID2, a)]; // an unfinished send from before a restart, not on screen
    both({ event: 'file_done', friend: 0, file: 0, direction: 'send', path: '', bytes: 10, file_id: ID, sent: 10 });
    assert.ok(existsSync(a), 'the record still needs it');
    // The finished transfer's own record (not yet dropped when its end arrives) does not count.
    records = [record(ID, a)];
    const b = await offer(BOB, gif(2), ID2);
    records = [record(ID2, b)];
    both({ event: 'file_done', friend: 0, file: 0, direction: 'send', path: '', bytes: 10, file_id: ID2, sent: 10 });
    assert.ok(!existsSync(b), 'its own record does not keep it');
    records = undefined;
    assert.equal(gifs.release(a), false, 'locked: the records are unknown');
    assert.ok(existsSync(a));
  });

  it('a send the node refuses leaves no file', async () => {
    const p = gifs.offer(gif(4), (path) => files.send(BOB, path, 'pulse.gif'));
    await tick();
    node.last('send_file').reject(new Error('no such friend'));
    await assert.rejects(p, /no such friend/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('at start: old files no transfer refers to go; recent, referenced and foreign files stay', async () => {
    mkdirSync(dir, { recursive: true });
    const name = (n: number) => join(dir, `${String(n).repeat(32)}.gif`);
    for (const n of [1, 2, 3, 4]) writeFileSync(name(n), gif(n));
    const foreign = join(dir, 'notes.txt');
    writeFileSync(foreign, 'mine');
    for (const p of [name(1), name(2), name(3), foreign]) age(p, SENT_GIF_MAX_AGE_MS + DAY);
    age(name(4), SENT_GIF_MAX_AGE_MS - DAY);
    records = [record(ID, name(2))]; // waiting for an offline friend: resumes whenever
    const live = await offer(BOB, gif(9), ID2); // on screen, running
    age(live, SENT_GIF_MAX_AGE_MS + DAY);

    records = undefined;
    assert.deepEqual(gifs.prune(), [], 'locked: nothing is removed');
    records = [record(ID, name(2))];
    // The positive control of "stays": the same rule removes the two old unreferenced ones.
    assert.deepEqual(gifs.prune().sort(), [`${'1'.repeat(32)}.gif`, `${'3'.repeat(32)}.gif`]);
    assert.deepEqual(readdirSync(dir).sort(), [`${'2'.repeat(32)}.gif`, `${'4'.repeat(32)}.gif`, 'notes.txt', live.slice(dir.length + 1)].sort());
  });

  it('a GIF being offered is not removed by a prune or by an earlier transfer of the same file ending', async () => {
    const first = await offer(BOB, gif(5), ID);
    const p = gifs.offer(gif(5), (path) => files.send(CAROL, path, 'pulse.gif'));
    await tick();
    age(first, SENT_GIF_MAX_AGE_MS + DAY);
    both({ event: 'file_done', friend: 0, file: 0, direction: 'send', path: '', bytes: 10, file_id: ID, sent: 10 });
    assert.deepEqual(gifs.prune(), []);
    assert.ok(existsSync(first), 'the second offer has not been answered yet');
    node.last('send_file').resolve({ file: 1, file_id: ID2 });
    assert.equal(await p, first);
    assert.ok(existsSync(first));
  });
});
