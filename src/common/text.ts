// Peer-controlled text, made safe to show. Shared by the extension host (tree labels,
// notifications) and the webview (which renders markers as styled spans).
//
// Why markers and not deletion: a user who is being spoofed (a name with U+202E that reads
// "gnp.exe" backwards, a zero-width space that makes two names look equal) should *see*
// that something odd is there. Every invisible or direction-changing code point becomes a
// visible marker "⟦U+202E⟧"; everything else is kept exactly.

/** toxcore 0.2.23's limits (tox_max_name_length / tox_max_status_message_length), in UTF-8 bytes. */
export const MAX_NAME_BYTES = 128;
export const MAX_STATUS_MESSAGE_BYTES = 1007;
export const MAX_REQUEST_MESSAGE_BYTES = 1016;

const ZWJ = 0x200d;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** What may sit between a pictograph and its ZWJ: VS16 (❤️‍🔥, 🏳️‍🌈) and skin tones (👩🏽‍💻). */
const EMOJI_TAIL = /^[\uFE0F\u{1F3FB}-\u{1F3FF}]$/u;

/** True when the ZWJ at `i` joins two pictographs (allowing VS16 / a skin tone before it). */
function joinsEmoji(cps: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && EMOJI_TAIL.test(cps[j]!)) j--;
  return j >= 0 && PICTOGRAPHIC.test(cps[j]!) && PICTOGRAPHIC.test(cps[i + 1] ?? '');
}

/** Code points that change direction, are invisible, or are control characters. */
export function isInvisible(cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a) return false; // tab and newline are layout, not tricks
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true; // C0 / DEL / C1 controls
  return (
    cp === 0x00ad || // soft hyphen
    cp === 0x034f || // combining grapheme joiner
    cp === 0x061c || // Arabic letter mark
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x3164 ||
    cp === 0xffa0 || // Hangul fillers (blank "names")
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e || // Mongolian vowel separator
    (cp >= 0x200b && cp <= 0x200f) || // ZW space/non-joiner/joiner, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, LRE RLE PDF LRO RLO
    (cp >= 0x2060 && cp <= 0x206f) || // word joiner, invisible operators, LRI RLI FSI PDI, deprecated formats
    cp === 0xfeff || // BOM / ZWNBSP
    (cp >= 0xfff9 && cp <= 0xfffb) || // interlinear annotation
    (cp >= 0xe0000 && cp <= 0xe007f) || // tag characters (hidden ASCII)
    (cp >= 0xd800 && cp <= 0xdfff) // lone surrogates (cannot be valid text)
  );
}

export type TextPart = { text: string } | { invisible: number };

/** Splits text into kept runs and invisible code points. A ZWJ between two pictographs is
 *  kept: it builds emoji sequences (family, profession) and hides nothing. */
export function splitInvisibles(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let run = '';
  const cps = Array.from(text);
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    const cp = ch.codePointAt(0)!;
    if (isInvisible(cp) && !(cp === ZWJ && joinsEmoji(cps, i))) {
      if (run) parts.push({ text: run });
      run = '';
      parts.push({ invisible: cp });
    } else run += ch;
  }
  if (run) parts.push({ text: run });
  return parts;
}

export function markerFor(cp: number): string {
  return `⟦U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟧`;
}

/** The text as the user sees it: every invisible replaced by its marker. */
export function visibleForm(text: string): string {
  return splitInvisibles(text)
    .map((p) => ('text' in p ? p.text : markerFor(p.invisible)))
    .join('');
}

// TextEncoder, not Buffer: this module also runs in the webview.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a code point. */
export function capUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Continuation bytes look like 10xxxxxx; back up until `end` starts a code point.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}

function flatten(text: string): string {
  return visibleForm(text.replace(/[\r\n\t]+/g, ' ')).trim();
}

function truncate(text: string, maxChars: number): string {
  const cps = Array.from(text);
  return cps.length > maxChars ? `${cps.slice(0, maxChars - 1).join('')}…` : text;
}

/** One line for places that show a single line (tree labels, status bar, notifications). */
export function oneLine(text: string, maxChars = 200): string {
  return truncate(flatten(text), maxChars);
}

/**
 * VS Code renders `[label](target)` in notification texts as links — including `command:`
 * targets. Peer text shown in a notification must never form one, so the pair "](" is
 * broken with a visible space. Broken before truncating, so the cap still holds (cutting a
 * suffix and appending "…" cannot create a new "](").
 */
export function notificationSafe(text: string, maxChars = 200): string {
  return truncate(flatten(text).replace(/\]\s*\(/g, '] ('), maxChars);
}

/** Short, groupable form of a public key for comparing out of band. */
export function fingerprint(publicKeyHex: string): string {
  const k = publicKeyHex.toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < k.length; i += 4) groups.push(k.slice(i, i + 4));
  return groups.join(' ');
}
