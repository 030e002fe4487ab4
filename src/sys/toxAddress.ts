// Tox IDs (addresses) and public keys as users paste them: validated here, before any
// byte crosses the FFI, so a typo is a clear RangeError instead of a libtoxcore error code.

export const PUBLIC_KEY_SIZE = 32;
export const NOSPAM_SIZE = 4;
export const ADDRESS_SIZE = PUBLIC_KEY_SIZE + NOSPAM_SIZE + 2;

const HEX = /^[0-9a-fA-F]*$/;

/** The 2-byte checksum tox.h defines: XOR of the first 36 bytes, taken in pairs. */
export function addressChecksum(first36: Uint8Array): [number, number] {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < PUBLIC_KEY_SIZE + NOSPAM_SIZE; i += 2) {
    even ^= first36[i] ?? 0;
    odd ^= first36[i + 1] ?? 0;
  }
  return [even, odd];
}

function hexBytes(what: string, input: unknown, bytes: number): Buffer {
  if (typeof input !== 'string') throw new TypeError(`${what} must be a string of ${bytes * 2} hex characters`);
  // People paste IDs with spaces, newlines or a "tox:" prefix; strip those, nothing else.
  const s = input.trim().replace(/^tox:/i, '').replace(/\s+/g, '');
  if (!HEX.test(s)) throw new RangeError(`${what} contains characters that are not hexadecimal`);
  if (s.length !== bytes * 2) throw new RangeError(`${what} must be ${bytes * 2} hex characters, got ${s.length}`);
  return Buffer.from(s, 'hex');
}

/** Parses a 76-hex-character Tox ID and verifies its checksum. */
export function parseToxId(input: unknown): Buffer {
  const b = hexBytes('Tox ID', input, ADDRESS_SIZE);
  const [c0, c1] = addressChecksum(b);
  if (b[36] !== c0 || b[37] !== c1) {
    throw new RangeError('Tox ID checksum does not match: the ID was mistyped or truncated');
  }
  return b;
}

/** Parses a 64-hex-character public key (a friend's identity without nospam/checksum). */
export function parsePublicKey(input: unknown): Buffer {
  return hexBytes('public key', input, PUBLIC_KEY_SIZE);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Builds a Tox ID from a public key and nospam (used by tests and by "change nospam"). */
export function makeToxId(publicKey: Uint8Array, nospam: number): Buffer {
  if (publicKey.length !== PUBLIC_KEY_SIZE) throw new RangeError('public key must be 32 bytes');
  if (!Number.isInteger(nospam) || nospam < 0 || nospam > 0xffffffff) throw new RangeError('nospam must be a uint32');
  const b = Buffer.alloc(ADDRESS_SIZE);
  b.set(publicKey, 0);
  b.writeUInt32BE(nospam, PUBLIC_KEY_SIZE);
  const [c0, c1] = addressChecksum(b);
  b[36] = c0;
  b[37] = c1;
  return b;
}
