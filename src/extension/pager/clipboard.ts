// "Copy code": the code goes on the clipboard and comes off it again after 30 s, or at the
// code's expiry if that is sooner, but only if the clipboard still holds the code (whatever
// the user copied since is theirs). Pure apart from the injected clipboard and timers.

import { realTimers, type TimerHost } from './alertStore';

export interface ClipboardLike {
  readText(): PromiseLike<string>;
  writeText(text: string): PromiseLike<void>;
}

export const CLEAR_AFTER_MS = 30_000;

export class CodeClipboard {
  private pending: { handle: unknown; code: string } | null = null;

  constructor(
    private readonly clipboard: ClipboardLike,
    private readonly now: () => number = Date.now,
    private readonly timers: TimerHost = realTimers,
    private readonly clearAfterMs = CLEAR_AFTER_MS,
  ) {}

  async copy(code: string, expiresAt: number): Promise<void> {
    this.cancel();
    await this.clipboard.writeText(code);
    const ms = Math.max(0, Math.min(this.clearAfterMs, expiresAt - this.now()));
    const handle = this.timers.set(() => {
      if (this.pending?.handle !== handle) return;
      this.pending = null;
      void this.wipe(code);
    }, ms);
    this.pending = { handle, code };
  }

  /** Clears the clipboard if it still holds `code`. */
  async wipe(code: string): Promise<void> {
    if ((await this.clipboard.readText()) === code) await this.clipboard.writeText('');
  }

  private cancel(): void {
    if (this.pending) this.timers.clear(this.pending.handle);
    this.pending = null;
  }

  /** On shutdown: no timer left behind, and a code still on the clipboard is wiped now. */
  async dispose(): Promise<void> {
    const p = this.pending;
    this.cancel();
    if (p) await this.wipe(p.code);
  }
}
