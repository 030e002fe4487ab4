// The optional `gif` of a pager alert (POST /v1/alerts): the options of a generated GIF the
// pager sends after the alert, as an ordinary file, through the node's `send_gif`. Checked
// twice on receipt, like every other field: the shape (types, lengths, a known style and
// theme), then the generator's own caps (sizes, seconds, fps, total pixels, text length), so
// a GIF the node would refuse is a 400 for the API caller, not a silent failure later.

import { type Guard, type Infer, int, literal, obj, optional, ProtocolError, str } from './guard';
import { GifOptionError, LIMITS, parseGifOptions, STYLE_NAMES, THEME_NAMES } from '../gif/options';

const colour = str({ min: 7, max: 7, pattern: /^#[0-9a-fA-F]{6}$/ });

export const pagerGifShape = obj({
  style: literal(...STYLE_NAMES),
  text: str({ min: 1, max: 2 * LIMITS.textChars }),
  label: optional(str({ max: 2 * LIMITS.labelChars })),
  width: optional(int({ min: LIMITS.width[0], max: LIMITS.width[1] })),
  height: optional(int({ min: LIMITS.height[0], max: LIMITS.height[1] })),
  seconds: optional(int({ min: LIMITS.seconds[0], max: LIMITS.seconds[1] })),
  fps: optional(int({ min: LIMITS.fps[0], max: LIMITS.fps[1] })),
  theme: optional(literal(...THEME_NAMES)),
  fg: optional(colour),
  bg: optional(colour),
  accent: optional(colour),
});
export type PagerGif = Infer<typeof pagerGifShape>;

/** The shape guard, then the generator's checks (GifOptionError, a RangeError, says what
 *  to change); the result is exactly what `send_gif` takes besides the friend. */
export const pagerGif: Guard<PagerGif> = (v, path) => {
  const g = pagerGifShape(v, path);
  try {
    parseGifOptions(g);
  } catch (e) {
    if (e instanceof GifOptionError) throw new ProtocolError(`${path || 'message'}: ${e.message}`);
    throw e;
  }
  return g;
};
