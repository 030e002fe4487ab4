// The one HTML page every toxync webview loads. Pure (no `vscode` import) so the browser
// corpus test serves exactly this page, with exactly this CSP, to real Chromium.
//
// CSP, directive by directive: nothing by default; scripts only with this page's nonce (no
// inline handlers, no eval, no `javascript:`); styles and fonts only from the webview bundle
// folder (`cspSource`); images from there plus data: (avatars and inline pictures, both only
// as node- or checker-made copies; no blob:, nothing builds one). No connect-src: the webview talks to nothing but the
// host, through postMessage.

import { randomBytes } from 'node:crypto';

export interface PageOptions {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `img-src ${cspSource} data:`, `font-src ${cspSource}`].join('; ');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function webviewHtml(o: PageOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(o.nonce)) throw new RangeError('nonce must be base64 from a CSPRNG');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title)}</title>
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
