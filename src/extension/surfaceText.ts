// The one place where text that is not a literal of ours becomes text on a VS Code surface
// (issue 14). Peer bytes (names, status messages, file names, alert fields) and anything that
// may carry them (paths we saved a peer's file to, error texts) pass through here; the AST
// test (test/unit/surfaces.test.ts) fails when a call site in src/extension does not.
//
// What each surface would otherwise do with peer text:
//   notifications, modal messages, progress titles: "[x](command:…)" becomes a clickable
//     command link (VS Code runs notification links with commands allowed);
//   quick picks, tree items, status bar, (and notifications): "$(name)" becomes an icon,
//     so "$(verified-filled) Conti pager" fakes a badge and "Alice$(x)" hides text;
//   MarkdownString: any markup, and command links when trusted.
// Every function here applies every defence, because the same string tends to move between
// surfaces, and a defence that costs one visible space is cheaper than a missed one. Invisible
// and direction-changing code points become visible "⟦U+202E⟧" markers (common/text.ts).
//
// No `vscode` import: this module is pure so that unit tests can run it.

import { fingerprint, MAX_NAME_BYTES, visibleForm } from '../common/text';

export { MAX_NAME_BYTES };

function truncate(text: string, maxChars: number): string {
  const cps = Array.from(text);
  return cps.length > maxChars ? `${cps.slice(0, maxChars - 1).join('')}…` : text;
}

/** Breaks link syntax ("](" and "]\s(") and icon syntax ("$("): each gets a visible space. */
function defuse(text: string): string {
  return text.replace(/\]\s*\(/g, '] (').replace(/\$\(/g, '$ (');
}

/** One line: newlines and tabs become spaces, invisibles become markers, then defused. The
 *  cap applies after defusing, and cutting a suffix cannot create new syntax. */
function line(text: string | number, maxChars: number): string {
  const flat = visibleForm(String(text).replace(/[\r\n\t]+/g, ' ')).trim();
  return truncate(defuse(flat), maxChars);
}

/** Notification and modal message texts, modal `detail`, progress titles and messages. */
export function noticeText(text: string | number, maxChars = 200): string {
  return line(text, maxChars);
}

/** Quick pick items (label, description, detail), quick pick title and placeholder, tree
 *  item label/description/tooltip, view descriptions, status bar text. */
export function labelText(text: string | number, maxChars = 200): string {
  return line(text, maxChars);
}

/** Input box prompt, placeholder, title and prefilled value. */
export function inputText(text: string | number, maxChars = 200): string {
  return line(text, maxChars);
}

/** A prefilled input box value that is the user's own text (their name, status message, an
 *  alias they chose, a proxy address from their settings). Shown in an editable text field,
 *  which renders neither markup nor icons, and changing it would change what gets saved, so
 *  it is kept exactly; the call through here records that the choice was made. */
export function inputValue(ownText: string): string {
  return ownText;
}

/**
 * Several lines for places that show them (modal `detail`, a plain-string tooltip): each
 * line made safe on its own, so peer text cannot add lines but we can.
 */
export function linesText(lines: readonly (string | number)[], maxChars = 1000): string {
  return lines.map((l) => line(l, maxChars)).join('\n');
}

/** A public key as a fingerprint; anything that is not hex is dropped first, so a "key" can
 *  never smuggle text onto a surface. */
export function keyText(publicKeyHex: string): string {
  return fingerprint(publicKeyHex.replace(/[^0-9a-fA-F]/g, ''));
}

/** Where text goes into a MarkdownString: only ever appended as text (escaped by VS Code),
 *  after the same defences. Never `appendMarkdown` peer text; never set `isTrusted`. */
export interface TextSink {
  appendText(value: string): unknown;
}

export function appendPeerText(md: TextSink, text: string | number, maxChars = 1000): void {
  md.appendText(line(text, maxChars));
}

/** Several lines into a MarkdownString, each defended; the newlines are ours. */
export function appendPeerLines(md: TextSink, lines: readonly (string | number)[], maxChars = 1000): void {
  md.appendText(linesText(lines, maxChars));
}

/** The names of this module's functions whose result is safe on a surface (the AST test
 *  reads this list, so a new function here is allowed there by adding it). */
export const SURFACE_FUNCTIONS = ['noticeText', 'labelText', 'inputText', 'inputValue', 'linesText', 'keyText'] as const;
