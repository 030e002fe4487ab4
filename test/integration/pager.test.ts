// The pager end to end on a real local Tox network, inside the test's loopback-only
// namespace: the sender is `toxync pager serve` as the CLI runs it (an in-process ToxNode
// behind InProcessPort, runPagerServe, the HTTP API on 127.0.0.1); the recipient is a
// `toxync run` process whose messages go through the editor's pure model (AlertStore, the
// status-bar view, alert links). No stand-ins for toxcore anywhere.

import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAlert, parseAlertPacket } from '../../src/protocol/pagerAlert';
import { resolveAlertLink } from '../../src/common/alertLink';
import { type PagerServer, runPagerServe } from '../../src/cli/pager';
import { AlertStore } from '../../src/extension/pager/alertStore';
import { pagerStatusView, WARNING_BACKGROUND } from '../../src/extension/pager/statusView';
import { InProcessPort } from '../../src/pager/nodePort';
import type { NodeConfig } from '../../src/protocol/node';
import { ToxNode } from '../../src/node/nodeCore';
import { shippedFont } from '../../src/node/gifFont';
import { makeGif } from '../../src/gif/generate';
import { loadLibtoxcore } from '../../src/tox/loader';
import { readGif } from '../helpers/gifcheck';
import { assertLoopbackOnly } from '../helpers/netns';
import { bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { pagerApi, type Reply } from '../helpers/pagerProcess';
import { sleep, until } from '../helpers/wait';

const TOKEN = 'integration-token-3f9a1c7e5b2d4e6f';
const CONTI = { contiBaseUrl: 'https://conti.example.org/app/', trustedHosts: [] };

/** The pager API as the test's token-holder calls it. */
const api = (port: number, method: string, path: string, body?: unknown): Promise<Reply> => pagerApi(port, TOKEN)(method, path, body);

describe('pager: sender → recipient over a real local Tox network', function () {
  this.timeout(180_000);
  const peers: CliPeer[] = [];
  const dirs: string[] = [];
  let seed: CliPeer;
  let recipient: CliPeer;
  let boot: string[];
  let node: ToxNode;
  let port: InProcessPort;
  let pager: PagerServer;
  let senderKey: string;
  let store: AlertStore;
  const clockNow = () => Date.now();

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    peers.push(seed);
    boot = await bootstrapArg(seed);
    recipient = CliPeer.start('recipient', boot);
    peers.push(recipient);
    const s = await seed.ready();

    const profile = tempDir('pager-sender');
    dirs.push(profile);
    const config: NodeConfig = {
      profile_dir: profile,
      bootstrap: [{ host: '127.0.0.1', port: s.udp_port!, public_key: s.dht_id }],
      relays: [],
      public_nodes: false,
      udp: true,
      local_discovery: false,
      accept_friends: false,
      echo: false,
      insecure_plain_profile: true,
    };
    // As main.ts will: the port's emit is the node's output, then the port drives the node.
    port = new InProcessPort();
    node = new ToxNode(loadLibtoxcore(), config, port.emit);
    port.attach(node);
    senderKey = node.start().public_key;

    const tokenFile = join(profile, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    chmodSync(tokenFile, 0o600);
    pager = await runPagerServe(port, { listen: { host: '127.0.0.1', port: 0 }, tokenFile, mirrorPackets: true });
    store = new AlertStore({ isPagerSource: (k) => k === senderKey, now: clockNow });
  });

  after(async () => {
    store?.dispose();
    await pager?.close();
    node?.dispose();
    port?.close();
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('an alert to a Tox ID that is not a friend yet: friend request, then the alert, status delivered', async () => {
    const r = await recipient.ready();
    const from = recipient.events.length;
    const res = await api(pager.http.port, 'POST', '/v1/alerts', {
      to: r.address,
      title: 'Build failed',
      body: 'main: test step failed on run #812',
      priority: 'warning',
      link: '/ci/runs/812',
      ttl_s: 600,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id = String(res.body.id);
    assert.equal((await api(pager.http.port, 'GET', `/v1/alerts/${id}`)).body.status, 'queued');

    const req = await recipient.event('friend_request', (e) => e.public_key === senderKey, 60_000, from);
    assert.match(req.message, /toxync pager/);
    await recipient.command({ cmd: 'friend_accept', public_key: req.public_key });
    const msg = await recipient.event('message', (e) => e.public_key === senderKey, 60_000, from);

    // The recipient's editor: a pager source's message becomes an alert in the status bar.
    const offer = store.offer(msg.public_key, 'Conti CI', msg.text);
    assert.equal(offer.kind, 'added');
    assert.ok(offer.kind === 'added' && offer.entry.alert.kind === 'alert');
    const a = offer.entry.alert;
    assert.equal(a.id, id);
    assert.equal(a.title, 'Build failed');
    assert.equal(a.body, 'main: test step failed on run #812');
    assert.equal(a.priority, 'warning');
    assert.deepEqual(resolveAlertLink(a.link, CONTI), {
      kind: 'open',
      url: 'https://conti.example.org/app/ci/runs/812',
      host: 'conti.example.org',
    });
    const view = pagerStatusView(store.list(), Date.now(), false);
    assert.equal(view.text, '$(bell-dot) 1');
    assert.equal(view.background, WARNING_BACKGROUND);
    assert.match(view.tooltipLines[0]!, /^\[warning\] Build failed, from Conti CI/);
    // The same message from someone who is not a pager source is an ordinary message.
    assert.equal(new AlertStore({ isPagerSource: () => false }).offer(msg.public_key, 'x', msg.text).kind, 'plain');

    await until('delivered', 30_000, async () => ((await api(pager.http.port, 'GET', `/v1/alerts/${id}`)).body.status === 'delivered' ? true : null));
    // The lossless mirror carries the same alert; the store knows it already.
    const pkt = await recipient.event('custom_packet', (e) => e.lossless && e.data.startsWith('a8'), 10_000, from);
    assert.equal(parseAlertPacket(pkt.data)?.id, id);
    assert.deepEqual(store.offerPacket(senderKey, 'Conti CI', pkt.data), { kind: 'ignored', reason: 'duplicate' });
  });

  it('to an online friend an alert shows within a second, and is delivered', async () => {
    const r = await recipient.ready();
    const from = recipient.events.length;
    const t0 = performance.now();
    const res = await api(pager.http.port, 'POST', '/v1/alerts', {
      to: r.public_key,
      title: 'Ticket assigned',
      priority: 'critical',
      link: 'https://tracker.example.net/T-1',
      ttl_s: 60,
    });
    assert.equal(res.status, 202);
    const msg = await recipient.event('message', (e) => e.public_key === senderKey, 10_000, from);
    const ms = performance.now() - t0;
    const offer = store.offer(msg.public_key, 'Conti CI', msg.text);
    assert.ok(offer.kind === 'added' && offer.notify, 'critical: a notification');
    assert.equal(resolveAlertLink(offer.entry.alert.link, CONTI).kind, 'ask');
    assert.ok(ms < 1000, `HTTP call → message at the recipient took ${ms.toFixed(0)} ms`);
    await until('delivered', 30_000, async () =>
      (await api(pager.http.port, 'GET', `/v1/alerts/${String(res.body.id)}`)).body.status === 'delivered' ? true : null,
    );
  });

  it('an alert with a gif: the alert, then <style>.gif as a file with exactly the generated bytes', async () => {
    const r = await recipient.ready();
    const from = recipient.events.length;
    const gif = { style: 'badge', label: 'build', text: 'failing', theme: 'danger', width: 200, height: 50, seconds: 1, fps: 6 } as const;
    const res = await api(pager.http.port, 'POST', '/v1/alerts', { to: r.public_key, title: 'Build failed', priority: 'warning', gif });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const msg = await recipient.event('message', (e) => e.public_key === senderKey, 30_000, from);
    assert.equal(parseAlert(msg.text)?.id, String(res.body.id));
    const offer = await recipient.event('file_recv', (e) => e.kind === 'data', 60_000, from);
    assert.equal(offer.name, 'badge.gif');
    const expected = Buffer.from(makeGif(shippedFont(), gif));
    assert.equal(offer.size, expected.length);
    const inbox = tempDir('pager-gif-inbox');
    dirs.push(inbox);
    const { path } = (await recipient.command({ cmd: 'file_accept', friend: offer.friend, file: offer.file, dir: inbox, require_image: true })) as {
      path: string;
    };
    await recipient.event('file_done', (e) => e.file_id === offer.file_id && e.direction === 'recv', 120_000, from);
    const got = readFileSync(path);
    assert.deepEqual(got, expected);
    const facts = readGif(got);
    assert.deepEqual([facts.width, facts.height, facts.frames], [200, 50, 6]);
  });

  it('a bad gif is a 400 naming the field, and nothing is sent', async () => {
    const r = await recipient.ready();
    const from = recipient.events.length;
    const base = { to: r.public_key, title: 'Never sent' };
    const ok = { style: 'pulse', text: 'x' };
    for (const [gif, msg] of [
      [{ ...ok, style: 'spin' }, /body\.gif\.style/],
      [{ ...ok, text: '' }, /body\.gif\.text: shorter than 1/],
      [{ ...ok, text: 'é'.repeat(201) }, /body\.gif: text is longer than 200 characters/],
      [{ ...ok, width: 5000 }, /body\.gif\.width: out of range 16\.\.1024/],
      [{ ...ok, seconds: 0 }, /body\.gif\.seconds/],
      [{ ...ok, fg: 'crimson' }, /body\.gif\.fg: has an invalid format/],
      [{ ...ok, theme: 'neon' }, /body\.gif\.theme/],
      [{ ...ok, width: 1024, height: 1024, seconds: 10, fps: 25 }, /body\.gif: width × height × seconds × fps must be at most/],
      [{ text: 'x' }, /body\.gif\.style: is missing/],
      ['badge', /body\.gif: expected an object/],
    ] as [unknown, RegExp][]) {
      const res = await api(pager.http.port, 'POST', '/v1/alerts', { ...base, gif });
      assert.equal(res.status, 400, JSON.stringify(gif));
      assert.equal(res.body.error, 'invalid_request');
      assert.match(String(res.body.message), msg);
    }
    // Positive control: the same request with a good gif goes out, and it is the first
    // message and the first file the recipient sees since the refused ones.
    const good = await api(pager.http.port, 'POST', '/v1/alerts', { ...base, title: 'Sent', gif: ok });
    assert.equal(good.status, 202, JSON.stringify(good.body));
    const msg = await recipient.event('message', (e) => e.public_key === senderKey, 30_000, from);
    assert.equal(parseAlert(msg.text)?.id, String(good.body.id));
    const offer = await recipient.event('file_recv', (e) => e.kind === 'data', 60_000, from);
    assert.equal(offer.name, 'pulse.gif');
    await recipient.command({ cmd: 'file_control', friend: offer.friend, file: offer.file, control: 'cancel' });
  });

  it('a code: issued, shown with a countdown, verified once, refused the second time', async () => {
    const r = await recipient.ready();
    const from = recipient.events.length;
    const res = await api(pager.http.port, 'POST', '/v1/codes', {
      to: r.address,
      service: 'Conti',
      action: 'sign in',
      request_id: 'login-42',
      ttl_s: 300,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['expires_at', 'id']);
    const msg = await recipient.event('message', (e) => e.public_key === senderKey, 10_000, from);
    const a = parseAlert(msg.text);
    assert.ok(a && a.kind === 'code');
    assert.equal(a.requestId, 'login-42');
    assert.equal(a.service, 'Conti');
    assert.equal(store.offer(msg.public_key, 'Conti CI', msg.text).kind, 'added');
    const view = pagerStatusView(store.list(), Date.now(), false);
    assert.match(view.text, /^\$\(key\) [45]:\d\d /);
    assert.ok(!view.text.includes(a.code));

    const verify = (code: string) => api(pager.http.port, 'POST', '/v1/codes/verify', { request_id: 'login-42', code });
    const wrong = a.code === '000000' ? '000001' : '000000';
    assert.deepEqual((await verify(wrong)).body, { ok: false, reason: 'mismatch' });
    assert.deepEqual((await verify(a.code)).body, { ok: true });
    assert.deepEqual((await verify(a.code)).body, { ok: false, reason: 'used' });
    await until('code delivered', 30_000, async () =>
      (await api(pager.http.port, 'GET', `/v1/alerts/${String(res.body.id)}`)).body.status === 'delivered' ? true : null,
    );
  });

  it('while the recipient is offline an alert waits, goes out when they are back, or expires', async () => {
    const r = await recipient.ready();
    await recipient.stop();
    await until('sender sees the recipient offline', 60_000, () =>
      node.friends().find((f) => f.public_key === r.public_key)?.connection === 'none' ? true : null,
    );
    const waits = await api(pager.http.port, 'POST', '/v1/alerts', { to: r.public_key, title: 'Queued while away', ttl_s: 120 });
    const expires = await api(pager.http.port, 'POST', '/v1/alerts', { to: r.public_key, title: 'Too late', ttl_s: 2 });
    await sleep(3000);
    await until('expired', 10_000, async () =>
      (await api(pager.http.port, 'GET', `/v1/alerts/${String(expires.body.id)}`)).body.status === 'expired' ? true : null,
    );
    assert.equal((await api(pager.http.port, 'GET', `/v1/alerts/${String(waits.body.id)}`)).body.status, 'queued');

    const back = CliPeer.start('recipient-again', boot, recipient.profileDir);
    peers.push(back);
    const msg = await back.event('message', (e) => e.public_key === senderKey, 90_000);
    assert.equal(parseAlert(msg.text)?.id, String(waits.body.id));
    assert.ok(!back.events.some((e) => e.event === 'message' && parseAlert(e.text)?.id === String(expires.body.id)), 'the expired alert never went out');
    await until('delivered after reconnect', 30_000, async () =>
      (await api(pager.http.port, 'GET', `/v1/alerts/${String(waits.body.id)}`)).body.status === 'delivered' ? true : null,
    );
  });
});
