// Who a group message is from, decided once in the host (issue 20). In a group anyone can
// join and pick any name, so a name is never an identity: "You", a friend's alias or a
// friend's name are all free for the taking. What is trusted is the peer's public key in the
// group (NGC authenticates it; it is NOT the peer's friend key). So:
//   - our own key (or our own messages)        → `you`
//   - a key the user gave an alias to           → `alias` (the user's own text)
//   - anyone else                               → `peer`: the untrusted name plus a tag made
//     from the key, drawn with a peer marker, in every string form and in the webview.
// A peer therefore cannot show up as `you` or as an alias: those forms carry no tag.

import { visibleForm } from '../../common/text';
import type { SenderLabel } from '../../protocol/webviewGroups';

export type { SenderLabel } from '../../protocol/webviewGroups';

/** How much of a peer's chosen name is shown (in code points). */
export const MAX_PEER_NAME_CHARS = 64;

/** The first 6 hex digits of the key: enough to tell peers apart at a glance (a full
 *  fingerprint is in the peer list's tooltip). */
export function keyTag(publicKeyHex: string): string {
  return publicKeyHex.toUpperCase().slice(0, 6);
}

function capChars(text: string, max: number): string {
  const cps = Array.from(text);
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : text;
}

/** The peer's name as they set it, made one visible line (invisibles as markers). */
export function peerNameForm(name: string): string {
  return capChars(visibleForm(name.replace(/[\r\n\t]+/g, ' ')).trim(), MAX_PEER_NAME_CHARS);
}

export function senderFor(key: string, name: string, selfKey: string | null, alias: (key: string) => string | null): SenderLabel {
  const k = key.toUpperCase();
  if (selfKey !== null && k === selfKey.toUpperCase()) return { kind: 'you' };
  const a = alias(k);
  if (a !== null && a.trim() !== '') return { kind: 'alias', text: a };
  return { kind: 'peer', name: peerNameForm(name), tag: keyTag(k) };
}

/** The one-line string form, for surfaces that take a string (notifications, trees). A
 *  peer's form always ends in its key tag, which neither `You` nor an alias has. */
export function senderText(s: SenderLabel): string {
  switch (s.kind) {
    case 'you':
      return 'You';
    case 'alias':
      return s.text;
    case 'peer':
      return `“${s.name || '(no name)'}” ‹peer ${s.tag}›`;
    case 'system':
      return 'toxync';
  }
}
