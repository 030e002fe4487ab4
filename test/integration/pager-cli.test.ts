// `toxync pager serve` and `toxync pager send` as users run them: the real CLI process with
// an encrypted profile (TOXYNC_PASSPHRASE), the HTTP API on 127.0.0.1, and a recipient that
// is an extension host as ToxService builds it (supervised node, chat model, PagerController,
// encrypted store). Then every file both sides wrote is scanned: a code's digits, the alert's
// text and the raw alert format must not be on disk anywhere.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveAlertLink } from '../../src/common/alertLink';
import { CodeClipboard } from '../../src/extension/pager/clipboard';
import { pagerStatusView } from '../../src/extension/pager/statusView';
import type { NodeAddress } from '../../src/protocol/node';
import { HostUnderTest } from '../helpers/chat';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, cliPath, tempDir } from '../helpers/peer';
import { pagerApi, PagerProcess, type Reply } from '../helpers/pagerProcess';
import { until } from '../helpers/wait';

const TOKEN = 'cli-integration-token-8d1e4b7a2c9f';
const PASSPHRASE = 'pager sender passphrase';
const CONTI = { contiBaseUrl: 'https://conti.example.org/app/', trustedHosts: [] };
const env = { ...process.env, TOXYNC_PASSPHRASE: PASSPHRASE };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('toxync pager serve / send: the CLI with an encrypted profile, to an editor over real Tox', function () {
  this.timeout(240_000);
  let seed: CliPeer;
  let boot: NodeAddress;
  let bootArgs: string[];
  let recipient: HostUnderTest;
  let server: PagerProcess;
  let api0: (method: string, path: string, body?: unknown) => Promise<Reply>;
  let senderKey: string;
  const senderDir = tempDir('pager-cli-sender');
  const tokenFile = join(tempDir('pager-cli-token'), 'token');
  const title = `Build ${Math.random().toString(36).slice(2, 10)} failed`;
  let codeDigits = '';

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    const r = await seed.ready();
    boot = { host: '127.0.0.1', port: r.udp_port!, public_key: r.dht_id };
    bootArgs = ['--bootstrap', `127.0.0.1:${boot.port}:${boot.public_key}`, '--local-discovery', 'off'];
    const init = spawnSync(process.execPath, [cliPath(), 'init', '--profile', senderDir], { env, encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    senderKey = init.stdout.trim().slice(0, 64);
    writeFileSync(tokenFile, `${TOKEN}\n`);
    chmodSync(tokenFile, 0o600);
    recipient = await HostUnderTest.createStored('pager-recipient', boot);
    recipient.start();
    await recipient.until(() => recipient.model.self !== null, 30_000, 'recipient ready');
  });

  after(async () => {
    await server?.stop();
    await recipient?.lock().catch(() => undefined);
    recipient?.model.dispose();
    await seed?.stop();
    seed?.cleanup();
    for (const d of [senderDir, join(tokenFile, '..'), recipient?.config.profile_dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to start without the passphrase, or with a wrong one', async () => {
    const { TOXYNC_PASSPHRASE: _, ...noPass } = env;
    const none = new PagerProcess(['serve', '--profile', senderDir, '--token-file', tokenFile, '--listen', '127.0.0.1:0', ...bootArgs], noPass);
    assert.equal(await none.exited, 2);
    assert.match(none.stderr.join('\n'), /TOXYNC_PASSPHRASE/);
    const wrong = new PagerProcess(['serve', '--profile', senderDir, '--token-file', tokenFile, '--listen', '127.0.0.1:0', ...bootArgs], {
      ...env,
      TOXYNC_PASSPHRASE: 'not it',
    });
    assert.equal(await wrong.exited, 3);
  });

  it('serve: one HTTP call befriends the user and puts the alert in their status bar; the chat keeps a short line', async () => {
    server = new PagerProcess(['serve', '--profile', senderDir, '--token-file', tokenFile, '--listen', '127.0.0.1:0', '--mirror-packets', ...bootArgs], env);
    const ready = await server.ready();
    assert.equal(ready.address.slice(0, 64), senderKey);
    api0 = pagerApi(ready.port, TOKEN);

    // The user marks the pager as a source (the contacts menu) and accepts its friend request.
    recipient.pager.setSource(senderKey, true);
    const res = await api0('POST', '/v1/alerts', {
      to: recipient.model.self!.address,
      title,
      body: 'main: run #812',
      priority: 'warning',
      link: '/ci/runs/812',
      ttl_s: 600,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await recipient.until(() => recipient.model.requests.has(senderKey), 60_000, 'friend request from the pager');
    await recipient.model.acceptRequest(senderKey);
    const entry = await until('alert shown', 60_000, () => recipient.pager.alerts.get(senderKey, String(res.body.id)));
    assert.ok(entry.alert.kind === 'alert' && entry.alert.title === title);
    assert.equal(resolveAlertLink(entry.alert.link, CONTI).kind, 'open');
    assert.equal(pagerStatusView(recipient.pager.alerts.list(), Date.now(), false).text, '$(bell-dot) 1');
    const chat = recipient.model.messages(senderKey).map((m) => m.text);
    assert.deepEqual(chat, [`⚠️ ${title} (pager alert, in the status bar)`]);
    await until('delivered', 30_000, async () => ((await api0('GET', `/v1/alerts/${String(res.body.id)}`)).body.status === 'delivered' ? true : null));
  });

  it('to an online friend an alert is shown within a second', async () => {
    const t0 = performance.now();
    const res = await api0('POST', '/v1/alerts', {
      to: recipient.model.self!.public_key,
      title: 'Ticket assigned',
      priority: 'critical',
      ttl_s: 600,
    });
    assert.equal(res.status, 202);
    await until('shown', 5000, () => recipient.pager.alerts.get(senderKey, String(res.body.id)));
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `HTTP call → recipient's alert store took ${ms.toFixed(0)} ms`);
  });

  it('a code: issued, shown, copied, verified once; its history line has no digits', async () => {
    const res = await api0('POST', '/v1/codes', {
      to: recipient.model.self!.public_key,
      service: 'Conti',
      action: 'sign in',
      request_id: 'cli-login-1',
      ttl_s: 300,
      digits: 8,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const entry = await until('code shown', 10_000, () => recipient.pager.alerts.get(senderKey, String(res.body.id)));
    assert.ok(entry.alert.kind === 'code');
    codeDigits = entry.alert.code;
    assert.match(codeDigits, /^\d{8}$/);
    assert.match(pagerStatusView(recipient.pager.alerts.list(), Date.now(), false).text, /^\$\(key\) [45]:\d\d/);

    // Copy code, as the status item does: the clipboard holds it, and the controller knows.
    let clip = '';
    const clipboard = new CodeClipboard({ readText: async () => clip, writeText: async (t) => void (clip = t) }, Date.now, {
      set: () => 0,
      clear: () => {},
    });
    await clipboard.copy(entry.alert.code, entry.alert.expiresAt);
    recipient.pager.markCopied(entry);
    assert.equal(clip, codeDigits);
    const verify = (code: string) => api0('POST', '/v1/codes/verify', { request_id: 'cli-login-1', code });
    assert.deepEqual((await verify(clip)).body, { ok: true });
    assert.deepEqual((await verify(clip)).body, { ok: false, reason: 'used' });
    recipient.pager.alerts.dismiss(senderKey, entry.alert.id);
    const chat = recipient.model.messages(senderKey).map((m) => m.text);
    assert.deepEqual(chat.slice(-2), ['🔑 Code for Conti: sign in (in the status bar)', `Code from ${entry.source} for Conti: sign in (copied)`]);
    assert.ok(chat.every((t) => !t.includes(codeDigits.slice(0, 6))));
  });

  it('pager send: one alert from a script through the same encrypted profile, exit 0 once delivered', async () => {
    // The profile is one process's at a time: serve lets go of it first.
    assert.equal(await server.stop(), 0);
    const send = new PagerProcess(
      ['send', '--profile', senderDir, '--to', recipient.model.self!.public_key, '--title', 'Nightly backup done', '--ttl', '120', ...bootArgs],
      env,
    );
    const code = await send.exited;
    assert.equal(code, 0, `exit ${code}: ${JSON.stringify(send.lines)} ${send.stderr.join(' | ')}`);
    const status = send.lines.at(-1)!;
    assert.equal(status.status, 'delivered');
    const shown = await until('shown', 10_000, () => recipient.pager.alerts.get(senderKey, String(status.id)));
    assert.ok(shown.alert.kind === 'alert' && shown.alert.title === 'Nightly backup done');
  });

  it('no code digit, alert text or raw alert format on disk on either side; after unlock the alert is back, the code is not', async () => {
    await recipient.lock();
    const needles = [codeDigits, codeDigits.slice(0, 6), codeDigits.slice(2), title, 'toxync/1', 'is your Conti code'];
    let bytes = 0;
    const hits: string[] = [];
    for (const f of [...filesUnder(senderDir), ...filesUnder(recipient.config.profile_dir)]) {
      const data = readFileSync(f);
      bytes += data.length;
      for (const n of needles) if (data.includes(Buffer.from(n))) hits.push(`${f}: ${n}`);
    }
    assert.ok(bytes > 1000, 'the stores were written');
    assert.deepEqual(hits, []);

    await recipient.unlock();
    // The files are sealed, so the scan above would pass for an encrypted copy too: the
    // decrypted content must not hold the code either (history and state document).
    const store = recipient.binding!.store;
    const decrypted = JSON.stringify([store.state, store.conversations().map((c) => c.messages)]);
    assert.ok(decrypted.includes(title), 'the alert itself is kept (encrypted)');
    assert.ok(!decrypted.includes(codeDigits.slice(0, 6)) && !decrypted.includes(codeDigits.slice(2)), 'no code digits in the store, even encrypted');
    assert.equal(recipient.pager.isSource(senderKey), true);
    const kinds = recipient.pager.alerts.list().map((e) => (e.alert.kind === 'alert' ? e.alert.title : 'code'));
    assert.deepEqual(kinds, ['Nightly backup done', 'Ticket assigned', title]);
  });
});
