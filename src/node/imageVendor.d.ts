// The part of omggif (GIF decoder: inline-image checks and the tests) toxync uses; it ships no declarations.
declare module 'omggif' {
  export class GifReader {
    constructor(buf: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    loopCount(): number | null;
    frameInfo(i: number): { x: number; y: number; width: number; height: number; delay: number; disposal: number; transparent_index: number | null };
    decodeAndBlitFrameRGBA(i: number, pixels: Uint8Array): void;
  }
}
