// Recognises the image formats toxync shows inline (PNG, JPEG, GIF, WebP) by their magic
// bytes and reads their dimensions from the header, without decoding anything. Used for
// avatars (a peer's avatar is shown only if it passes) and for "images only" auto-accept.
// A file's name or a peer's claim never decides what it is; these bytes do.

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface ImageInfo {
  mime: ImageMime;
  width: number;
  height: number;
}

/** Beyond this in either direction an "image" is refused (decompression bombs). */
export const MAX_IMAGE_SIDE = 16_384;

/** Avatars are small pictures shown for every contact: a side beyond this is refused.
 *  A separate cap, not MAX_IMAGE_SIDE (inline images, files "images only" rule). */
export const MAX_AVATAR_SIDE = 1024;

/** How many leading bytes sniffImageType needs. */
export const SNIFF_BYTES = 12;

const u16be = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number): number => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const ascii = (b: Uint8Array, i: number, n: number): string => String.fromCharCode(...b.subarray(i, i + n));

/** The format from the first SNIFF_BYTES bytes alone, or null. */
export function sniffImageType(b: Uint8Array): ImageMime | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  return null;
}

function jpegSize(b: Uint8Array): [number, number] | null {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2; // markers without a length
      continue;
    }
    const len = u16be(b, i + 2);
    if (len < 2) return null;
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC): [precision][height][width].
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return null;
      return [u16be(b, i + 7), u16be(b, i + 5)];
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan before any frame
    i += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): [number, number] | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return [u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff];
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') return [u24le(b, 24) + 1, u24le(b, 27) + 1];
  return null;
}

/** The image's format and dimensions, or null if it is not a well-formed PNG/JPEG/GIF/WebP
 *  header with sane dimensions (1..MAX_IMAGE_SIDE). */
export function imageInfo(b: Uint8Array): ImageInfo | null {
  const mime = sniffImageType(b);
  let size: [number, number] | null = null;
  switch (mime) {
    case 'image/png':
      if (b.length >= 24 && ascii(b, 12, 4) === 'IHDR') size = [u32be(b, 16), u32be(b, 20)];
      break;
    case 'image/jpeg':
      size = jpegSize(b);
      break;
    case 'image/gif':
      if (b.length >= 10) size = [u16le(b, 6), u16le(b, 8)];
      break;
    case 'image/webp':
      size = webpSize(b);
      break;
    case null:
      return null;
  }
  if (!size || !mime) return null;
  const [width, height] = size;
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return null;
  return { mime, width, height };
}

/** Whether an image's declared dimensions are within the avatar cap. */
export function fitsAvatar(info: ImageInfo): boolean {
  return info.width <= MAX_AVATAR_SIDE && info.height <= MAX_AVATAR_SIDE;
}
