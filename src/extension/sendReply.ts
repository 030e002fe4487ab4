// The host's answer to a webview `send` (protocol/webview.ts): request/response, so the
// webview keeps the draft when the message was refused and shows why. No `vscode` import:
// tested as a unit.

import { check } from '../protocol/guard';
import { sendRequestOnly, type ToWebview } from '../protocol/webview';
import type { DropCode } from './webviewTarget';

export type SendResult = Extract<ToWebview, { type: 'send_result' }>;

const MAX_ERROR = 4000;

/** Runs `send` (the chat model's, which throws on a refusal) and says how it went. */
export function sendReply(request_id: number, send: () => unknown): SendResult {
  try {
    send();
    return { type: 'send_result', request_id, ok: true };
  } catch (e) {
    return { type: 'send_result', request_id, ok: false, error: (e instanceof Error ? e.message : String(e)).slice(0, MAX_ERROR) };
  }
}

/** A send for another conversation than the view's own (webviewTarget.ts) is refused, and said so. */
export function refusedSendReply(request_id: number, code: DropCode): SendResult {
  return { type: 'send_result', request_id, ok: false, error: `not sent: this view does not show that conversation (${code})` };
}

/** The reply to a webview message that failed the guard, if it was a `send` we can name:
 *  the reason is the guard's (which field, which limit), never the text itself. */
export function invalidSendReply(raw: unknown, guardError: string): SendResult | null {
  const r = check(sendRequestOnly, raw);
  if (!r.ok) return null;
  return { type: 'send_result', request_id: r.value.request_id, ok: false, error: `not sent: ${guardError}`.slice(0, MAX_ERROR) };
}
