import { strict as assert } from 'node:assert';
import { fitsAvatar, imageInfo, MAX_AVATAR_SIDE, MAX_IMAGE_SIDE, sniffImageType } from '../../src/common/image';
import { gifHeader, jpegHeader, png, webpLossless } from '../helpers/images';

describe('image sniffing (magic bytes and dimensions)', () => {
  it('reads PNG, JPEG, GIF and WebP headers', () => {
    assert.deepEqual(imageInfo(png(3, 2)), { mime: 'image/png', width: 3, height: 2 });
    assert.deepEqual(imageInfo(jpegHeader(640, 480)), { mime: 'image/jpeg', width: 640, height: 480 });
    assert.deepEqual(imageInfo(gifHeader(16, 9)), { mime: 'image/gif', width: 16, height: 9 });
    assert.deepEqual(imageInfo(webpLossless(100, 50)), { mime: 'image/webp', width: 100, height: 50 });
  });

  it('refuses what is not an image, whatever its name', () => {
    assert.equal(imageInfo(Buffer.from('#!/bin/sh\nrm -rf ~\n')), null);
    assert.equal(imageInfo(Buffer.from('<svg onload=alert(1)>')), null);
    assert.equal(imageInfo(Buffer.alloc(0)), null);
    assert.equal(sniffImageType(Buffer.from('MZ\x90\x00')), null);
  });

  it('refuses truncated headers and absurd dimensions', () => {
    assert.equal(imageInfo(png(3, 2).subarray(0, 20)), null);
    assert.equal(imageInfo(jpegHeader(0, 10)), null);
    assert.equal(imageInfo(gifHeader(65535, 65535)), null);
    const p = png(1, 1);
    p.writeUInt32BE(100_000, 16); // width in IHDR
    assert.equal(imageInfo(p), null);
    assert.equal(imageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), null);
  });

  it('avatars: a declared side over 1024 px is refused, 1024 is accepted; other images keep their own cap', () => {
    assert.equal(MAX_AVATAR_SIDE, 1024);
    const ok = imageInfo(png(1024, 1));
    assert.ok(ok && fitsAvatar(ok), '1024×1 (positive control)');
    const wide = imageInfo(png(1025, 1));
    assert.ok(wide, 'a valid image…');
    assert.equal(fitsAvatar(wide), false, '…but not an avatar');
    const tall = imageInfo(png(1, 1025));
    assert.equal(tall && fitsAvatar(tall), false);
    assert.ok(MAX_IMAGE_SIDE > MAX_AVATAR_SIDE, 'the shared image cap is unchanged');
  });
});
