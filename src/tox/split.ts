// Splits outgoing text into Tox messages of at most `max` UTF-8 bytes
// (tox_max_message_length(), 1372 in 0.2.23) without ever cutting a character in half.
// Prefers to break after a newline, then after a space, in the last quarter of a chunk,
// so long pastes arrive readable; otherwise breaks at the last whole code point.

const encoder = new TextEncoder();

/** Byte length of the longest prefix of `bytes` that ends on a UTF-8 code point boundary. */
function codePointBoundary(bytes: Uint8Array, limit: number): number {
  let end = Math.min(limit, bytes.length);
  // Continuation bytes look like 10xxxxxx; back up until `end` starts a code point.
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return end;
}

export function splitMessage(text: string, max: number): Buffer[] {
  if (!Number.isInteger(max) || max < 4) throw new RangeError('max message length must be an integer ≥ 4');
  const bytes = encoder.encode(text);
  const parts: Buffer[] = [];
  let start = 0;
  while (bytes.length - start > max) {
    const window = bytes.subarray(start);
    let cut = codePointBoundary(window, max);
    // Look for a nicer break (newline, then space) in the last quarter of the window.
    const floor = Math.floor((max * 3) / 4);
    const nl = window.lastIndexOf(0x0a, cut - 1);
    const sp = window.lastIndexOf(0x20, cut - 1);
    if (nl >= floor) cut = nl + 1;
    else if (sp >= floor) cut = sp + 1;
    if (cut <= 0) cut = codePointBoundary(window, max) || max; // a lone over-long sequence: cannot happen with valid UTF-8
    parts.push(Buffer.from(window.subarray(0, cut)));
    start += cut;
  }
  if (start < bytes.length || parts.length === 0) parts.push(Buffer.from(bytes.subarray(start)));
  return parts;
}
