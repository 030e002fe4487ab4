// The sender's vocabulary: a delivery's public state, the options, the errors the HTTP layer
// maps to status codes, and the record the sender keeps per delivery.

import { randomBytes } from 'node:crypto';
import type { PagerGif } from '../protocol/pagerGif';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'expired' | 'failed';

export interface DeliveryInfo {
  id: string;
  /** The recipient's public key (64 hex, upper case), or `group:<chat ID>` (groupRoute.ts). */
  to: string;
  status: DeliveryStatus;
  createdAt: number;
  expiresAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  /** Why it failed, for `failed` only. */
  reason: string | null;
}

export interface SenderOptions {
  now?: () => number;
  /** How often queued deliveries are retried and expiries checked. */
  retryMs?: number;
  /** The friend request message sent to a recipient who is not a friend yet. */
  friendRequestMessage?: string;
  /** Also send each alert as a lossless custom packet (for toxync peers). */
  mirrorPacket?: boolean;
  /** How long a finished delivery stays queryable. */
  keepFinishedMs?: number;
  /** Bound on deliveries held (queued, in flight or finished-but-kept). */
  maxDeliveries?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class RecipientError extends RangeError {
  override readonly name = 'RecipientError';
}
export class SenderFullError extends Error {
  override readonly name = 'SenderFullError';
}

export interface Delivery {
  info: DeliveryInfo;
  text: string;
  packet: string | null;
  /** The GIF still to send after the message (once; cleared when sent or refused). */
  gif: PagerGif | null;
  inFlight: boolean;
  /** Names every send of this delivery to the node (the same id on a re-send). */
  dedup: string;
}

export interface Friend {
  friend: number;
  online: boolean;
}

/** A fresh delivery/alert id: 72 random bits, URL- and trailer-safe. */
export function newAlertId(): string {
  return randomBytes(9).toString('base64url');
}

export function errorCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : '';
}
export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
