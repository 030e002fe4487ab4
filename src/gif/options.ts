// The generator's options, checked at the boundary: whatever arrives (CLI flags, a node
// command, later a webview message) comes in as `unknown` and leaves as GifOptions or a
// GifOptionError whose message says what to change.

import type { Rgb } from './canvas';

export const GIF_STYLES = {
  marquee: 'text scrolling right to left',
  shake: 'text shaking in place',
  pulse: 'text growing and shrinking, fading to the accent colour',
  typewriter: 'text typed one character at a time, with a cursor',
  countdown: 'the seconds counting down under the text',
  progress: 'a bar filling up to 100% under the text',
  rainbow: 'text in colours cycling through the rainbow',
  badge: 'a CI-style badge: --label on the left, the text on the right, with a shine',
} as const;
export type GifStyle = keyof typeof GIF_STYLES;
export const STYLE_NAMES = Object.keys(GIF_STYLES) as GifStyle[];

export interface GifTheme {
  fg: Rgb;
  bg: Rgb;
  accent: Rgb;
}

export const GIF_THEMES: Record<'dark' | 'light' | 'success' | 'danger' | 'warning' | 'info', GifTheme> = {
  dark: { fg: [0xf0, 0xf0, 0xf0], bg: [0x1e, 0x1e, 0x1e], accent: [0x37, 0x94, 0xff] },
  light: { fg: [0x1f, 0x1f, 0x1f], bg: [0xff, 0xff, 0xff], accent: [0x00, 0x5f, 0xb8] },
  success: { fg: [0xff, 0xff, 0xff], bg: [0x1a, 0x7f, 0x37], accent: [0x2e, 0xa0, 0x43] },
  danger: { fg: [0xff, 0xff, 0xff], bg: [0xa4, 0x0e, 0x26], accent: [0xcf, 0x22, 0x2e] },
  warning: { fg: [0x1f, 0x1f, 0x1f], bg: [0xf2, 0xc1, 0x4e], accent: [0x9a, 0x67, 0x00] },
  info: { fg: [0xff, 0xff, 0xff], bg: [0x0b, 0x4f, 0x8a], accent: [0x54, 0xae, 0xff] },
};
export type GifThemeName = keyof typeof GIF_THEMES;
export const THEME_NAMES = Object.keys(GIF_THEMES) as GifThemeName[];

export const LIMITS = {
  width: [16, 1024],
  height: [16, 1024],
  seconds: [1, 10],
  fps: [1, 25],
  /** Code points and UTF-8 bytes of text (label: a quarter of that). */
  textChars: 200,
  textBytes: 600,
  labelChars: 50,
  labelBytes: 150,
  /** width × height × frames: bounds the work (a 1024² × 250-frame GIF would take minutes). */
  pixels: 40_000_000,
} as const;

export interface GifOptions {
  style: GifStyle;
  text: string;
  /** badge: the left part; countdown/progress ignore it. */
  label: string;
  width: number;
  height: number;
  seconds: number;
  fps: number;
  fg: Rgb;
  bg: Rgb;
  accent: Rgb;
}

export const DEFAULTS = { style: 'marquee', width: 320, height: 120, seconds: 3, fps: 12, theme: 'dark' } as const;

/** A RangeError, so callers that map errors to codes see a bad argument. */
export class GifOptionError extends RangeError {
  override readonly name = 'GifOptionError';
}

const KEYS = new Set(['style', 'text', 'label', 'width', 'height', 'seconds', 'fps', 'theme', 'fg', 'bg', 'accent']);

function bad(m: string): never {
  throw new GifOptionError(m);
}

function intIn(name: string, v: unknown, [min, max]: readonly [number, number], dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) bad(`${name} must be a whole number`);
  if (v < min || v > max) bad(`${name} must be ${min}..${max}, not ${v}`);
  return v;
}

function textIn(name: string, v: unknown, chars: number, bytes: number): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') bad(`${name} must be a string`);
  // Checked in UTF-16 units first so a huge string is refused before it is walked.
  if (v.length > chars * 2 || [...v].length > chars) bad(`${name} is longer than ${chars} characters`);
  if (new TextEncoder().encode(v).length > bytes) bad(`${name} is longer than ${bytes} bytes (UTF-8)`);
  return v;
}

export function parseColour(name: string, v: unknown): Rgb {
  if (typeof v !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(v)) bad(`${name} must be a colour like #1e90ff`);
  const n = parseInt(v.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Checks raw options (unknown keys refused) and fills in the defaults. */
export function parseGifOptions(raw: unknown): GifOptions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('options must be an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) bad(`unknown option "${k.slice(0, 40)}"`);
  const style = o.style ?? DEFAULTS.style;
  if (typeof style !== 'string' || !(STYLE_NAMES as string[]).includes(style)) bad(`style must be one of ${STYLE_NAMES.join(', ')}`);
  const themeName = o.theme ?? DEFAULTS.theme;
  if (typeof themeName !== 'string' || !(THEME_NAMES as string[]).includes(themeName)) bad(`theme must be one of ${THEME_NAMES.join(', ')}`);
  const theme = GIF_THEMES[themeName as GifThemeName];
  const width = intIn('width', o.width, LIMITS.width, DEFAULTS.width);
  const height = intIn('height', o.height, LIMITS.height, DEFAULTS.height);
  const seconds = intIn('seconds', o.seconds, LIMITS.seconds, DEFAULTS.seconds);
  const fps = intIn('fps', o.fps, LIMITS.fps, DEFAULTS.fps);
  if (width * height * seconds * fps > LIMITS.pixels)
    bad(`width × height × seconds × fps must be at most ${LIMITS.pixels} (make it smaller, shorter or lower the fps)`);
  return {
    style: style as GifStyle,
    text: textIn('text', o.text, LIMITS.textChars, LIMITS.textBytes),
    label: textIn('label', o.label, LIMITS.labelChars, LIMITS.labelBytes),
    width,
    height,
    seconds,
    fps,
    fg: o.fg === undefined ? theme.fg : parseColour('fg', o.fg),
    bg: o.bg === undefined ? theme.bg : parseColour('bg', o.bg),
    accent: o.accent === undefined ? theme.accent : parseColour('accent', o.accent),
  };
}
