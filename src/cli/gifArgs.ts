// `toxync gif`: makes an animated GIF from text (src/gif) and writes it to a file. The
// parser is pure so its rules and messages are unit-tested; the generator checks the
// option values themselves (ranges, text length).

import { type FlagSpec, parseFlags, stringFlag, stringFlags, UsageError } from './cliFlags';

export const GIF_USAGE = `usage:
  toxync gif --text TEXT [--style S] [--width W] [--height H] [--seconds N] [--fps N]
             [--label L] [--theme T] [--fg #RRGGBB] [--bg #RRGGBB] [--accent #RRGGBB]
             --out FILE [--force]
  toxync gif --list-styles
Styles: toxync gif --list-styles. Themes: dark (default), light, success, danger, warning, info.
Defaults: 320×120, 3 seconds, 12 fps. --out is never overwritten unless --force.`;

export type GifArgs = { list: true } | { list: false; out: string; force: boolean; options: Record<string, unknown> };

const NUMERIC = ['width', 'height', 'seconds', 'fps'];
const STRING = ['text', 'style', 'label', 'theme', 'fg', 'bg', 'accent'];
const GIF_FLAGS: FlagSpec = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  ...Object.fromEntries(NUMERIC.map((k) => [k, { type: 'string' }])),
  ...Object.fromEntries(STRING.map((k) => [k, { type: 'string', multiple: true }])),
};

export function parseGifArgs(argv: readonly string[]): GifArgs {
  if (argv.includes('--list-styles')) {
    if (argv.length !== 1) throw new UsageError('--list-styles takes no other option');
    return { list: true };
  }
  // A text may be empty or start with a dash, but not look like one of our flags.
  const { values } = parseFlags(argv, GIF_FLAGS, { looksLikeFlag: (v) => /^--[a-z]/.test(v) });
  const options: Record<string, unknown> = {};
  for (const key of NUMERIC) {
    const v = stringFlag(values, key);
    if (v === undefined) continue;
    if (!/^\d{1,6}$/.test(v)) throw new UsageError(`--${key}: "${v.slice(0, 40)}" is not a whole number`);
    options[key] = Number(v);
  }
  for (const key of STRING) {
    const given = stringFlags(values, key);
    if (given.length > 1) throw new UsageError(`--${key} given twice`);
    if (given.length === 1) options[key] = given[0];
  }
  const out = stringFlag(values, 'out');
  if (options.text === undefined) throw new UsageError('--text TEXT is required');
  if (!out) throw new UsageError('--out FILE is required');
  return { list: false, out, force: values.force === true, options };
}
