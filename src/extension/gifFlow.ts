// "Tox: Send a GIF…" without VS Code: which friend the command was given, the style list as
// the quick pick shows it, the text check, and the order of the steps (style → text →
// preview → send). gifCommand.ts supplies the real UI; unit tests supply their own.

import { GIF_STYLES, type GifStyle, parseGifOptions, STYLE_NAMES } from '../gif/options';
import { labelText } from './surfaceText';

export interface StyleItem {
  label: string;
  description: string;
  style: GifStyle;
}

/** The quick pick's items, in the generator's order. */
export function styleItems(): StyleItem[] {
  return STYLE_NAMES.map((style) => ({ label: labelText(style, 40), description: labelText(GIF_STYLES[style], 120), style }));
}

/** The friend a command invocation names: a public key (a caller that knows it), a
 *  contact tree node, or nothing (then the caller asks). Anything else names no one. */
export function gifTargetKey(arg: unknown, isFriend: (key: string) => boolean): string | undefined {
  let key: unknown;
  if (typeof arg === 'string') key = arg;
  else if (arg && typeof arg === 'object' && (arg as { type?: unknown }).type === 'friend') key = (arg as { contact?: { key?: unknown } }).contact?.key;
  if (typeof key !== 'string' || !/^[0-9A-Fa-f]{64}$/.test(key)) return undefined;
  const k = key.toUpperCase();
  return isFriend(k) ? k : undefined;
}

/** The input box's check: null when the generator takes the text, else what to change. */
export function gifTextProblem(style: GifStyle, text: string): string | null {
  if (!text.trim()) return 'Type the text to animate.';
  try {
    parseGifOptions({ style, text });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export interface GifUi {
  pickStyle(items: StyleItem[]): Promise<GifStyle | undefined>;
  askText(style: GifStyle, validate: (text: string) => string | null): Promise<string | undefined>;
  /** Shows the GIF; true when the user chose Send. */
  preview(gif: Uint8Array, choice: { style: GifStyle; text: string }): Promise<boolean>;
}

export type GifFlowResult = { sent: true; style: GifStyle; text: string } | { sent: false; at: 'style' | 'text' | 'preview' };

/** One run of the command for a known friend. `make` generates the preview (the same
 *  options the node will use); `send` asks the node to generate and send it. */
export async function sendGifFlow(
  ui: GifUi,
  make: (o: { style: GifStyle; text: string }) => Uint8Array | Promise<Uint8Array>,
  send: (o: { style: GifStyle; text: string }, gif: Uint8Array) => Promise<void>,
): Promise<GifFlowResult> {
  const style = await ui.pickStyle(styleItems());
  if (!style || !(STYLE_NAMES as string[]).includes(style)) return { sent: false, at: 'style' };
  const text = await ui.askText(style, (t) => gifTextProblem(style, t));
  if (text === undefined || gifTextProblem(style, text) !== null) return { sent: false, at: 'text' };
  const choice = { style, text };
  const gif = await make(choice);
  if (!(await ui.preview(gif, choice))) return { sent: false, at: 'preview' };
  await send(choice, gif); // exactly the previewed bytes
  return { sent: true, style, text };
}
