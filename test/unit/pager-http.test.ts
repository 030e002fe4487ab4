// The pager HTTP API on a real loopback socket, with the real service, code book and sender
// over a node stand-in that accepts every message: tokens, binds, bodies and errors.

import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlert } from '../../src/protocol/pagerAlert';
import { CodeBook } from '../../src/pager/codes';
import { type PagerHttp, startPagerHttp } from '../../src/pager/http';
import { ListenError, parseListen, readTokenFile } from '../../src/pager/listen';
import type { NodePort } from '../../src/pager/nodePort';
import type { NodeEvent } from '../../src/protocol/node';
import { PagerSender } from '../../src/pager/sender';
import { PagerService } from '../../src/pager/service';

const TOKEN = 'test-token-0123456789abcdef';
const BOB = 'B'.repeat(64);

/** A node whose only friend, Bob, is online and takes every message. */
class AcceptingPort implements NodePort {
  readonly sent: string[] = [];
  private id = 0;
  request = ((body: { cmd: string; text?: string }) => {
    if (body.cmd === 'friends')
      return Promise.resolve({
        friends: [{ friend: 0, public_key: BOB, name: '', status_message: '', status: 'online', connection: 'udp', last_online: null }],
      });
    if (body.cmd === 'send') {
      this.sent.push(body.text!);
      return Promise.resolve({ message_ids: [this.id++] });
    }
    return Promise.resolve({});
  }) as NodePort['request'];
  onEvent(_l: (e: NodeEvent) => void): () => void {
    return () => {};
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  raw: string;
}

function call(
  server: PagerHttp,
  method: string,
  path: string,
  opts: { body?: string | Buffer; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          /* left empty: the test says what it expected */
        }
        resolve({ status: res.statusCode!, headers: res.headers, body, raw });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
const json = (v: unknown) => JSON.stringify(v);

describe('pager HTTP API', () => {
  let server: PagerHttp;
  let port: AcceptingPort;
  let sender: PagerSender;

  beforeEach(async () => {
    port = new AcceptingPort();
    sender = new PagerSender(port, { retryMs: 3_600_000 });
    await sender.start();
    server = await startPagerHttp({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      service: new PagerService(sender, new CodeBook({ maxAttempts: 3 })),
      maxBodyBytes: 4096,
    });
  });
  afterEach(async () => {
    await server.close();
    sender.dispose();
  });

  it('rejects a missing, malformed or wrong token before reading the body', async () => {
    const body = json({ to: BOB, title: 'x' });
    for (const token of [null, '', 'wrong-token-0123456789abcdef', TOKEN.slice(0, -1), `${TOKEN}x`, `${TOKEN} extra`]) {
      const r = await call(server, 'POST', '/v1/alerts', { body, token });
      assert.equal(r.status, 401, String(token));
      assert.equal(r.body.error, 'unauthorized');
      assert.match(String(r.headers['www-authenticate']), /^Bearer/);
    }
    const basic = await call(server, 'GET', '/v1/alerts/x', {
      token: null,
      headers: { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` },
    });
    assert.equal(basic.status, 401);
    assert.equal(port.sent.length, 0, 'nothing was sent');
  });

  it('sends an alert and reports its status', async () => {
    const r = await call(server, 'POST', '/v1/alerts', {
      body: json({
        to: BOB,
        title: 'Deploy done',
        body: 'v1.2 is live',
        priority: 'info',
        link: '/deploys/12',
        ttl_s: 600,
        unknown_field: 1,
      }),
    });
    assert.equal(r.status, 202, r.raw);
    assert.match(String(r.body.id), /^[A-Za-z0-9_-]{12}$/);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    const a = parseAlert(port.sent[0]);
    assert.ok(a && a.kind === 'alert');
    assert.equal(a.title, 'Deploy done');
    assert.equal(a.link, '/deploys/12');
    const s = await call(server, 'GET', `/v1/alerts/${String(r.body.id)}`);
    assert.equal(s.status, 200);
    assert.equal(s.body.status, 'sent');
    assert.equal(s.body.to, BOB);
    assert.equal((await call(server, 'GET', '/v1/alerts/nope')).status, 404);
    assert.equal((await call(server, 'GET', '/v1/alerts/..%2F..%2Fetc')).status, 404);
  });

  it('issues a code without ever returning it, and verifies it once', async () => {
    const r = await call(server, 'POST', '/v1/codes', {
      body: json({ to: BOB, service: 'Conti', action: 'sign in', request_id: 'login-1', ttl_s: 120 }),
    });
    assert.equal(r.status, 202, r.raw);
    const a = parseAlert(port.sent[0]);
    assert.ok(a && a.kind === 'code');
    assert.ok(!r.raw.includes(a.code), 'the response does not contain the code');
    assert.deepEqual(Object.keys(r.body).sort(), ['expires_at', 'id']);
    const wrong = a.code === '000000' ? '000001' : '000000';
    assert.deepEqual((await call(server, 'POST', '/v1/codes/verify', { body: json({ request_id: 'login-1', code: wrong }) })).body, {
      ok: false,
      reason: 'mismatch',
    });
    assert.deepEqual((await call(server, 'POST', '/v1/codes/verify', { body: json({ request_id: 'login-1', code: a.code }) })).body, {
      ok: true,
    });
    assert.deepEqual((await call(server, 'POST', '/v1/codes/verify', { body: json({ request_id: 'login-1', code: a.code }) })).body, {
      ok: false,
      reason: 'used',
    });
    const again = await call(server, 'POST', '/v1/codes', {
      body: json({ to: BOB, service: 'Conti', action: 'sign in', request_id: 'login-1' }),
    });
    assert.equal(again.status, 409);
  });

  it('rate-limits codes per recipient with 429', async () => {
    let last = 0;
    for (let i = 0; i < 6; i++)
      last = (await call(server, 'POST', '/v1/codes', { body: json({ to: BOB, service: 's', action: 'a', request_id: `r${i}` }) })).status;
    assert.equal(last, 429);
  });

  it('refuses oversized bodies with 413 without reading them', async () => {
    const big = json({ to: BOB, title: 'x', body: 'y'.repeat(5000) });
    const r = await call(server, 'POST', '/v1/alerts', { body: big });
    assert.equal(r.status, 413);
    assert.equal(r.body.error, 'too_large');
    // Without a Content-Length (chunked), the cap holds while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/v1/alerts',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('{"to":"');
      req.write('x'.repeat(3000));
      req.write('y'.repeat(3000));
      req.end('"}');
    });
    assert.equal(chunked, 413);
    assert.equal(port.sent.length, 0);
  });

  it('answers bad JSON, wrong types and bad fields with 400 and a reason', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['{not json', /not valid UTF-8 JSON/],
      [Buffer.from([0x7b, 0xff, 0x7d]), /not valid UTF-8 JSON/],
      ['[]', /expected an object/],
      ['null', /expected an object/],
      [json({ title: 'x' }), /body\.to: is missing/],
      [json({ to: BOB, title: 'x', priority: 'urgent' }), /body\.priority/],
      [json({ to: BOB, title: 'x', ttl_s: 0 }), /body\.ttl_s/],
      [json({ to: BOB, title: 'x', ttl_s: 1.5 }), /body\.ttl_s/],
      [json({ to: BOB, title: 42 }), /body\.title: expected a string/],
      [json({ to: BOB, title: 'x\u202Ey' }), /direction-changing/],
      [json({ to: BOB, title: 'T'.repeat(121) }), /title is longer/],
      [json({ to: 'C'.repeat(64), title: 'x' }), /not a friend/],
      [json({ to: 'not hex', title: 'x' }), /Tox ID/],
      [json({ to: BOB, title: 'x', link: 'https://a b' }), /link/],
    ];
    for (const [body, re] of cases) {
      const r = await call(server, 'POST', '/v1/alerts', { body });
      assert.equal(r.status, 400, `${String(body).slice(0, 60)} → ${r.raw}`);
      assert.match(String(r.body.message), re, r.raw);
      assert.equal(typeof r.body.error, 'string');
    }
    const code = await call(server, 'POST', '/v1/codes', {
      body: json({ to: BOB, service: 's', action: 'a', request_id: 'r', ttl_s: 601 }),
    });
    assert.equal(code.status, 400);
    const verify = await call(server, 'POST', '/v1/codes/verify', { body: json({ request_id: 'has space', code: '123456' }) });
    assert.equal(verify.status, 400);
  });

  it('answers wrong methods, paths, content types, hosts and browser origins clearly', async () => {
    const m = await call(server, 'GET', '/v1/alerts');
    assert.equal(m.status, 405);
    assert.equal(m.headers.allow, 'POST');
    assert.equal((await call(server, 'POST', '/v1/nothing', { body: '{}' })).status, 404);
    assert.equal((await call(server, 'POST', '/v1/alerts', { body: json({ to: BOB, title: 'x' }), headers: { 'content-type': 'text/plain' } })).status, 415);
    // DNS rebinding: a page from another origin resolving to loopback still names its host.
    assert.equal((await call(server, 'POST', '/v1/alerts', { body: json({ to: BOB, title: 'x' }), headers: { host: 'evil.example' } })).status, 421);
    assert.equal(
      (await call(server, 'POST', '/v1/alerts', { body: json({ to: BOB, title: 'x' }), headers: { host: `127.0.0.1:${server.port + 1}` } })).status,
      421,
    );
    assert.equal(
      (await call(server, 'POST', '/v1/alerts', { body: json({ to: BOB, title: 'x' }), headers: { host: `localhost:${server.port}` } })).status,
      202,
    );
    assert.equal((await call(server, 'POST', '/v1/alerts', { body: json({ to: BOB, title: 'x' }), headers: { origin: 'https://evil.example' } })).status, 403);
  });
});

describe('pager HTTP API: where it may listen', () => {
  it('accepts loopback addresses only', () => {
    assert.deepEqual(parseListen('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(parseListen('127.10.20.30:1'), { host: '127.10.20.30', port: 1 });
    assert.deepEqual(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
    assert.deepEqual(parseListen('[0:0:0:0:0:0:0:1]:9'), { host: '0:0:0:0:0:0:0:1', port: 9 });
    assert.deepEqual(parseListen('localhost:80'), { host: '127.0.0.1', port: 80 });
    for (const bad of [
      '0.0.0.0:8080',
      '[::]:8080',
      '192.168.1.10:80',
      '10.0.0.1:80',
      '[::ffff:127.0.0.1]:80',
      '128.0.0.1:80',
      'example.com:80',
      '127.0.0.1.nip.io:80',
      '127.1:80',
      '0x7f.0.0.1:80',
      '127.0.0.1',
      '127.0.0.1:65536',
      ':8080',
      '',
    ]) {
      assert.throws(() => parseListen(bad), ListenError, bad);
    }
  });

  it('refuses to bind a non-loopback address even when called directly', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1', 'localhost']) {
      await assert.rejects(startPagerHttp({ host, port: 0, token: TOKEN, service: {} as never }), ListenError, host);
    }
    await assert.rejects(startPagerHttp({ host: '127.0.0.1', port: 0, token: '', service: {} as never }), /token/);
  });
});

describe('pager HTTP API: the token file', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'toxync-token-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string, mode = 0o600) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    chmodSync(p, mode);
    return p;
  };

  it('reads the first line, trimmed', () => {
    assert.equal(readTokenFile(file('ok', `${TOKEN}\n`)), TOKEN);
    assert.equal(readTokenFile(file('ok2', `  ${TOKEN}\r\nsecond line`, 0o640)), TOKEN);
  });

  it('refuses empty, short, non-ASCII and world-readable token files', () => {
    assert.throws(() => readTokenFile(file('empty', '')), /empty/);
    assert.throws(() => readTokenFile(file('blank', '  \n\n')), /empty/);
    assert.throws(() => readTokenFile(file('short', 'abc')), /shorter than/);
    assert.throws(() => readTokenFile(file('spacey', 'abcdefgh ijklmnopqrst')), /printable ASCII/);
    assert.throws(() => readTokenFile(file('world', TOKEN, 0o644)), /every user/);
    assert.throws(() => readTokenFile(dir), /not a file/);
    assert.throws(() => readTokenFile(join(dir, 'missing')), /ENOENT/);
  });
});
