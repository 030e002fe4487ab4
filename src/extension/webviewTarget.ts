// What a conversation webview may act on: only the conversation the view shows (issue 14,
// finding 4). The webview is the least trusted part of the extension (it renders peer
// text); if it were ever compromised it must not be able to send a message or a file to
// another friend, accept another request or act on another friend's transfer. So the key a
// message carries is not an instruction: it is compared with the view's own target, and a
// message for anything else is dropped.

import type { FromWebview } from '../protocol/webview';
import { formatBytes } from '../common/units';
import { linesText, noticeText } from './surfaceText';

export type Target = { kind: 'friend'; key: string } | { kind: 'request'; key: string } | null;

/** Why a webview message was dropped: a code, for the log (never a key or a name). */
export type DropCode = 'no-target' | 'not-a-friend-view' | 'not-a-request-view' | 'key-mismatch';

export type ActionTarget = { ok: true; key: string | null } | { ok: false; code: DropCode };

/** The key a message may act on: the view's own, when the message names exactly that one. */
export function actionTarget(target: Target, msg: FromWebview): ActionTarget {
  if (!('key' in msg)) return { ok: true, key: null };
  if (!target) return { ok: false, code: 'no-target' };
  const wants = msg.type === 'request_action' ? 'request' : 'friend';
  if (target.kind !== wants) return { ok: false, code: wants === 'friend' ? 'not-a-friend-view' : 'not-a-request-view' };
  // Keys are stored upper-case; the protocol accepts either case.
  if (msg.key.toUpperCase() !== target.key.toUpperCase()) return { ok: false, code: 'key-mismatch' };
  return { ok: true, key: target.key };
}

export interface DroppedFile {
  name: string;
  size: number;
}

const LISTED = 10;

/** The modal before sending dropped files: to whom, how many, each name and size. */
export function dropMessage(friendName: string, files: readonly DroppedFile[]): string {
  const total = files.reduce((a, f) => a + f.size, 0);
  return `Send ${files.length === 1 ? 'this file' : `these ${files.length} files`} (${formatBytes(total)}) to ${noticeText(friendName, 60)}?`;
}

export function dropDetail(files: readonly DroppedFile[]): string {
  const lines = files.slice(0, LISTED).map((f) => `${f.name} — ${formatBytes(f.size)}`);
  if (files.length > LISTED) lines.push(`…and ${files.length - LISTED} more`);
  return linesText(lines, 120);
}
