// Where an alert's link may take the user. Stricter than chat links (links.ts, reused here
// for its character, credential and scheme checks): a pager alert is one click from the
// browser, so only https counts, Conti paths stay under the Conti base, and anything else
// is either asked about (https on another host) or refused.
//
//   "/ci/runs/812"                        → open  https://conti.example.org/app/ci/runs/812
//   "https://conti.example.org/app/x"     → open  (under the base)
//   "https://docs.example.net/x"          → ask   (host shown in punycode)
//   "https://conti.example.org@evil.example/", "//evil.example/", "javascript:…",
//   "command:…", "vscode:…", "file:…", "data:…", "http:…", "/../admin",
//   "/x/..%2f..%2fadmin", "/%2e%2e/admin", "/a%5cb"                       → refused

import { checkLink, contiBase, type LinkPolicy } from './links';

export type AlertLinkVerdict = { kind: 'open'; url: string; host: string } | { kind: 'ask'; url: string; host: string } | { kind: 'refuse'; reason: string };

const refuse = (reason: string): AlertLinkVerdict => ({ kind: 'refuse', reason });

/**
 * An encoded "/", "\\" or "." in a path ("..%2f..%2fadmin", "%2e%2e", "%5c", or the same
 * encoded twice as "%252f", or the overlong UTF-8 forms %c0/%c1) survives URL() untouched
 * but a server that decodes before routing walks out of the Conti base with it. No real
 * alert path needs one, so they are refused, not normalised. Only the path counts: a query
 * string may legitimately carry an encoded URL.
 */
const ENCODED_SEPARATOR = /%(?:25)*(?:2f|5c|2e|c0|c1)/i;
function pathOf(link: string): string {
  const cut = link.search(/[?#]/);
  return cut < 0 ? link : link.slice(0, cut);
}

/** The Conti base as alerts use it: https only (an http base would send the click in clear). */
function httpsBase(raw: string): URL | null {
  const base = contiBase(raw);
  return base && base.protocol === 'https:' ? base : null;
}

/**
 * Judges an alert's link. A Conti path (one leading "/") is joined to the base's path as
 * text and the joined text goes through the same checks as an absolute link, so nothing
 * URL() would silently strip or reinterpret (tabs, backslashes, dot segments) gets past.
 */
export function resolveAlertLink(raw: string | null, policy: LinkPolicy): AlertLinkVerdict {
  if (raw === null || raw === '') return refuse('the alert has no link');
  if (ENCODED_SEPARATOR.test(pathOf(raw))) return refuse('the link path has an encoded separator or dot');
  if (raw.startsWith('/')) {
    // "//host" and "/\host" are other hosts to a URL parser, not Conti paths.
    if (raw.startsWith('//') || raw.includes('\\')) return refuse('not a Conti path');
    const base = httpsBase(policy.contiBaseUrl);
    if (!base) return refuse('toxync.conti.baseUrl is not set to an https URL');
    const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    const joined = `${base.origin}${basePath}${raw.slice(1)}`;
    const v = checkLink(joined, { contiBaseUrl: base.href, trustedHosts: [] });
    if (!v.ok) return refuse(v.reason);
    // Dot segments ("/../admin", "/%2e%2e/admin") resolve outside the base: refused, not asked.
    if (v.ask || !v.url.startsWith('https:')) return refuse('the Conti path leaves the Conti base URL');
    return { kind: 'open', url: v.url, host: v.host };
  }
  const base = httpsBase(policy.contiBaseUrl);
  const v = checkLink(raw, { contiBaseUrl: base?.href ?? '', trustedHosts: policy.trustedHosts });
  if (!v.ok) return refuse(v.reason);
  if (!v.url.startsWith('https:')) return refuse('only https links are opened from alerts');
  return v.ask ? { kind: 'ask', url: v.url, host: v.host } : { kind: 'open', url: v.url, host: v.host };
}
