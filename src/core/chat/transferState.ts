// A file transfer as the user sees it — its state, its progress (speed and ETA, from the
// node's progress samples) and the plain values the webview is told — apart from the model
// that drives it (fileTransfers.ts), because the extension's panels read it too.

import { basename } from 'node:path';
import type { TransferView } from '../../protocol/webview';
import { safeFileName } from '../../common/filename';

export type TransferState = 'offered' | 'waiting' | 'pending' | 'active' | 'paused' | 'interrupted' | 'done' | 'failed' | 'cancelled';

export interface Transfer {
  /** The chat message this transfer is shown as. */
  id: string;
  key: string;
  dir: 'in' | 'out';
  fileId: string | null;
  /** in: the sender's name (untrusted text); out: the name we sent. */
  name: string;
  size: number | null;
  friend: number;
  /** toxcore's file number while the transfer is live on the current node, else null. */
  file: number | null;
  epoch: number;
  bytes: number;
  state: TransferState;
  pausedByUs: boolean;
  pausedByPeer: boolean;
  /** in: where it is (being) saved; out: the file sent. */
  path: string | null;
  error: string | null;
  code: string | null;
  /** A partial download kept after a failure (discard() deletes it). */
  partial: string | null;
  /** Bytes per second, smoothed; 0 until measured. */
  speed: number;
  auto: boolean;
  sample: { t: number; bytes: number } | null;
}

const FINAL: ReadonlySet<TransferState> = new Set(['done', 'failed', 'cancelled']);
const SMOOTHING = 0.3;

export function isFinal(t: Transfer): boolean {
  return FINAL.has(t.state);
}

/** Seconds left at the current speed, or null when unknown. */
export function etaSeconds(t: Transfer): number | null {
  if (t.size === null || t.speed <= 0 || isFinal(t)) return null;
  return Math.max(0, (t.size - t.bytes) / t.speed);
}

/** Takes a progress sample: the speed is smoothed so the ETA does not jump with every
 *  chunk burst (the node reports at most every 250 ms). */
export function sampleProgress(t: Transfer, bytes: number, now: number): void {
  if (t.sample && now > t.sample.t && bytes >= t.sample.bytes) {
    const inst = ((bytes - t.sample.bytes) * 1000) / (now - t.sample.t);
    t.speed = t.speed > 0 ? t.speed * (1 - SMOOTHING) + inst * SMOOTHING : inst;
  }
  t.sample = { t: now, bytes };
  t.bytes = bytes;
}

/** What the webview is told about a transfer (plain values; the name only sanitised). */
export function transferView(t: Transfer): TransferView {
  return {
    id: t.id,
    state: t.state,
    bytes: t.bytes,
    size: t.size,
    speed: Math.round(t.speed),
    eta: etaSeconds(t),
    paused_by_us: t.pausedByUs,
    paused_by_peer: t.pausedByPeer,
    saved_name: t.dir === 'in' ? (t.path ? basename(t.path) : safeFileName(t.name)) : null,
    error: t.error ? t.error.slice(0, 4096) : null,
    partial: t.partial !== null,
    auto: t.auto,
  };
}
