// Makes GIFs for the extension (the palette's "Tox: Send a GIF…" and the conversation's inline
// GIF composer) and sends the very bytes it made. The generator, its encoder and font parser
// load on first use only (a dynamic import; gifenc and opentype.js are bundles of their own,
// see scripts/build.mjs), so activation never pays for them. A GIF that goes out is kept
// under the extension's storage (sentGifs.ts) until no transfer needs it.

import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import type { GifFont } from '../gif/font';
import type { GifStyle } from '../gif/options';
import type { SentGifs } from './sentGifs';
import type { ToxService } from './toxService';

const FONT = ['media', 'fonts', 'DejaVuSans-Bold.ttf'];

export interface GifChoice {
  style: GifStyle;
  text: string;
}

export class GifMaker {
  private font: GifFont | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly sent: SentGifs,
  ) {}

  /** The GIF for a style and text (a badge's label is "build"); deterministic. */
  async make(o: GifChoice): Promise<Uint8Array> {
    const [{ makeGif }, { GifFont: FontClass }] = await Promise.all([import('../gif/generate'), import('../gif/font')]);
    this.font ??= new FontClass(readFileSync(vscode.Uri.joinPath(this.extensionUri, ...FONT).fsPath));
    return makeGif(this.font, o.style === 'badge' ? { ...o, label: 'build' } : o);
  }

  /** Offers exactly `gif` to the friend `key` as `<style>.gif` (an ordinary file transfer). */
  async send(service: ToxService, key: string, style: GifStyle, gif: Uint8Array): Promise<void> {
    if (!service.model.contacts.has(key)) throw new RangeError('this friend is no longer in your contacts');
    await this.sent.offer(gif, (path) => service.files.send(key, path, `${style}.gif`));
  }
}
