// Pager alerts and one-time codes as plain Tox messages (docs/pager.md is the spec).
//
// A message reads well in any Tox client: a short human line first, then (for alerts) the
// body, then one machine line, the trailer:
//
//   ⚠️ Build failed
//   main: the test step failed on run #812.
//   toxync/1 alert id=Zk3vQ9aLx0Tb p=warning exp=2025-06-01T12:00:00Z link=/ci/runs/812
//
// Alerts take their title and body from the human part (so nothing is sent twice and the
// whole alert fits one 1372-byte message); codes take every field from the trailer and the
// human part is only a rendering. parse() treats the text as hostile: anything that does not
// follow the format exactly is not an alert (null), and the caller shows the text as an
// ordinary message. Text fields come out in their visible form (invisible and bidi code
// points as markers, see text.ts), so they are safe to put on screen as plain text.

import { capUtf8, isInvisible, oneLine, visibleForm } from '../common/text';

/** tox_max_message_length() in toxcore 0.2.23: one alert is one message, never split. */
export const MAX_MESSAGE_BYTES = 1372;
export const MAX_TITLE_BYTES = 120;
export const MAX_BODY_BYTES = 700;
export const MAX_LINK_CHARS = 512;
export const MAX_SERVICE_BYTES = 64;
export const MAX_ACTION_BYTES = 128;
export const MAX_FIELDS = 24;
export const FORMAT_VERSION = 1;
/** Lossless custom packet id (tox.h: 160–191) of the optional mirror for toxync peers. */
export const ALERT_PACKET_ID = 0xa8;

export const PRIORITIES = ['info', 'warning', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const CODE_PATTERN = /^[0-9]{6,8}$/;

/** The first characters of an alert's human line, by priority. */
const ICON: Record<Priority, string> = { info: '🔔', warning: '⚠️', critical: '🚨' };
const CODE_ICON = '🔑';

interface Common {
  id: string;
  priority: Priority;
  /** Milliseconds since the epoch; carried with one-second precision. */
  expiresAt: number;
  /** A Conti resource path ("/ci/runs/812") or an absolute URL; resolved by alertLink.ts. */
  link: string | null;
}
export interface PlainAlert extends Common {
  kind: 'alert';
  title: string;
  body: string;
}
export interface CodeAlert extends Common {
  kind: 'code';
  code: string;
  service: string;
  action: string;
  requestId: string;
}
export type Alert = PlainAlert | CodeAlert;

/** The alert cannot be encoded as given (the message for the API caller says why). */
export class AlertFormatError extends RangeError {
  override readonly name = 'AlertFormatError';
}

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

/** C0/C1 controls (tab and newline allowed where `allowLayout`), lone surrogates, and
 *  direction marks, overrides and isolates: what an honest sender never needs and a spoofer
 *  always does. Other invisibles (a ZWJ inside an emoji) are allowed; parse marks them. */
function hasForbidden(s: string, allowLayout: boolean): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (allowLayout && (cp === 0x0a || cp === 0x09)) continue;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true;
    if (cp >= 0xd800 && cp <= 0xdfff) return true; // a lone surrogate is not text
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return true;
  }
  return false;
}

function need(ok: boolean, what: string): void {
  if (!ok) throw new AlertFormatError(what);
}

function textField(name: string, value: string, maxBytes: number, opts: { allowEmpty?: boolean; multiline?: boolean } = {}): void {
  need(typeof value === 'string', `${name} must be a string`);
  need(opts.allowEmpty === true || value.trim().length > 0, `${name} is empty`);
  need(bytes(value) <= maxBytes, `${name} is longer than ${maxBytes} bytes`);
  need(!hasForbidden(value, opts.multiline === true), `${name} contains control or direction-changing characters`);
}

/** Percent-encodes what would break the trailer or hide in it: '%', spaces, controls and
 *  invisible code points. Other non-ASCII stays as is, so the trailer stays readable. */
function encodeValue(v: string): string {
  let out = '';
  for (const ch of v) {
    const cp = ch.codePointAt(0)!;
    out += ch === '%' || cp <= 0x20 || isInvisible(cp) ? encodeURIComponent(ch) : ch;
  }
  return out;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function hhmmUtc(ms: number): string {
  return `${isoSeconds(ms).slice(11, 16)} UTC`;
}

function validate(a: Alert): void {
  need(ID_PATTERN.test(a.id), 'id must be 1–64 characters of A–Z, a–z, 0–9, "_" or "-"');
  need(PRIORITIES.includes(a.priority), 'priority must be info, warning or critical');
  need(Number.isFinite(a.expiresAt) && a.expiresAt >= 0 && a.expiresAt < 253402300800000, 'expiry is not a valid time');
  if (a.link !== null) {
    need(typeof a.link === 'string' && a.link.length > 0 && a.link.length <= MAX_LINK_CHARS, `link must be 1–${MAX_LINK_CHARS} characters`);
    need(!/[\s]/u.test(a.link) && !hasForbidden(a.link, false), 'link contains spaces or control characters');
  }
  if (a.kind === 'alert') {
    textField('title', a.title, MAX_TITLE_BYTES);
    need(!/[\r\n]/.test(a.title), 'title must be one line');
    textField('body', a.body, MAX_BODY_BYTES, { allowEmpty: true, multiline: true });
    need(!a.body.includes('\r'), 'body must use \\n line breaks');
  } else {
    need(CODE_PATTERN.test(a.code), 'code must be 6–8 digits');
    need(REQUEST_ID_PATTERN.test(a.requestId), 'request id must be 1–128 characters of A–Z, a–z, 0–9, ".", "_", ":" or "-"');
    textField('service', a.service, MAX_SERVICE_BYTES);
    textField('action', a.action, MAX_ACTION_BYTES);
    need(!/[\r\n\t]/.test(a.service + a.action), 'service and action must be one line');
  }
}

/** The message text for an alert or code. Throws AlertFormatError if a field is invalid or
 *  the result would not fit one Tox message. */
export function encodeAlert(a: Alert): string {
  validate(a);
  const fields: [string, string][] = [
    ['id', a.id],
    ['p', a.priority],
    ['exp', isoSeconds(a.expiresAt)],
  ];
  if (a.link !== null) fields.push(['link', a.link]);
  let human: string[];
  if (a.kind === 'alert') {
    human = [`${ICON[a.priority]} ${a.title.trim()}`];
    if (a.body.length > 0) human.push(a.body);
  } else {
    fields.push(['code', a.code], ['svc', a.service], ['act', a.action], ['rid', a.requestId]);
    human = [`${CODE_ICON} ${a.code} is your ${a.service} code to ${a.action}`, `Valid until ${hhmmUtc(a.expiresAt)}. Do not share it.`];
  }
  const trailer = `toxync/${FORMAT_VERSION} ${a.kind} ${fields.map(([k, v]) => `${k}=${encodeValue(v)}`).join(' ')}`;
  const text = [...human, trailer].join('\n');
  const size = bytes(text);
  if (size > MAX_MESSAGE_BYTES)
    throw new AlertFormatError(`the alert does not fit in one Tox message (${size} > ${MAX_MESSAGE_BYTES} bytes): shorten the body, title or link`);
  return text;
}

const TRAILER = /^toxync\/([0-9]{1,3}) (alert|code)((?: [^ ]+)*)$/;
const FIELD = /^([a-z][a-z0-9_]{0,15})=(.*)$/s;
const ISO = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/;
const KNOWN = new Set(['id', 'p', 'exp', 'link', 'code', 'svc', 'act', 'rid']);

function trailerFields(raw: string): Map<string, string> | null {
  const out = new Map<string, string>();
  const tokens = raw === '' ? [] : raw.slice(1).split(' ');
  if (tokens.length > MAX_FIELDS) return null;
  for (const t of tokens) {
    const m = FIELD.exec(t);
    if (!m) return null;
    const key = m[1]!;
    // A repeated field is ambiguous: which one would another client believe?
    if (out.has(key)) return null;
    if (!KNOWN.has(key)) {
      out.set(key, ''); // unknown (newer) fields are ignored, but still count as seen
      continue;
    }
    try {
      out.set(key, decodeURIComponent(m[2]!));
    } catch {
      return null;
    }
  }
  return out;
}

/** The alert a message carries, or null: not an alert, another format version, or
 *  malformed in any way. Never throws, whatever the input. */
export function parseAlert(text: unknown): Alert | null {
  try {
    return parseUnsafe(text);
  } catch {
    return null; // belt and braces: a parser bug must not become an error dialog
  }
}

function parseUnsafe(text: unknown): Alert | null {
  if (typeof text !== 'string') return null;
  // A UTF-16 code unit is at least one UTF-8 byte: the cheap test first.
  if (text.length > MAX_MESSAGE_BYTES || bytes(text) > MAX_MESSAGE_BYTES) return null;
  const lines = text.split('\n');
  if (lines.length < 2) return null;
  const m = TRAILER.exec(lines[lines.length - 1]!);
  if (!m || Number(m[1]) !== FORMAT_VERSION) return null;
  const kind = m[2] as Alert['kind'];
  const f = trailerFields(m[3]!);
  if (!f) return null;

  const id = f.get('id');
  const priority = f.get('p');
  const exp = f.get('exp');
  if (id === undefined || !ID_PATTERN.test(id)) return null;
  if (!PRIORITIES.includes(priority as Priority)) return null;
  if (exp === undefined || !ISO.test(exp)) return null;
  const expiresAt = Date.parse(exp);
  if (!Number.isFinite(expiresAt)) return null;
  const linkRaw = f.get('link');
  let link: string | null = null;
  if (linkRaw !== undefined) {
    // Kept as sent (bounded) for alertLink.ts to judge; it refuses anything odd in it.
    if (linkRaw.length === 0 || linkRaw.length > MAX_LINK_CHARS) return null;
    link = linkRaw;
  }
  const common = { id, priority: priority as Priority, expiresAt, link };

  if (kind === 'alert') {
    const icon = `${ICON[common.priority]} `;
    const head = lines[0]!;
    if (!head.startsWith(icon)) return null;
    const title = head.slice(icon.length).replace(/\r$/, '');
    if (!title.trim() || bytes(title) > MAX_TITLE_BYTES) return null;
    const body = lines
      .slice(1, -1)
      .map((l) => l.replace(/\r$/, ''))
      .join('\n');
    if (bytes(body) > MAX_BODY_BYTES) return null;
    return { kind, ...common, title: oneLine(title, 1000), body: visibleForm(body) };
  }
  const code = f.get('code');
  const service = f.get('svc');
  const action = f.get('act');
  const requestId = f.get('rid');
  if (code === undefined || !CODE_PATTERN.test(code)) return null;
  if (requestId === undefined || !REQUEST_ID_PATTERN.test(requestId)) return null;
  if (service === undefined || !service.trim() || bytes(service) > MAX_SERVICE_BYTES) return null;
  if (action === undefined || !action.trim() || bytes(action) > MAX_ACTION_BYTES) return null;
  return { kind, ...common, code, service: oneLine(service, 1000), action: oneLine(action, 1000), requestId };
}

/** The mirror for toxync peers: the packet id, then the message's UTF-8 (≤ 1373 bytes, the
 *  custom packet limit), as the hex the node protocol's `custom_packet` carries. */
export function encodeAlertPacket(a: Alert): string {
  let hex = ALERT_PACKET_ID.toString(16);
  // No Buffer: this module also runs in the webview.
  for (const b of encoder.encode(encodeAlert(a))) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** The alert in a `custom_packet` event's hex data, or null (another packet, or malformed). */
export function parseAlertPacket(hex: unknown): Alert | null {
  if (typeof hex !== 'string' || hex.length < 4 || hex.length > 2 * (MAX_MESSAGE_BYTES + 1) || !/^([0-9A-Fa-f]{2})+$/.test(hex)) return null;
  const data = new Uint8Array(hex.length / 2);
  for (let i = 0; i < data.length; i++) data[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  if (data[0] !== ALERT_PACKET_ID) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(1));
  } catch {
    return null;
  }
  return parseAlert(text);
}

/** A one-line summary of an alert for lists and logs: never contains a code's digits. */
export function alertSummary(a: Alert, maxChars = 120): string {
  const s = a.kind === 'alert' ? a.title : `Code for ${a.service}: ${a.action}`;
  return oneLine(capUtf8(s, 4 * maxChars), maxChars);
}
