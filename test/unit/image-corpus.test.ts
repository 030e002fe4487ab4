// The hostile-image corpus (issue 19): every file is refused or re-encoded by the image
// checker process within its time cap; the checker may die, this process never does; and
// nothing shown carries the original's bytes — only a canonical PNG or GIF re-encoded from
// pixels. Positive controls prove each check can see what it guards against.

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { imageInfo } from '../../src/common/image';
import { ImageChecker, type ImageVerdict } from '../../src/core/supervisor/imageChecker';
import { canonicalImage, ImageRefused } from '../../src/node/imageCheck';
import { readGif } from '../helpers/gifcheck';
import { animatedGif, carriesOriginal, hostileCorpus, photo } from '../helpers/hostileImages';
import { hostileWebps, realWebps } from '../helpers/hostileWebp';
import { png } from '../helpers/images';
import { loadWebpDecoder } from '../../src/node/webpDecode';
import { PNG } from 'pngjs';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'dist', 'imagecheck.js');
const CAP = 8 * 2 ** 20;
const bytesOf = (v: Extract<ImageVerdict, { ok: true }>) => Buffer.from(v.src.slice(v.src.indexOf(',') + 1), 'base64');

describe('hostile images: refused or re-encoded, never passed through', function () {
  this.timeout(120_000);
  let dir: string;
  let checker: ImageChecker;
  before(async () => {
    // The in-process checks below use the same wasm the checker process loads from dist/.
    await loadWebpDecoder(path.join(ROOT, 'dist', 'webp_dec.wasm'));
    dir = mkdtempSync(path.join(tmpdir(), 'toxync-img-'));
    // A shorter cap than the extension's 10 s: no file of the corpus should need it (it stays the backstop).
    checker = new ImageChecker(SCRIPT, { timeoutMs: 4000 });
  });
  after(() => {
    checker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const h of [...hostileCorpus(), ...hostileWebps()]) {
    it(h.name, async () => {
      const file = path.join(dir, `${h.name.replace(/[^a-z0-9]+/gi, '_')}.png`);
      writeFileSync(file, h.bytes);
      const v = await checker.check(file, h.bytes.length > CAP ? h.bytes.length : CAP);
      if (h.expect === 'shown') assert.ok(v.ok, v.ok ? '' : v.reason);
      if (h.expect === 'refused') assert.ok(!v.ok, 'refused');
      if (!v.ok) {
        if (h.reason) assert.match(v.reason, h.reason);
        assert.doesNotMatch(v.reason, /took too long|stopped/, 'refused by a check, within the time cap');
        return;
      }
      assert.match(v.src, /^data:image\/(png|gif);base64,[A-Za-z0-9+/]+={0,2}$/);
      const out = bytesOf(v);
      const info = imageInfo(out);
      assert.ok(info && `data:${info.mime}` === v.src.slice(0, v.src.indexOf(';')), 'the data: URI says what the bytes are');
      assert.ok(!out.equals(h.bytes), 'not the original');
      assert.ok(!carriesOriginal(out, h.bytes), 'no run of the original survives');
      for (const m of h.markers ?? []) assert.ok(!out.includes(Buffer.from(m, 'binary')), `no ${m}`);
    });
  }

  it('positive control: the checks see original bytes, a payload and a passed-through file', () => {
    const orig = photo(48, 32);
    const polyglot = Buffer.concat([orig, Buffer.from('PK\x03\x04zip-polyglot-payload.txt', 'binary')]);
    assert.ok(carriesOriginal(polyglot, orig), 'the original itself is caught');
    assert.ok(carriesOriginal(Buffer.concat([png(8, 8), orig.subarray(100, 400)]), orig), 'a slice of it inside another file is caught');
    assert.ok(polyglot.includes(Buffer.from('zip-polyglot-payload')), 'the marker check sees a payload');
    assert.ok(!carriesOriginal(canonicalImage(orig).data, orig), 'its canonical copy passes');
  });

  it('an animation stays animated; a still becomes PNG; metadata is dropped', () => {
    const g = canonicalImage(animatedGif(32, 16, 3));
    assert.equal(g.mime, 'image/gif');
    assert.equal(readGif(g.data).frames, 3);
    const one = canonicalImage(animatedGif(8, 8, 1));
    assert.equal(one.mime, 'image/png');
    const still = canonicalImage(photo(20, 10));
    assert.equal(still.mime, 'image/png');
    assert.deepEqual([still.width, still.height], [20, 10]);
    for (const chunk of ['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME']) assert.ok(!Buffer.from(still.data).includes(Buffer.from(chunk)), chunk);
    assert.throws(() => canonicalImage(Buffer.from('hello')), ImageRefused);
  });

  it('WebP: a lossless still decodes to exactly its pixels, a lossy one close to them, both as PNG', () => {
    const w = realWebps(40, 24);
    const src = PNG.sync.read(w.source).data;
    const exact = canonicalImage(w.lossless);
    assert.equal(exact.mime, 'image/png');
    assert.deepEqual([exact.width, exact.height, exact.frames], [40, 24, 1]);
    assert.ok(PNG.sync.read(Buffer.from(exact.data)).data.equals(src), 'lossless: the same pixels');
    const lossy = PNG.sync.read(Buffer.from(canonicalImage(w.lossy).data)).data;
    const meanDiff = (a: Buffer, b: Buffer) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    // Positive control: a wrong decode (a blank picture) is far off; the lossy one is near.
    assert.ok(meanDiff(src, Buffer.alloc(src.length)) > 40, 'a blank picture is far from the source');
    assert.ok(meanDiff(src, lossy) < 12, `lossy: near the source (mean difference ${meanDiff(src, lossy)})`);
    assert.ok(!Buffer.from(exact.data).includes(Buffer.from('VP8')), 'no WebP chunk in the output');
    assert.throws(() => canonicalImage(w.animated), /animated WebP/);
  });

  it('the time cap: a checker that does not answer in time is killed, and the next picture gets a new one', async () => {
    const slow = new ImageChecker(SCRIPT, { timeoutMs: 1 });
    const file = path.join(dir, 'big.jpg');
    writeFileSync(file, photo(1024, 768));
    try {
      const v = await slow.check(file, CAP);
      assert.ok(!v.ok && /took too long/.test(v.reason), 'refused on the time cap');
    } finally {
      slow.dispose();
    }
    const before = checker.spawned;
    const killed = new ImageChecker(SCRIPT);
    try {
      const first = killed.check(file, CAP);
      // The decoder dies mid-picture (as on a crash): this process carries on and says why.
      setImmediate(() => (killed as unknown as { child: { kill(s: string): void } }).child.kill('SIGKILL'));
      const v = await first;
      assert.ok(!v.ok && /stopped/.test(v.reason), v.ok ? 'shown' : v.reason);
      const again = await killed.check(file, CAP);
      assert.ok(again.ok, 'a new checker process handles the next picture');
      assert.equal(killed.spawned, 2);
    } finally {
      killed.dispose();
    }
    assert.equal(checker.spawned, before);
  });

  it('a file over the size setting is refused before it is read', async () => {
    const file = path.join(dir, 'over.png');
    writeFileSync(file, png(64, 64));
    const v = await checker.check(file, 100);
    assert.ok(!v.ok && /larger than the inline picture limit/.test(v.reason));
  });
});
