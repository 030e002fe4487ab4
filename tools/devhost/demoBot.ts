// The echo bot of `npm start`, so a newcomer meets every headline feature in the first minutes:
// it sends your messages back, takes any file you send (into the demo's temporary folder) and
// answers with its SHA-256, and on request sends what toxync's pager sends — a pager alert with
// a Conti link (`/pager`) or a one-time code (`/code`), in the real wire format
// (src/protocol/pagerAlert.ts), so toxync shows them as alerts once the bot is marked as a
// pager source. It drives a plain `toxync run` node (no --echo) over its JSON protocol.

import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import type { NodeEvent } from '../../src/protocol/node';
import { encodeAlert } from '../../src/protocol/pagerAlert';
import type { CliNode } from './cliNode';

/** What a newcomer can ask for; sent as the bot's status message and on `/help`. */
export const BOT_HELP =
  'I send your messages back. Send me a file and I answer with its SHA-256. ' +
  '/pager: a pager alert with a Conti link. /code: a one-time code. ' +
  '(Alerts and codes show as such once you mark me as a pager source: right-click me in Contacts → "Receive Pager Alerts From This Contact".)';

const MAX_FILE_BYTES = 100 * 1024 * 1024;
const ALERT_LIFETIME_MS = 60 * 60 * 1000;
const CODE_LIFETIME_MS = 5 * 60 * 1000;

/** A toxync sender splits a long message into parts of one dedup id; the bot waits this long
 *  after a part for the next before it answers, so a long message is echoed as one. */
const PART_WAIT_MS = 300;

const alertId = () => randomBytes(9).toString('base64url');

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export function pagerAlertText(now: number): string {
  return encodeAlert({
    kind: 'alert',
    id: alertId(),
    priority: 'warning',
    expiresAt: now + ALERT_LIFETIME_MS,
    link: '/ci/runs/812',
    title: 'Build failed',
    body: 'main: the test step failed on run #812 (a demo alert from the echo bot).',
  });
}

export function oneTimeCodeText(now: number): string {
  return encodeAlert({
    kind: 'code',
    id: alertId(),
    priority: 'info',
    expiresAt: now + CODE_LIFETIME_MS,
    link: null,
    code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    service: 'Conti',
    action: 'sign in',
    requestId: `demo-${alertId()}`,
  });
}

export class DemoBot {
  /** Incoming files by friend and file number: their names, for the answer. */
  private readonly names = new Map<string, string>();
  /** Friends greeted with the help text this run (once each, when they first come online). */
  private readonly greeted = new Set<string>();
  /** Parts of split messages still arriving, by friend and dedup id. */
  private readonly parts = new Map<string, { text: string; timer: NodeJS.Timeout }>();

  constructor(
    private readonly node: CliNode,
    private readonly filesDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Takes over the node's events; call once, after `ready`. */
  attach(): void {
    mkdirSync(this.filesDir, { recursive: true, mode: 0o700 });
    this.node.onEvent = (e) => this.handle(e);
  }

  /** Sends with a dedup id, so the recipient's toxync can tell the parts of a long answer
   *  belong together (and show them as one message). */
  private send(friend: number, text: string, action = false): void {
    const dedup = randomBytes(16).toString('hex');
    this.node.command({ cmd: 'send', friend, text, action, dedup }).catch((e: unknown) => this.log(`send failed: ${String(e)}`));
  }

  /** Stops waiting for parts (the node is stopping). */
  dispose(): void {
    for (const p of this.parts.values()) clearTimeout(p.timer);
    this.parts.clear();
  }

  private onText(friend: number, text: string, action: boolean): void {
    const cmd = text.trim().toLowerCase();
    if (cmd === '/pager') this.send(friend, pagerAlertText(Date.now()));
    else if (cmd === '/code') this.send(friend, oneTimeCodeText(Date.now()));
    else if (cmd === '/help') this.send(friend, BOT_HELP);
    else this.send(friend, text, action);
  }

  private handle(e: NodeEvent): void {
    if (e.event === 'friend_connection' && e.status !== 'none' && !this.greeted.has(e.public_key)) {
      this.greeted.add(e.public_key);
      this.send(e.friend, `Hello! ${BOT_HELP}`);
    } else if (e.event === 'message') {
      const action = e.type === 'action';
      if (e.dedup === undefined) return this.onText(e.friend, e.text, action);
      const key = `${e.friend}:${e.dedup}`;
      const held = this.parts.get(key);
      if (held) clearTimeout(held.timer);
      const text = (held?.text ?? '') + e.text;
      const timer = setTimeout(() => {
        this.parts.delete(key);
        this.onText(e.friend, text, action);
      }, PART_WAIT_MS);
      this.parts.set(key, { text, timer });
    } else if (e.event === 'file_recv' && e.kind === 'data') {
      this.names.set(`${e.friend}:${e.file}`, e.name);
      this.node
        .command({ cmd: 'file_accept', friend: e.friend, file: e.file, dir: this.filesDir, max_bytes: MAX_FILE_BYTES })
        .catch((err: unknown) => this.send(e.friend, `I could not take "${e.name}": ${err instanceof Error ? err.message : String(err)}`));
    } else if (e.event === 'file_done' && e.direction === 'recv') {
      const key = `${e.friend}:${e.file}`;
      const name = this.names.get(key) ?? 'your file';
      this.names.delete(key);
      sha256(e.path).then(
        (hex) => this.send(e.friend, `Got "${name}" (${e.bytes} bytes). SHA-256: ${hex}`),
        (err: unknown) => this.log(`hashing ${e.path} failed: ${String(err)}`),
      );
    } else if (e.event === 'file_error' && e.direction === 'recv') {
      this.names.delete(`${e.friend}:${e.file}`);
      this.send(e.friend, `Your file did not arrive: ${e.message}`);
    }
  }
}
