// A virtualised list of variable-height rows: only the rows near the viewport exist in the
// DOM, so 10,000+ messages open as fast as 50. Heights are estimated until a row has been
// drawn once, then measured and remembered; the list sticks to the bottom while the user is
// there (new messages scroll into view) and stays put when they have scrolled up to read.

const ESTIMATE = 44;
const OVERSCAN_PX = 600;

export class VirtualList<T> {
  private items: T[] = [];
  private heights: number[] = [];
  private offsets: number[] = [0]; // offsets[i] = top of row i; offsets[n] = total height
  private dirtyFrom = 1; // offsets[dirtyFrom..] are stale; offsets[0] is always 0
  private readonly spacer: HTMLDivElement;
  private readonly rows = new Map<number, HTMLElement>();
  private stickToBottom = true;
  private frame = 0;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly renderRow: (item: T, index: number) => HTMLElement,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    viewport.appendChild(this.spacer);
    viewport.addEventListener('scroll', () => {
      this.stickToBottom = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 8;
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  get length(): number {
    return this.items.length;
  }

  setItems(items: T[]): void {
    for (const r of this.rows.values()) r.remove();
    this.rows.clear();
    this.items = items;
    this.heights = items.map(() => ESTIMATE);
    this.offsets = [0];
    this.dirtyFrom = 1;
    this.stickToBottom = true;
    this.draw();
  }

  append(items: T[]): void {
    const stick = this.stickToBottom;
    this.dirtyFrom = Math.min(this.dirtyFrom, this.items.length + 1);
    for (const it of items) {
      this.items.push(it);
      this.heights.push(ESTIMATE);
    }
    this.stickToBottom = stick;
    this.draw();
  }

  /** Redraws one row (its data changed, e.g. a delivery state). */
  refresh(index: number, item: T): void {
    if (index < 0 || index >= this.items.length) return;
    this.items[index] = item;
    const old = this.rows.get(index);
    if (old) {
      old.remove();
      this.rows.delete(index);
    }
    this.draw();
  }

  /** Whether the newest row is in view (the list then follows new rows). */
  atBottom(): boolean {
    return this.stickToBottom;
  }

  scrollToBottom(): void {
    this.stickToBottom = true;
    this.draw();
  }

  itemAt(index: number): T | undefined {
    return this.items[index];
  }

  indexWhere(pred: (item: T) => boolean): number {
    for (let i = this.items.length - 1; i >= 0; i--) if (pred(this.items[i]!)) return i;
    return -1;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private offsetOf(i: number): number {
    if (this.dirtyFrom <= i) {
      const n = this.items.length;
      for (let k = this.dirtyFrom; k <= n; k++) this.offsets[k] = this.offsets[k - 1]! + this.heights[k - 1]!;
      this.offsets.length = n + 1;
      this.dirtyFrom = n + 1;
    }
    return this.offsets[i]!;
  }

  private total(): number {
    return this.offsetOf(this.items.length);
  }

  /** First row whose bottom is below `y` (binary search over offsets). */
  private rowAt(y: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsetOf(mid + 1) <= y) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo);
  }

  /** Draws the rows in view, measures them, and repeats once if measuring moved things. */
  draw(): void {
    for (let pass = 0; pass < 3; pass++) {
      this.spacer.style.height = `${this.total()}px`;
      if (this.stickToBottom) this.viewport.scrollTop = this.viewport.scrollHeight;
      const top = Math.max(0, this.viewport.scrollTop - OVERSCAN_PX);
      const bottom = this.viewport.scrollTop + this.viewport.clientHeight + OVERSCAN_PX;
      const first = this.items.length ? this.rowAt(top) : 0;
      let last = first;
      while (last < this.items.length && this.offsetOf(last) < bottom) last++;
      for (const [i, r] of this.rows) {
        if (i < first || i >= last) {
          r.remove();
          this.rows.delete(i);
        }
      }
      let changed = false;
      for (let i = first; i < last; i++) {
        let r = this.rows.get(i);
        if (!r) {
          r = this.renderRow(this.items[i]!, i);
          r.classList.add('vlist-row');
          this.spacer.appendChild(r);
          this.rows.set(i, r);
        }
        r.style.transform = `translateY(${this.offsetOf(i)}px)`;
        const h = r.offsetHeight;
        if (h > 0 && h !== this.heights[i]) {
          this.heights[i] = h;
          this.dirtyFrom = Math.min(this.dirtyFrom, i + 1);
          changed = true;
        }
      }
      if (!changed) break;
      // Rows after a re-measured one move; place them again with the new offsets.
    }
    for (const [i, r] of this.rows) r.style.transform = `translateY(${this.offsetOf(i)}px)`;
    if (this.stickToBottom) this.viewport.scrollTop = this.viewport.scrollHeight;
  }
}
