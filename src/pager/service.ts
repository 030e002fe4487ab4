// The pager's operations, whatever calls them (the HTTP API, `toxync pager send`): send an
// alert, issue a code and deliver it, verify a code, look up a delivery. Inputs are already
// type-checked (http.ts guards them); the rules that need state are checked here.

import type { Alert, Priority } from '../protocol/pagerAlert';
import type { PagerGif } from '../protocol/pagerGif';
import type { CodeBook, VerifyResult } from './codes';
import { type DeliveryInfo, newAlertId, type PagerSender } from './sender';

export const MAX_ALERT_TTL_S = 7 * 24 * 3600;
export const DEFAULT_ALERT_TTL_S = 3600;
export const DEFAULT_CODE_TTL_S = 300;

export interface AlertRequest {
  to: string;
  title: string;
  body?: string;
  priority?: Priority;
  link?: string | null;
  ttl_s?: number;
  /** A generated GIF sent after the alert, as a file (checked by http.ts's guard). */
  gif?: PagerGif;
}

export interface CodeRequest {
  to: string;
  service: string;
  action: string;
  request_id: string;
  ttl_s?: number;
  digits?: number;
}

export class PagerService {
  constructor(
    private readonly sender: PagerSender,
    private readonly codes: CodeBook,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues an alert; throws RecipientError / AlertFormatError / SenderFullError. */
  sendAlert(req: AlertRequest): { id: string; expires_at: number } {
    const ttl = req.ttl_s ?? DEFAULT_ALERT_TTL_S;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_ALERT_TTL_S) throw new RangeError(`ttl_s must be 1 to ${MAX_ALERT_TTL_S}`);
    const alert: Alert = {
      kind: 'alert',
      id: newAlertId(),
      title: req.title,
      body: req.body ?? '',
      priority: req.priority ?? 'info',
      link: req.link ?? null,
      expiresAt: this.expiry(ttl),
    };
    const d = this.sender.deliver(req.to, alert, req.gif ?? null);
    return { id: d.id, expires_at: Math.floor(d.expiresAt / 1000) };
  }

  /** Issues a code and queues its delivery. The code itself never leaves this function
   *  except inside the Tox message to the recipient. */
  issueCode(req: CodeRequest): { id: string; expires_at: number } {
    const { key } = this.sender.recipient(req.to); // checked first: rate limits are per recipient
    const ttlS = req.ttl_s ?? DEFAULT_CODE_TTL_S;
    const issued = this.codes.issue({
      recipient: key,
      requestId: req.request_id,
      ttlMs: ttlS * 1000,
      ...(req.digits !== undefined ? { digits: req.digits } : {}),
    });
    try {
      const d = this.sender.deliver(req.to, {
        kind: 'code',
        id: newAlertId(),
        priority: 'warning',
        link: null,
        // Whole seconds, as the message carries it: the recipient's countdown ends no later
        // than the code does.
        expiresAt: Math.floor(issued.expiresAt / 1000) * 1000,
        code: issued.code,
        service: req.service,
        action: req.action,
        requestId: req.request_id,
      });
      return { id: d.id, expires_at: Math.floor(d.expiresAt / 1000) };
    } catch (e) {
      this.codes.revoke(req.request_id); // not delivered: it must not stay guessable
      throw e;
    }
  }

  verifyCode(requestId: string, code: string): VerifyResult {
    return this.codes.verify(requestId, code);
  }

  alertStatus(id: string): DeliveryInfo | null {
    return this.sender.status(id);
  }

  private expiry(ttlS: number): number {
    return Math.floor((this.now() + ttlS * 1000) / 1000) * 1000;
  }
}
