// Argument checks run before anything crosses the FFI: a bad value is a TypeError or
// RangeError that names the argument, never a libtoxcore error code or a crash.

export function u16(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`${what} must be an integer 0..65535`);
  return n;
}
export function u32(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${what} must be an integer 0..4294967295`);
  return n;
}
export function u64(what: string, n: number | bigint): bigint {
  const b = typeof n === 'bigint' ? n : Number.isInteger(n) ? BigInt(n) : -1n;
  if (b < 0n || b > U64_MAX) throw new RangeError(`${what} must be an integer 0..2^64-1`);
  return b;
}
export function utf8(what: string, s: string, max: number, allowEmpty = true): Buffer {
  if (typeof s !== 'string') throw new TypeError(`${what} must be a string`);
  const b = Buffer.from(s, 'utf8');
  if (b.length > max) throw new RangeError(`${what} is ${b.length} bytes; the limit is ${max}`);
  if (!allowEmpty && b.length === 0) throw new RangeError(`${what} must not be empty`);
  return b;
}
export function bytesArg(what: string, data: Uint8Array, max: number): Buffer {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${what} must be bytes`);
  if (data.length === 0 || data.length > max) throw new RangeError(`${what} must be 1..${max} bytes`);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

const U64_MAX = 0xffffffffffffffffn;
