// A file name a peer chose, made safe to save under: the one sanitiser for the save dialog's
// default, auto-accept (extension rules and the CLI's --accept-files) and the node's own
// "save into this folder" path. Receiving is where other Tox clients got hurt (Toxygen saved
// under the peer's path, uTox put a peer's name into a shell command), so the rules are
// strict and each has a reason:
//  - basename only: `/`, `\` (and look-alike slashes) never leave the folder or spoof one;
//  - NUL, C0/C1 controls, bidi overrides and invisible characters are removed: they hide or
//    reorder what the user reads ("gnp.exe" spelled backwards);
//  - a leading `-` (read as an option by tools), space or dot (a hidden file) is dropped;
//    trailing dots and spaces too (Windows strips them, so "a.exe." is "a.exe");
//  - `.` and `..` and an empty result become the fallback name;
//  - Windows device names (CON, PRN, AUX, NUL, COM0–9, LPT0–9, also with an extension or
//    superscript digits) get a `_` prefix: opening them on Windows opens the device;
//  - at most `maxBytes` UTF-8 bytes (255 by default, the usual file-system limit), cut on a
//    code point boundary with the extension kept.
// The user still sees the sender's original name (with invisibles shown as markers).

import { isInvisible } from './text';

export const FALLBACK_NAME = 'received-file';
export const MAX_NAME_BYTES = 255;

/** Characters Windows refuses in names (and that confuse shells); replaced, not removed. */
const WINDOWS_ILLEGAL = /[<>:"|?*]/g;
/** Slashes in other scripts: harmless to the file system, but they fake a path. */
const LOOKALIKE_SLASHES = /[\u2044\u2215\u2216\u29F5\u29F8\u29F9\uFF0F\uFF3C]/g;
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const encoder = new TextEncoder();
const byteLength = (s: string): number => encoder.encode(s).length;

/** Cuts to at most `max` UTF-8 bytes on a code point boundary. */
function capBytes(s: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of s) {
    const b = byteLength(ch);
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

/** The extension worth keeping when a name is cut: short, and not the whole name. */
function extensionOf(s: string): string {
  const dot = s.lastIndexOf('.');
  return dot > 0 && byteLength(s.slice(dot)) <= 16 ? s.slice(dot) : '';
}

const trimEnds = (s: string): string => s.replace(/^[\s.\-]+/u, '').replace(/[\s.]+$/u, '');

export function isReservedWindowsName(name: string): boolean {
  // Windows looks at the part before the first dot, ignoring trailing spaces: "con .txt".
  return RESERVED.test((name.split('.')[0] ?? '').trimEnd());
}

export function safeFileName(name: string, fallback = FALLBACK_NAME, maxBytes = MAX_NAME_BYTES): string {
  let s = Array.from(name)
    .filter((ch) => {
      const cp = ch.codePointAt(0)!;
      return !(isInvisible(cp) || cp === 0x09 || cp === 0x0a);
    })
    .join('');
  s = s.replace(LOOKALIKE_SLASHES, '_');
  const parts = s.split(/[\\/]/).filter((p) => p.trim() !== '');
  s = parts.pop() ?? '';
  s = trimEnds(s.replace(WINDOWS_ILLEGAL, '_'));
  if (s === '.' || s === '..') s = '';
  if (isReservedWindowsName(s)) s = `_${s}`;
  if (byteLength(s) > maxBytes) {
    const ext = extensionOf(s);
    s = trimEnds(capBytes(s.slice(0, s.length - ext.length), maxBytes - byteLength(ext))) + ext;
    s = trimEnds(s);
  }
  return s || capBytes(fallback, maxBytes);
}

/**
 * The `n`th alternative of a safe name: "photo.jpg" → "photo (2).jpg", still within
 * `maxBytes` (the stem is cut, never the suffix or the extension).
 */
export function numberedName(safe: string, n: number, maxBytes = MAX_NAME_BYTES): string {
  if (n <= 0) return safe;
  const ext = extensionOf(safe);
  const suffix = ` (${n})${ext}`;
  const stem = trimEnds(capBytes(safe.slice(0, safe.length - ext.length), maxBytes - byteLength(suffix)));
  return `${stem || FALLBACK_NAME}${suffix}`;
}

/** Whether a name looks like one of the inline image formats by its extension. */
export function hasImageExtension(name: string): boolean {
  return /\.(png|jpe?g|gif|webp)$/i.test(name);
}
