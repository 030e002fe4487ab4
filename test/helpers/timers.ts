// Timers driven by hand for the pager's pure modules (AlertStore, CodeClipboard, the
// controller): time only moves when a test says so. No import side effects.

import { strict as assert } from 'node:assert';
import type { TimerHost } from '../../src/extension/pager/alertStore';

/** Timers run by hand; records every clear so "cleared exactly once" can be checked. */
export class ManualTimers implements TimerHost {
  private next = 1;
  readonly live = new Map<number, { fn: () => void; at: number }>();
  readonly cleared: number[] = [];
  constructor(private readonly clock: { t: number }) {}
  set(fn: () => void, ms: number): unknown {
    const h = this.next++;
    this.live.set(h, { fn, at: this.clock.t + ms });
    return h;
  }
  clear(h: unknown): void {
    assert.ok(!this.cleared.includes(h as number), `timer ${String(h)} cleared twice`);
    this.cleared.push(h as number);
    this.live.delete(h as number);
  }
  /** Advances the clock, firing due timers in order. */
  advance(ms: number): void {
    const end = this.clock.t + ms;
    for (;;) {
      const due = [...this.live].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.live.delete(due[0]);
      this.clock.t = due[1].at;
      due[1].fn();
    }
    this.clock.t = end;
  }
}
