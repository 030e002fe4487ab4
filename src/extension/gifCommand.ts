// "Tox: Send a GIF…" from the palette and the contact menu: a style (quick pick), the text
// (input box), a preview, then Send. The conversation's GIF button opens the inline composer
// in the webview instead (webview/gifComposer.ts, gifPreviews.ts). Both make and send through
// GifMaker (gifMaker.ts): what goes to the friend is the previewed file itself, kept until no
// transfer needs it any more (sentGifs.ts), which this also wires up.

import * as vscode from 'vscode';
import type { GifStyle } from '../gif/options';
import { pickFriend } from './fileShare';
import { gifTargetKey, sendGifFlow, type GifUi } from './gifFlow';
import type { GifMaker } from './gifMaker';
import { errorCode } from './logText';
import { inputText, labelText, noticeText } from './surfaceText';
import type { ToxService } from './toxService';
import { contentSecurityPolicy, makeNonce } from './webviewHtml';

export function registerGif(ctx: vscode.ExtensionContext, service: ToxService, log: vscode.LogOutputChannel, gifs: GifMaker): void {
  const offChange = gifs.sent.follow(service.files);
  ctx.subscriptions.push(
    { dispose: offChange },
    // At every node start the records are loaded (the profile is unlocked): old leftovers go.
    service.onEvent((e) => {
      if (e.event !== 'ready') return;
      const gone = gifs.sent.prune();
      if (gone.length) log.info(`removed ${gone.length} old sent GIF file(s)`);
    }),
  );
  ctx.subscriptions.push(
    vscode.commands.registerCommand('toxync.contact.sendGif', async (arg: unknown) => {
      try {
        if (!service.started && !(await service.start())) return;
        const key = gifTargetKey(arg, (k) => service.model.contacts.has(k)) ?? (await pickFriend(service, 1, 'Send a GIF to…'));
        if (!key) return;
        const who = labelText(service.model.displayName(key), 60);
        const ui: GifUi = {
          pickStyle: async (items) => (await vscode.window.showQuickPick(items, { title: `Send a GIF to ${who}`, placeHolder: 'Animation style' }))?.style,
          askText: (style, validate) =>
            Promise.resolve(
              vscode.window.showInputBox({
                title: inputText(`Send a GIF to ${who}: ${style}`),
                prompt: style === 'badge' ? 'The badge’s value (the label is “build”)' : 'The text to animate',
                validateInput: validate,
              }),
            ),
          preview: (gif, choice) => previewGif(gif, choice.style, who),
        };
        const r = await sendGifFlow(
          ui,
          (o) => gifs.make(o),
          (o, gif) => gifs.send(service, key, o.style, gif),
        );
        if (r.sent) void vscode.window.setStatusBarMessage(`Tox: ${r.style}.gif offered to ${who}`, 5000);
      } catch (e) {
        log.warn(`toxync.contact.sendGif failed: ${errorCode(e)}`);
        void vscode.window.showErrorMessage(`Tox: ${noticeText(e instanceof Error ? e.message : String(e))}`);
      }
    }),
  );
}

/** The GIF in a panel without scripts (a data: image, as the QR panel), and a modal to Send
 *  or Cancel; the panel closes either way. */
async function previewGif(gif: Uint8Array, style: GifStyle, who: string): Promise<boolean> {
  const panel = vscode.window.createWebviewPanel(
    'toxync.gifPreview',
    'GIF preview',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [],
    },
  );
  try {
    const src = `data:image/gif;base64,${Buffer.from(gif).toString('base64')}`;
    panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(panel.webview.cspSource, makeNonce())}">
<title>GIF preview</title></head>
<body><p><img src="${src}" alt="${style} GIF preview"></p><p>${style}.gif, ${gif.length} bytes</p></body></html>`;
    const send = 'Send';
    const pick = await vscode.window.showInformationMessage(
      noticeText(`Send this ${style} GIF to ${who}?`),
      { modal: true, detail: noticeText(`${gif.length} bytes, as ${style}.gif`) },
      send,
    );
    return pick === send;
  } finally {
    panel.dispose();
  }
}
