// Which URLs from peers may become clickable, and which may open without asking.
// Runs twice on purpose: in the webview (to decide what to draw as a link) and again in the
// extension host on click (the webview is not trusted to have checked).

import { isInvisible } from './text';

export const MAX_URL_LENGTH = 2048;

export interface LinkPolicy {
  /** toxync.conti.baseUrl: its links are clickable and open without asking. */
  contiBaseUrl: string;
  /** toxync.links.trustedHosts: hosts that open without asking (exact host names). */
  trustedHosts: readonly string[];
}

export type LinkVerdict = { ok: false; reason: string } | { ok: true; url: string; host: string; ask: boolean };

/** Parses the Conti base URL setting; null if unset or not http(s). */
export function contiBase(raw: string): URL | null {
  if (!raw.trim()) return null;
  try {
    const u = new URL(raw.trim());
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return null;
    return u;
  } catch {
    return null;
  }
}

function underBase(u: URL, base: URL): boolean {
  if (u.origin !== base.origin) return false;
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return u.pathname === base.pathname || u.pathname.startsWith(basePath);
}

export function checkLink(raw: string, policy: LinkPolicy): LinkVerdict {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: 'the link is too long' };
  // Control characters and spaces have no place in a link; URL() would silently strip some.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return { ok: false, reason: 'the link contains spaces or control characters' };
  // URL() silently drops some invisible characters from host names ("exa\u200Bmple.com");
  // a link that hides characters is refused rather than quietly rewritten.
  for (const ch of raw) if (isInvisible(ch.codePointAt(0)!)) return { ok: false, reason: 'the link contains hidden or direction-changing characters' };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (u.username || u.password) return { ok: false, reason: 'links with a user name or password are refused' };
  const base = contiBase(policy.contiBaseUrl);
  if (base && underBase(u, base)) return { ok: true, url: u.href, host: u.host, ask: false };
  if (u.protocol !== 'https:') return { ok: false, reason: `${u.protocol} links are not opened` };
  const trusted = policy.trustedHosts.some((h) => h.toLowerCase() === u.hostname);
  return { ok: true, url: u.href, host: u.host, ask: !trusted };
}
