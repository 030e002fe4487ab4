// The demo bot of `npm start` (tools/devhost/demoBot.ts) on a real local Tox network, seen
// from a plain `toxync run` node: it greets, echoes, takes a file and answers with its SHA-256,
// and sends a pager alert (`/pager`) and a one-time code (`/code`) that toxync's own parser
// (src/protocol/pagerAlert.ts) recognises. Positive control: the echo of an ordinary message
// goes through the same parser and is NOT an alert, so "recognised" is a real distinction.

import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_PATTERN, parseAlert } from '../../src/protocol/pagerAlert';
import { CliNode } from '../../tools/devhost/cliNode';
import { DemoBot } from '../../tools/devhost/demoBot';
import { bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';

describe('the demo bot of npm start: echo, files with a checksum, /pager and /code', function () {
  this.timeout(120_000);
  let seed: CliPeer;
  let alice: CliPeer;
  let bot: CliNode;
  let demo: DemoBot | undefined;
  let friend = -1;
  const botDir = tempDir('demo-bot');
  const filesDir = join(botDir, 'files');

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    bot = new CliNode('bot', join(botDir, 'profile'), [...boot, '--accept-friends'], () => {});
    const b = await bot.ready;
    demo = new DemoBot(bot, filesDir, () => {});
    demo.attach();
    friend = ((await alice.command({ cmd: 'friend_add', address: b.address, message: 'hi' })) as { friend: number }).friend;
    await alice.event('friend_connection', (e) => e.friend === friend && e.status !== 'none', 60_000);
  });

  after(async () => {
    demo?.dispose();
    await Promise.all([seed?.stop(), alice?.stop(), bot?.stop()]);
    seed?.cleanup();
    alice?.cleanup();
    rmSync(botDir, { recursive: true, force: true });
  });

  const reply = async (text: string, pred: (t: string) => boolean) => {
    const from = alice.events.length;
    await alice.command({ cmd: 'send', friend, text });
    return (await alice.event('message', (e) => e.friend === friend && pred(e.text), 30_000, from)).text;
  };

  it('greets a new friend with what it can do', async () => {
    const hello = await alice.event('message', (e) => e.friend === friend, 30_000);
    assert.match(hello.text, /\/pager/);
    assert.match(hello.text, /\/code/);
  });

  it('echoes an ordinary message, which is not an alert (positive control)', async () => {
    const text = await reply('hello, bot', (t) => t === 'hello, bot');
    assert.equal(parseAlert(text), null);
  });

  it('a long message split by its sender comes back as one message split the same way: parts of one dedup id', async () => {
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const from = alice.events.length;
    await alice.command({ cmd: 'send', friend, text: long, dedup: randomBytes(16).toString('hex') });
    const first = await alice.event('message', (e) => e.friend === friend && e.text.startsWith('word0 '), 30_000, from);
    assert.ok(first.dedup, 'the echo carries a dedup id');
    let text = '';
    for (let part = 0; text.length < long.length; part++) {
      const p = await alice.event('message', (e) => e.dedup === first.dedup && (e.part ?? 0) === part, 30_000, from);
      text += p.text;
    }
    assert.ok(first.part === 0 || first.part === undefined);
    assert.equal(text, long);
  });

  it('/pager: a pager alert with a Conti link, in the wire format toxync recognises', async () => {
    const text = await reply('/pager', (t) => t.startsWith('⚠️'));
    const a = parseAlert(text);
    assert.ok(a && a.kind === 'alert', text);
    assert.equal(a.link, '/ci/runs/812');
    assert.ok(a.expiresAt > Date.now());
  });

  it('/code: a one-time code', async () => {
    const text = await reply('/code', (t) => t.startsWith('🔑'));
    const a = parseAlert(text);
    assert.ok(a && a.kind === 'code', text);
    assert.match(a.code, CODE_PATTERN);
  });

  it('takes a file into its folder and answers with its SHA-256', async () => {
    const data = randomBytes(300_000);
    const path = join(tempDir('demo-bot-src'), 'notes.bin');
    writeFileSync(path, data);
    const from = alice.events.length;
    await alice.command({ cmd: 'send_file', friend, path });
    const answer = await alice.event('message', (e) => e.friend === friend && e.text.includes('SHA-256'), 60_000, from);
    assert.equal(answer.text, `Got "notes.bin" (${data.length} bytes). SHA-256: ${createHash('sha256').update(data).digest('hex')}`);
    assert.ok(existsSync(filesDir) && readdirSync(filesDir).length === 1, 'the file is in the bot folder');
  });
});
