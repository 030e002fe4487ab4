// `toxync gif`: makes an animated GIF from text (src/gif) and writes it to a file. The
// parser is pure so its rules and messages are unit-tested; the generator checks the
// option values themselves (ranges, text length).

import { UsageError } from './args';

export const GIF_USAGE = `usage:
  toxync gif --text TEXT [--style S] [--width W] [--height H] [--seconds N] [--fps N]
             [--label L] [--theme T] [--fg #RRGGBB] [--bg #RRGGBB] [--accent #RRGGBB]
             --out FILE [--force]
  toxync gif --list-styles
Styles: toxync gif --list-styles. Themes: dark (default), light, success, danger, warning, info.
Defaults: 320×120, 3 seconds, 12 fps. --out is never overwritten unless --force.`;

export type GifArgs = { list: true } | { list: false; out: string; force: boolean; options: Record<string, unknown> };

const NUMERIC = new Set(['--width', '--height', '--seconds', '--fps']);
const STRING: Record<string, string> = { '--text': 'text', '--style': 'style', '--label': 'label', '--theme': 'theme', '--fg': 'fg', '--bg': 'bg', '--accent': 'accent' };

export function parseGifArgs(argv: readonly string[]): GifArgs {
  if (argv.includes('--list-styles')) {
    if (argv.length !== 1) throw new UsageError('--list-styles takes no other option');
    return { list: true };
  }
  const options: Record<string, unknown> = {};
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      // A text may be empty or start with a dash, but not look like one of our flags.
      if (v === undefined || /^--[a-z]/.test(v)) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--out') out = value();
    else if (flag === '--force') force = true;
    else if (NUMERIC.has(flag)) {
      const v = value();
      if (!/^\d{1,6}$/.test(v)) throw new UsageError(`${flag}: "${v.slice(0, 40)}" is not a whole number`);
      options[flag.slice(2)] = Number(v);
    } else if (STRING[flag]) {
      const key = STRING[flag]!;
      if (key in options) throw new UsageError(`${flag} given twice`);
      options[key] = value();
    } else throw new UsageError(`unknown option "${flag.slice(0, 60)}"`);
  }
  if (options.text === undefined) throw new UsageError('--text TEXT is required');
  if (!out) throw new UsageError('--out FILE is required');
  return { list: false, out, force, options };
}
