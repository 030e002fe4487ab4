// The pager's HTTP API (docs/pager.md): JSON in, JSON out, on loopback only, every request
// authenticated with a bearer token before its body is read.
//
//   POST /v1/alerts         {to, title, body?, priority?, link?, ttl_s?, gif?} → 202 {id, status, expires_at}
//                           (to: a Tox ID, a friend's key, or group:<chat ID> — groupRoute.ts)
//   GET  /v1/alerts/{id}                                                 → 200 {id, status, …}
//   POST /v1/codes          {to, service, action, request_id, ttl_s?, digits?} → 202 {id, expires_at}
//   POST /v1/codes/verify   {request_id, code}                           → 200 {ok, reason?}

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertFormatError, ID_PATTERN, MAX_LINK_CHARS, REQUEST_ID_PATTERN } from '../protocol/pagerAlert';
import { pagerGif } from '../protocol/pagerGif';
import { check, int, literal, nullable, obj, optional, str } from '../protocol/guard';
import { CodeError } from './codes';
import { logCode } from '../protocol/errcode';
import { isLoopbackLiteral, ListenError } from './listen';
import { type DeliveryInfo, RecipientError, SenderFullError } from './sender';
import { MAX_ALERT_TTL_S, type PagerService } from './service';

export const MAX_BODY_BYTES = 16 * 1024;

const to = str({ min: 1, max: 200 });
const requestId = str({ min: 1, max: 128, pattern: REQUEST_ID_PATTERN });
const alertRequest = obj({
  to,
  title: str({ min: 1, max: 1000 }),
  body: optional(str({ max: 4000 })),
  priority: optional(literal('info', 'warning', 'critical')),
  link: optional(nullable(str({ min: 1, max: MAX_LINK_CHARS }))),
  ttl_s: optional(int({ min: 1, max: MAX_ALERT_TTL_S })),
  gif: optional(pagerGif),
});
const codeRequest = obj({
  to,
  service: str({ min: 1, max: 256 }),
  action: str({ min: 1, max: 512 }),
  request_id: requestId,
  ttl_s: optional(int({ min: 10, max: 600 })),
  digits: optional(int({ min: 6, max: 8 })),
});
const verifyRequest = obj({ request_id: requestId, code: str({ min: 1, max: 16 }) });

export interface PagerHttpOptions {
  host: string;
  port: number;
  token: string;
  service: Pick<PagerService, 'sendAlert' | 'issueCode' | 'verifyCode' | 'alertStatus'>;
  maxBodyBytes?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface PagerHttp {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Starts the API. Refuses any non-loopback host before opening a socket. */
export function startPagerHttp(opts: PagerHttpOptions): Promise<PagerHttp> {
  if (!isLoopbackLiteral(opts.host)) return Promise.reject(new ListenError(`refusing to listen on ${opts.host}: loopback (127.0.0.0/8, ::1) only`));
  if (opts.token.length < 16) return Promise.reject(new ListenError('the bearer token is missing or too short'));
  // Hashes compare in constant time whatever the lengths (timingSafeEqual needs equal ones).
  const tokenHash = digest(opts.token);
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const log = opts.log ?? (() => {});
  let boundPort = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const mapped = mapError(e);
      if (!mapped) log('error', `pager api: ${logCode(e)}`);
      const err = mapped ?? new HttpError(500, 'internal', 'internal error');
      // An oversized body is not read to its end: answer, then drop the connection.
      const closing: Record<string, string> = err.status === 413 ? { connection: 'close' } : {};
      send(res, err.status, { error: err.code, message: err.message }, { ...err.headers, ...closing });
      if (err.status === 413) res.on('finish', () => req.socket.destroy());
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 64;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkHost(req);
    // Browsers send Origin on cross-site requests; scripts and curl do not.
    if (req.headers.origin !== undefined) throw new HttpError(403, 'forbidden', 'browser requests are refused');
    authenticate(req);
    const url = new URL(req.url ?? '/', 'http://pager.invalid');
    const path = url.pathname;
    const s = opts.service;
    if (path === '/v1/alerts') {
      allow(req, 'POST');
      const body = parse(alertRequest, await readJson(req));
      const r = s.sendAlert(body);
      return send(res, 202, { id: r.id, status: 'queued', expires_at: r.expires_at });
    }
    const m = /^\/v1\/alerts\/([^/]+)$/.exec(path);
    if (m) {
      allow(req, 'GET');
      const id = m[1]!;
      const d = ID_PATTERN.test(id) ? s.alertStatus(id) : null;
      if (!d) throw new HttpError(404, 'not_found', 'no alert with this id (finished alerts are kept for an hour)');
      return send(res, 200, deliveryJson(d));
    }
    if (path === '/v1/codes') {
      allow(req, 'POST');
      const body = parse(codeRequest, await readJson(req));
      const r = s.issueCode(body);
      return send(res, 202, { id: r.id, expires_at: r.expires_at });
    }
    if (path === '/v1/codes/verify') {
      allow(req, 'POST');
      const body = parse(verifyRequest, await readJson(req));
      const r = s.verifyCode(body.request_id, body.code);
      return send(res, 200, r.ok ? { ok: true } : { ok: false, reason: r.reason });
    }
    throw new HttpError(404, 'not_found', 'no such endpoint');
  }

  /** DNS rebinding: a page served from evil.example that resolves to 127.0.0.1 still sends
   *  "Host: evil.example". Only loopback names for this port are answered. */
  function checkHost(req: IncomingMessage): void {
    const h = req.headers.host ?? '';
    const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(h);
    const name = m?.[1]?.replace(/^\[(.*)\]$/, '$1').toLowerCase() ?? '';
    const okName = name === 'localhost' || isLoopbackLiteral(name);
    if (!m || !okName || (m[2] !== undefined && Number(m[2]) !== boundPort))
      throw new HttpError(421, 'misdirected', 'the Host header must name this loopback address');
  }

  function authenticate(req: IncomingMessage): void {
    const challenge = { 'www-authenticate': 'Bearer realm="toxync pager"' };
    const header = req.headers.authorization;
    if (header === undefined) throw new HttpError(401, 'unauthorized', 'missing bearer token (Authorization: Bearer …)', challenge);
    const m = /^Bearer +([\x21-\x7e]{1,4096})$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!), tokenHash)) throw new HttpError(401, 'unauthorized', 'invalid bearer token', challenge);
  }

  function allow(req: IncomingMessage, method: 'GET' | 'POST'): void {
    if (req.method !== method) throw new HttpError(405, 'method_not_allowed', `use ${method}`, { allow: method });
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'send Content-Type: application/json');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) throw new HttpError(413, 'too_large', `the body is larger than ${maxBody} bytes`);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBody) return void chunks.push(chunk);
        // Stop reading (not destroy: the 413 still has to go out on this socket).
        req.off('data', onData);
        req.pause();
        reject(new HttpError(413, 'too_large', `the body is larger than ${maxBody} bytes`));
      };
      req.on('data', onData);
      req.once('end', () => resolve(Buffer.concat(chunks)));
      req.once('error', reject);
    });
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as unknown;
    } catch {
      throw new HttpError(400, 'bad_json', 'the body is not valid UTF-8 JSON');
    }
  }

  return new Promise<PagerHttp>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port, exclusive: true }, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      boundPort = addr.port;
      log('info', `pager api listening on ${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`);
      resolve({
        host: addr.address,
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function parse<T>(guard: (v: unknown, path: string) => T, value: unknown): T {
  const r = check(guard, value);
  if (!r.ok) throw new HttpError(400, 'invalid_request', r.error.replace(/^message:/, 'body:').replace(/^\./, 'body.'));
  return r.value;
}

/** Maps the service's refusals to statuses; anything else is a 500 (logged, not shown). */
function mapError(e: unknown): HttpError | null {
  if (e instanceof HttpError) return e;
  if (e instanceof CodeError) {
    const status = { invalid: 400, rate_limited: 429, conflict: 409, full: 503 }[e.code];
    return new HttpError(status, e.code, e.message);
  }
  if (e instanceof RecipientError) return new HttpError(400, 'bad_recipient', e.message);
  if (e instanceof AlertFormatError) return new HttpError(400, 'invalid_alert', e.message);
  if (e instanceof SenderFullError) return new HttpError(503, 'full', e.message);
  if (e instanceof RangeError) return new HttpError(400, 'invalid_request', e.message);
  return null;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/** A delivery as the API shows it (GET /v1/alerts/{id}; `toxync pager send` prints the same). */
export function deliveryJson(d: DeliveryInfo): Record<string, unknown> {
  return {
    id: d.id,
    status: d.status,
    to: d.to,
    created_at: sec(d.createdAt),
    expires_at: sec(d.expiresAt),
    sent_at: sec(d.sentAt),
    delivered_at: sec(d.deliveredAt),
    ...(d.reason ? { reason: d.reason } : {}),
  };
}
