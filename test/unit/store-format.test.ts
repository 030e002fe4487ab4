// The conversation log's on-disk format, checked against its description in src/core/store/log.ts
// byte by byte, independently of RecordLog: a log written here by hand opens, and a log that
// RecordLog writes opens here by hand. Guards against a speed-up that changes what is sealed
// (the associated data: "toxync/log/v1" ‖ file id ‖ record index as u64 LE), which would make
// every existing history unreadable.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordLog } from '../../src/core/store/log';
import { sodium, type Sodium } from '../../src/core/store/sodium';

const LABEL = new TextEncoder().encode('toxync/log/v1');

function adFor(fileId: Uint8Array, seq: number): Uint8Array {
  const ad = new Uint8Array(LABEL.length + 16 + 8);
  ad.set(LABEL, 0);
  ad.set(fileId, LABEL.length);
  new DataView(ad.buffer).setBigUint64(LABEL.length + 16, BigInt(seq), true);
  return ad;
}

/** u32 LE length ‖ data, zero-padded to a multiple of 64 bytes. */
function framed(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((4 + data.length) / 64) * 64);
  new DataView(out.buffer).setUint32(0, data.length, true);
  out.set(data, 4);
  return out;
}

function handWritten(s: Sodium, key: Uint8Array, fileId: Uint8Array, payloads: string[]): Uint8Array {
  const parts: number[] = [0x54, 0x58, 0x59, 0x4c, 1, ...fileId];
  payloads.forEach((p, seq) => {
    const nonce = s.randombytes_buf(24);
    const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(framed(new TextEncoder().encode(p)), adFor(fileId, seq), null, nonce, key);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, nonce.length + ct.length, true);
    parts.push(...len, ...nonce, ...ct);
  });
  return new Uint8Array(parts);
}

describe('conversation log format', () => {
  let dir: string;
  let s: Sodium;
  let key: Uint8Array;
  before(async () => {
    s = await sodium();
    key = s.randombytes_buf(32);
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'toxync-logfmt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a log written by hand to the documented format opens with every record', () => {
    const path = join(dir, 'a.log');
    writeFileSync(path, handWritten(s, key, s.randombytes_buf(16), ['zero', 'one', 'two']));
    const opened = RecordLog.open(s, key, path);
    opened.log.close();
    assert.deepEqual(
      opened.records.map((r) => new TextDecoder().decode(r)),
      ['zero', 'one', 'two'],
    );
    assert.equal(opened.damage, null);
    assert.equal(opened.tornTail, false);
  });

  it('positive control: the same file with two records swapped does not open as written', () => {
    const path = join(dir, 'b.log');
    const fileId = s.randombytes_buf(16);
    const a = handWritten(s, key, fileId, ['zero']);
    const b = handWritten(s, key, fileId, ['zero', 'one']);
    // Record 1 ("one", sealed for index 1) put at index 0: its AD no longer matches.
    writeFileSync(path, new Uint8Array([...a.subarray(0, 21), ...b.subarray(a.length), ...a.subarray(21)]));
    const opened = RecordLog.open(s, key, path);
    opened.log.close();
    assert.notDeepEqual(
      opened.records.map((r) => new TextDecoder().decode(r)),
      ['one', 'zero'],
    );
    assert.ok(opened.damage || opened.tornTail);
  });

  it('what RecordLog appends opens by hand with the documented associated data', () => {
    const path = join(dir, 'c.log');
    const log = RecordLog.create(s, key, path);
    log.append(['first', 'second'].map((t) => new TextEncoder().encode(t)));
    log.append([new TextEncoder().encode('third')]);
    log.close();
    const buf = new Uint8Array(readFileSync(path));
    const fileId = buf.subarray(5, 21);
    const got: string[] = [];
    for (let off = 21, seq = 0; off < buf.length; seq++) {
      const len = new DataView(buf.buffer, buf.byteOffset).getUint32(off, true);
      const box = buf.subarray(off + 4, off + 4 + len);
      const plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(24), adFor(fileId, seq), box.subarray(0, 24), key);
      const n = new DataView(plain.buffer, plain.byteOffset).getUint32(0, true);
      got.push(new TextDecoder().decode(plain.subarray(4, 4 + n)));
      off += 4 + len;
    }
    assert.deepEqual(got, ['first', 'second', 'third']);
  });
});
