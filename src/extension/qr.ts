// "Show my Tox ID as QR": a panel with no scripts at all — an SVG image (data: URI, allowed
// by img-src) and the ID as text to compare against.

import * as vscode from 'vscode';
import { contentSecurityPolicy, makeNonce } from './webviewHtml';

export function showQr(extensionUri: vscode.Uri, address: string): vscode.WebviewPanel {
  if (!/^[0-9A-F]{76}$/.test(address)) throw new RangeError('not a Tox ID');
  const panel = vscode.window.createWebviewPanel('toxync.qr', 'My Tox ID', vscode.ViewColumn.Active, {
    enableScripts: false,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  });
  // Required here, not imported: the encoder is a bundle of its own (dist/uqr.js, see
  // scripts/build.mjs) that activation does not load.
  const { renderSVG } = require('uqr') as typeof import('uqr');
  // Dark modules on white with a quiet zone, whatever the theme: scanners need the contrast.
  const svg = renderSVG(address, { ecc: 'M', border: 4, pixelSize: 8, whiteColor: '#ffffff', blackColor: '#000000' });
  const img = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const style = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'style.css'));
  const groups = address.match(/.{1,4}/g)!.join(' ');
  panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(panel.webview.cspSource, makeNonce())}">
<link rel="stylesheet" href="${style.toString()}"><title>My Tox ID</title></head>
<body><div class="qr-page">
<img class="qr" src="${img}" alt="QR code of my Tox ID" width="360" height="360">
<p class="fingerprint">${groups}</p>
<p class="label">Anyone with this ID can send you a friend request. Change your nospam (“Tox: Change Nospam”) to stop new requests to an ID you gave out.</p>
</div></body></html>`;
  return panel;
}
