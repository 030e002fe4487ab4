// A bounded pre-pass over one GIF frame's LZW code stream, run before omggif decodes it.
// omggif 1.0.10 (GifReaderLZWOutputIndexStream) takes a code past its dictionary as "the
// previous code again" and still stores that out-of-range code as the prefix of the next
// entry, so a stream of such codes builds a table whose prefix chain loops (entry 7 → 7 → …);
// its `while (chase > clear_code)` then never ends and only the checker's time cap stops it,
// while every other picture waits. In a valid stream each entry's prefix is a smaller code,
// so every chase ends. This pass follows omggif's own reading (sub-blocks, code-size growth,
// clear and end codes, the early stop once the frame is full) without the table, and refuses
// the two codes a valid encoder never writes: one past the next free entry, and the next free
// entry itself with no previous code. One step per code read, so its time is bounded by the
// frame's byte count.

/** Returns why the stream at `p` (its minimum code size byte) is refused, or null. */
export function gifLzwProblem(b: Uint8Array, p: number, pixels: number): string | null {
  if (p >= b.length) return 'the GIF frame has no image data';
  const minCodeSize = b[p++]!;
  if (minCodeSize < 1 || minCodeSize > 8) return `the GIF's LZW code size is ${minCodeSize} (1 to 8 are valid)`;
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  let next = eoi + 1;
  let size = minCodeSize + 1;
  let mask = (1 << size) - 1;
  let cur = 0;
  let shift = 0;
  let sub = p < b.length ? b[p++]! : 0;
  let prev = -1;
  let out = 0;
  // Entry lengths, so the pass knows when the frame is full.
  const len = new Int32Array(4096);
  for (;;) {
    while (shift < 16 && sub !== 0) {
      cur |= (p < b.length ? b[p++]! : 0) << shift;
      shift += 8;
      if (sub === 1) sub = p < b.length ? b[p++]! : 0;
      else sub--;
    }
    if (shift < size) return null; // the data ends without an end code: omggif stops too
    const code = cur & mask;
    cur >>= size;
    shift -= size;
    if (code === clear) {
      next = eoi + 1;
      size = minCodeSize + 1;
      mask = (1 << size) - 1;
      prev = -1;
      continue;
    }
    if (code === eoi) return null;
    if (code > next || (code === next && prev < 0)) return "the GIF's LZW data uses a code past its dictionary";
    const known = code < next;
    const n = known ? (code < clear ? 1 : len[code]!) : (prev < clear ? 1 : len[prev]!) + 1;
    out += n;
    // omggif stops on the first code that would overflow the frame: once it is full, nothing
    // after it is decoded (garbage after the pixels is ignored, so it is not refused here).
    if (out >= pixels) return null;
    if (prev >= 0 && next < 4096) {
      len[next++] = (prev < clear ? 1 : len[prev]!) + 1;
      if (next >= mask + 1 && size < 12) {
        size++;
        mask = (mask << 1) | 1;
      }
    }
    prev = code;
  }
}
