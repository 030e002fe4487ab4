// `toxync pager …` glue without a network: its flags, the in-process node port, and the
// one-shot send waiting for its status.

import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlert } from '../../src/protocol/pagerAlert';
import { UsageError } from '../../src/cli/args';
import { reached, runPagerSend, runPagerServe, splitPagerSendFlags, splitPagerServeFlags } from '../../src/cli/pager';
import { pagerNodeArgs } from '../../src/cli/pagerMain';
import { InProcessPort, NodeRequestError, type RunsCommands } from '../../src/pager/nodePort';
import type { Command, NodeEvent } from '../../src/protocol/node';
import { friendInfo, receiptEvent } from '../helpers/events';

const BOB = 'B'.repeat(64);

describe('pager CLI: flags', () => {
  it('serve: takes --listen and --token-file, leaves the node flags', () => {
    const { flags, rest } = splitPagerServeFlags(['--profile', '/p', '--listen', '127.0.0.1:8088', '--udp', 'off', '--token-file', '/t', '--mirror-packets']);
    assert.deepEqual(flags, { listen: { host: '127.0.0.1', port: 8088 }, tokenFile: '/t', mirrorPackets: true });
    assert.deepEqual(rest, ['--profile', '/p', '--udp', 'off']);
  });

  it('serve: listens on 127.0.0.1:8787 without --listen', () => {
    assert.deepEqual(splitPagerServeFlags(['--token-file', '/t']).flags.listen, { host: '127.0.0.1', port: 8787 });
  });

  it('serve: refuses missing flags and non-loopback addresses as usage errors', () => {
    const bad: [string[], RegExp][] = [
      [['--listen', '127.0.0.1:1'], /--token-file/],
      [['--listen', '0.0.0.0:8088', '--token-file', '/t'], /not a loopback address/],
      [['--listen', '[::]:8088', '--token-file', '/t'], /not a loopback address/],
      [['--listen', '--token-file', '/t'], /needs a value/],
      [['--listen', '127.0.0.1:1', '--listen', '127.0.0.1:2', '--token-file', '/t'], /twice/],
    ];
    for (const [argv, re] of bad)
      assert.throws(
        () => splitPagerServeFlags(argv),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
        argv.join(' '),
      );
  });

  it("the node flags are run's, checked by the same parser; --echo and argv passphrases refused", () => {
    const KEY = 'AB'.repeat(32);
    const p = pagerNodeArgs(['--profile', '/p', '--bootstrap', `127.0.0.1:33445:${KEY}`, '--udp', 'off', '--passphrase-file', '/pw', '--accept-friends']);
    assert.equal(p.config.profile_dir, '/p');
    assert.equal(p.config.insecure_plain_profile, false, 'encrypted unless asked');
    assert.equal(p.config.udp, false);
    assert.equal(p.config.accept_friends, true);
    assert.equal(p.passphraseFile, '/pw');
    assert.throws(
      () => pagerNodeArgs(['--profile', '/p', '--echo']),
      (e: unknown) => e instanceof UsageError && /--echo/.test(e.message),
    );
    assert.throws(() => pagerNodeArgs(['--profile', '/p', '--passphrase', 'x']), /visible to every user/);
    assert.throws(() => pagerNodeArgs(['--udp', 'off']), /--profile/);
  });

  it('send: defaults, and refusals', () => {
    const { flags, rest } = splitPagerSendFlags(['--to', BOB, '--title', 'hi', '--profile', '/p']);
    assert.deepEqual(flags, { to: BOB, title: 'hi', body: '', priority: 'info', link: null, ttlS: 3600, wait: 'delivered' });
    assert.deepEqual(rest, ['--profile', '/p']);
    for (const argv of [
      ['--title', 'x'],
      ['--to', BOB],
      ['--to', BOB, '--title', 'x', '--priority', 'urgent'],
      ['--to', BOB, '--title', 'x', '--ttl', '0'],
      ['--to', BOB, '--title', 'x', '--ttl', '1e3'],
      ['--to', BOB, '--title', 'x', '--wait', 'read'],
    ]) {
      assert.throws(() => splitPagerSendFlags(argv), UsageError, argv.join(' '));
    }
  });

  it('serve refuses a world-readable token file before starting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxync-pager-cli-'));
    try {
      const f = join(dir, 'token');
      writeFileSync(f, 'a-long-enough-token-value');
      chmodSync(f, 0o644);
      const port = new InProcessPort();
      await assert.rejects(
        runPagerServe(port, { listen: { host: '127.0.0.1', port: 0 }, tokenFile: f, mirrorPackets: false }),
        (e: unknown) => e instanceof UsageError && /every user/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A node core stand-in at the protocol level: answers commands through the port's emit. */
class FakeCore implements RunsCommands {
  readonly commands: Command[] = [];
  constructor(
    private readonly port: InProcessPort,
    private readonly answer: (c: Command) => NodeEvent | null,
  ) {}
  run(cmd: Command): void {
    this.commands.push(cmd);
    const e = this.answer(cmd);
    if (e) this.port.emit(e);
  }
}

describe('pager CLI: in-process node port', () => {
  it('answers requests by id with checked results, and errors with their code', async () => {
    const port = new InProcessPort();
    const seen: string[] = [];
    port.onEvent((e) => seen.push(e.event));
    const core = new FakeCore(port, (c) => {
      if (c.cmd === 'friends') return { event: 'result', id: c.id, cmd: c.cmd, value: { friends: [] } };
      if (c.cmd === 'send') return { event: 'error', id: c.id, cmd: c.cmd, message: 'no', code: 'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND' };
      if (c.cmd === 'info') return { event: 'result', id: c.id, cmd: c.cmd, value: { bogus: true } };
      return null;
    });
    await assert.rejects(port.request({ cmd: 'friends' }), /no node attached/);
    port.attach(core);
    assert.deepEqual(await port.request({ cmd: 'friends' }), { friends: [] });
    assert.ok((core.commands[0]!.id ?? 0) >= 1e12, "ids stay clear of a bot's small ids");
    await assert.rejects(
      port.request({ cmd: 'send', friend: 0, text: 'x' }),
      (e: unknown) => e instanceof NodeRequestError && e.code === 'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND',
    );
    await assert.rejects(port.request({ cmd: 'info' }), (e: unknown) => e instanceof NodeRequestError && e.code === 'invalid_result');
    // Answers to ids it does not know (a bot's) pass through untouched.
    port.emit({ event: 'result', id: 5, cmd: 'ping', value: {} });
    assert.deepEqual(seen, ['result', 'error', 'result', 'result']);
    const hanging = port.request({ cmd: 'save' });
    port.close();
    await assert.rejects(hanging, /stopped/);
  });
});

describe('pager CLI: one-shot send', () => {
  function online(port: InProcessPort, receiptFor: (id: number) => boolean) {
    let mid = 0;
    const sent: string[] = [];
    const core = new FakeCore(port, (c) => {
      if (c.cmd === 'friends') return { event: 'result', id: c.id, cmd: c.cmd, value: { friends: [friendInfo(BOB, 0)] } };
      if (c.cmd === 'groups') return { event: 'result', id: c.id, cmd: c.cmd, value: { groups: [] } };
      if (c.cmd === 'send') {
        const m = mid++;
        sent.push(c.text);
        setImmediate(() => {
          port.emit({ event: 'result', id: c.id, cmd: c.cmd, value: { message_ids: [m] } });
          if (receiptFor(m)) setImmediate(() => port.emit(receiptEvent(0, m, c.dedup)));
        });
      }
      return null;
    });
    port.attach(core);
    return sent;
  }

  it('resolves once the alert is delivered', async () => {
    const port = new InProcessPort();
    const sent = online(port, () => true);
    const d = await runPagerSend(port, { to: BOB, title: 'Deployed', body: '', priority: 'info', link: null, ttlS: 60, wait: 'delivered' });
    assert.equal(d.status, 'delivered');
    assert.ok(reached(d, 'delivered'));
    assert.equal(parseAlert(sent[0])?.id, d.id);
  });

  it('resolves at "sent" when that is all it waits for; refuses bad input as a usage error', async () => {
    const port = new InProcessPort();
    online(port, () => false);
    const d = await runPagerSend(port, { to: BOB, title: 'x', body: '', priority: 'info', link: null, ttlS: 60, wait: 'sent' });
    assert.equal(d.status, 'sent');
    await assert.rejects(runPagerSend(port, { to: 'C'.repeat(64), title: 'x', body: '', priority: 'info', link: null, ttlS: 60, wait: 'sent' }), UsageError);
    await assert.rejects(runPagerSend(port, { to: BOB, title: 'x\u202E', body: '', priority: 'info', link: null, ttlS: 60, wait: 'sent' }), UsageError);
  });

  it('counts expired and failed as not reached', () => {
    const d = { id: 'x', to: BOB, createdAt: 0, expiresAt: 0, sentAt: null, deliveredAt: null, reason: null };
    assert.equal(reached({ ...d, status: 'expired' }, 'queued'), false);
    assert.equal(reached({ ...d, status: 'failed' }, 'queued'), false);
    assert.equal(reached({ ...d, status: 'sent' }, 'delivered'), false);
    assert.equal(reached({ ...d, status: 'sent' }, 'queued'), true);
  });
});
