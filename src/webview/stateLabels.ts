// The words and marks for message and file transfer states, shown beside messages and on file
// cards (the full words as tooltips where only a mark is drawn).

import type { DeliveryState, TransferView } from '../protocol/webview';

export const STATE_LABEL: Record<DeliveryState, string> = {
  queued: 'queued — goes out when they come online',
  sending: 'sending…',
  sent: 'sent',
  delivered: 'delivered',
  failed: 'not sent',
};
export const STATE_MARK: Record<DeliveryState, string> = { queued: '◷', sending: '…', sent: '✓', delivered: '✓✓', failed: '⚠' };

export const TRANSFER_LABEL: Record<TransferView['state'], string> = {
  offered: 'offered',
  waiting: 'waits until your friend is online',
  pending: 'waiting for your friend to accept',
  active: '',
  paused: 'paused',
  interrupted: 'interrupted — continues when your friend is back',
  done: 'complete',
  failed: 'failed',
  cancelled: 'cancelled',
};
