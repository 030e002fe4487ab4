// What crosses between kdf.ts and its worker thread, checked on receipt on both sides like
// any other boundary (a worker built from a stale or foreign file must not hand back junk
// that the store then uses as a key).

import { type Guard, type Infer, int, obj, ProtocolError, str, tagged } from '../../protocol/guard';

const bytes: Guard<Uint8Array> = (v, path) => {
  if (!(v instanceof Uint8Array) || v.length < 8 || v.length > 64) throw new ProtocolError(`${path}: expected 8..64 bytes`);
  return v;
};

const keyBuffer: Guard<ArrayBuffer> = (v, path) => {
  if (!(v instanceof ArrayBuffer) || v.byteLength < 16 || v.byteLength > 64) throw new ProtocolError(`${path}: expected a key of 16..64 bytes`);
  return v;
};

/** The limits match what vault.json may say (vault.ts). */
export const kdfRequest = obj({
  passphrase: str({ min: 1, max: 65536 }),
  salt: bytes,
  opslimit: int({ min: 1, max: 2 ** 32 - 1 }),
  memlimit: int({ min: 8192, max: 2 ** 32 - 1 }),
  keyBytes: int({ min: 16, max: 64 }),
});
export type KdfRequest = ReturnType<typeof kdfRequest>;

export const kdfReply = tagged('t', {
  key: { key: keyBuffer },
  error: { error: str({ max: 4096 }) },
});
export type KdfReply = Infer<typeof kdfReply>;
