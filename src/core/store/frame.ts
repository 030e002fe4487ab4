// Plaintext framing shared by blobs and log records: a length prefix, then padding to a
// bucket size, so a file's or record's size says little about its content (a name, a short
// "ok" or a long message look alike within a bucket).

export function pad(data: Uint8Array, bucket: number): Uint8Array {
  const len = 4 + data.length;
  const out = new Uint8Array(Math.ceil(len / bucket) * bucket);
  new DataView(out.buffer).setUint32(0, data.length, true);
  out.set(data, 4);
  return out;
}

/** null when the framing is impossible (never happens for authenticated data we wrote). */
export function unpad(framed: Uint8Array): Uint8Array | null {
  if (framed.length < 4) return null;
  // u32 LE by hand: a DataView per record was measurable when loading a long history.
  const n = (framed[0]! | (framed[1]! << 8) | (framed[2]! << 16) | (framed[3]! << 24)) >>> 0;
  return n <= framed.length - 4 ? framed.subarray(4, 4 + n) : null;
}
