// `toxync gif`: runs the generator in-process and writes the GIF, never over an existing
// file unless --force.

import { writeFileSync } from 'node:fs';
import { shippedFont } from '../node/gifFont';
import { GIF_STYLES, GifOptionError, makeGif, STYLE_NAMES } from '../gif/generate';
import { UsageError } from './args';
import { GIF_USAGE, parseGifArgs } from './gifArgs';

export function gifMain(argv: readonly string[]): number {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(GIF_USAGE + '\n');
    return 0;
  }
  let args;
  try {
    args = parseGifArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`toxync gif: ${e.message}\n${GIF_USAGE}\n`);
    return 2;
  }
  if (args.list) {
    process.stdout.write(STYLE_NAMES.map((s) => `${s} ${GIF_STYLES[s]}\n`).join(''));
    return 0;
  }
  let bytes: Uint8Array;
  try {
    bytes = makeGif(shippedFont(), args.options);
  } catch (e) {
    if (!(e instanceof GifOptionError)) throw e;
    process.stderr.write(`toxync gif: ${e.message}\n`);
    return 2;
  }
  try {
    writeFileSync(args.out, bytes, { flag: args.force ? 'w' : 'wx', mode: 0o644 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EEXIST' ? `toxync gif: ${args.out} exists (use --force to overwrite it)\n` : `toxync gif: cannot write ${args.out}: ${(e as Error).message}\n`,
    );
    return 1;
  }
  process.stdout.write(`${args.out}\n`);
  return 0;
}
