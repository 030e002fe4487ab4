// A file name a peer chose, made safe to offer as a default in a save dialog: no path
// components, no control or invisible characters, no names Windows reserves, no leading
// dots (hidden files), capped length. The user still picks the final path.

import { isInvisible } from './text';

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function safeFileName(name: string, fallback = 'received-file'): string {
  let s = Array.from(name)
    .map((ch) => (isInvisible(ch.codePointAt(0)!) || ch === '\n' || ch === '\t' ? '' : ch))
    .join('');
  s = s.split(/[\\/]/).pop() ?? '';
  s = s.replace(/[<>:"|?*]/g, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (RESERVED.test(s)) s = `_${s}`;
  const cps = Array.from(s);
  if (cps.length > 200) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = cps.slice(0, 200 - Array.from(ext).length).join('') + ext;
  }
  return s || fallback;
}
