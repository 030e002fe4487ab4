// Inline pictures in the conversation (issue 19). A received file (once complete) or a file we
// send that is a PNG/JPEG/GIF/WebP by its first bytes, and within toxync.images.inlineMaxBytes,
// goes to the image checker process; only its canonical re-encoded copy (a data: URI) is ever
// posted to a webview. A refusal shows as the normal file card with the reason. This host
// reads at most SNIFF_BYTES of a file itself and decodes nothing.

import * as vscode from 'vscode';
import { copyFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffImageType, SNIFF_BYTES } from '../common/image';
import { safeFileName } from '../common/filename';
import type { Transfer } from '../core/chat/transferState';
import type { ToWebview } from '../protocol/webview';
import { ImageChecker, type ImageVerdict } from '../core/supervisor/imageChecker';
import type { ToxService } from './toxService';
import { toxyncConfig } from './config';
import { labelText, noticeText } from './surfaceText';
import { downloadFolder } from './fileShare';

export const DEFAULT_INLINE_MAX_BYTES = 8 * 2 ** 20;

/** `toxync.images.inlineMaxBytes`: 0 turns inline pictures off. */
export function inlineMaxBytes(): number {
  const v = toxyncConfig().get<unknown>('images.inlineMaxBytes');
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 ? v : DEFAULT_INLINE_MAX_BYTES;
}

async function looksLikeImage(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(b, 0, SNIFF_BYTES, 0);
    return sniffImageType(b.subarray(0, bytesRead)) !== null;
  } finally {
    await fh.close();
  }
}

/** The webview message for a verdict (reasons are the checker's own fixed texts, cut short). */
export function imageMessage(key: string, id: string, v: ImageVerdict): ToWebview {
  return v.ok
    ? { type: 'image', key, id, src: v.src, width: v.width, height: v.height }
    : { type: 'image', key, id, width: 0, height: 0, reason: v.reason.slice(0, 512) };
}

export class InlineImages implements vscode.Disposable {
  private readonly checker: ImageChecker;
  /** Transfer id → verdict; 'pending': the check is under way; 'none': not a picture. */
  private readonly verdicts = new Map<string, ImageVerdict | 'pending' | 'none'>();
  private readonly listeners = new Set<(key: string, id: string, v: ImageVerdict) => void>();
  private readonly offFiles: () => void;
  private disposed = false;

  constructor(
    private readonly service: ToxService,
    extensionUri: vscode.Uri,
  ) {
    this.checker = new ImageChecker(vscode.Uri.joinPath(extensionUri, 'dist', 'imagecheck.js').fsPath);
    this.offFiles = service.files.onChange(({ transfer }) => this.consider(transfer));
  }

  onChange(l: (key: string, id: string, v: ImageVerdict) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Hands each new verdict, as a webview message, to `post` with its conversation's key. */
  follow(post: (key: string, msg: ToWebview) => void): () => void {
    return this.onChange((key, id, v) => post(key, imageMessage(key, id, v)));
  }

  /** Posts the verdicts known for a conversation (after the conversation itself). */
  replay(key: string, post: (msg: ToWebview) => void): void {
    for (const { id, verdict } of this.of(key)) post(imageMessage(key, id, verdict));
  }

  /** Known verdicts for a conversation; starts checks for pictures not looked at yet. */
  of(key: string): { id: string; verdict: ImageVerdict }[] {
    const out: { id: string; verdict: ImageVerdict }[] = [];
    for (const t of this.service.files.of(key)) {
      const v = this.verdicts.get(t.id);
      if (v === undefined) this.consider(t);
      else if (v !== 'pending' && v !== 'none') out.push({ id: t.id, verdict: v });
    }
    return out;
  }

  private consider(t: Transfer): void {
    if (this.disposed || this.verdicts.has(t.id) || !t.path) return;
    if (t.dir === 'in' && t.state !== 'done') return;
    const cap = inlineMaxBytes();
    if (cap === 0) return;
    const path = t.path;
    this.verdicts.set(t.id, 'pending');
    void (async () => {
      let v: ImageVerdict;
      try {
        if (!(await looksLikeImage(path))) {
          this.verdicts.set(t.id, 'none');
          return;
        }
        v =
          t.size !== null && t.size > cap
            ? { ok: false, reason: 'larger than the inline picture limit (toxync.images.inlineMaxBytes)' }
            : await this.checker.check(path, cap);
      } catch {
        v = { ok: false, reason: 'the file cannot be read' };
      }
      if (this.disposed) return;
      this.verdicts.set(t.id, v);
      for (const l of [...this.listeners]) l(t.key, t.id, v);
    })();
  }

  /** The canonical copy in an editor tab: a script-less webview that can show data: images only. */
  openInEditor(t: Transfer): void {
    const v = this.verdicts.get(t.id);
    if (typeof v !== 'object' || !v.ok) throw new RangeError('this picture is not available to show');
    const panel = vscode.window.createWebviewPanel('toxync.picture', labelText(safeFileName(t.name), 60), vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [],
    });
    panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:"></head><body><img alt="" width="${v.width}" height="${v.height}" src="${v.src}"></body></html>`;
  }

  /** "Save as…" on a shown picture saves the original file (as received), not the copy. */
  async saveOriginal(t: Transfer): Promise<void> {
    if (!t.path) throw new RangeError('this file is not on disk');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(downloadFolder(), safeFileName(t.name))),
      title: `Save ${noticeText(safeFileName(t.name), 60)}`,
    });
    if (!target) return;
    if (target.scheme !== 'file') throw new RangeError('files can only be saved to a local folder');
    await copyFile(t.path, target.fsPath);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.offFiles();
    this.listeners.clear();
    this.checker.dispose();
  }
}
