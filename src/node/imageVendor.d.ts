// The part of omggif (GIF decoder: inline-image checks and the tests) toxync uses; it ships no declarations.
declare module 'omggif' {
  export class GifReader {
    constructor(buf: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    loopCount(): number | null;
    frameInfo(i: number): {
      x: number;
      y: number;
      width: number;
      height: number;
      delay: number;
      disposal: number;
      transparent_index: number | null;
      data_offset: number;
    };
    decodeAndBlitFrameRGBA(i: number, pixels: Uint8Array): void;
  }
  /** The tests' second GIF encoder (gif-lzw.test.ts): its LZW streams differ from gifenc's. */
  export class GifWriter {
    constructor(buf: Uint8Array, width: number, height: number, opts?: { palette?: number[]; loop?: number });
    addFrame(x: number, y: number, w: number, h: number, indexed: ArrayLike<number>, opts?: { delay?: number; disposal?: number }): number;
    end(): number;
  }
}
