// Files in VS Code: "Share via Tox…" (explorer and editor context menus, the palette, the
// chat's attach button and drops), progress notifications (cancellable: bytes, speed, ETA),
// the offer notification (Accept / Save as… / Decline), per-friend auto-accept, and our own
// avatar. The model is model/files.ts; the bytes stay in the node process.
//
// Receiving never opens or runs anything: a saved file is only named in the chat.

import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { safeFileName } from '../common/filename';
import { visibleForm } from '../common/text';
import type { ContactNode } from './contacts';
import { etaSeconds, isFinal, type Transfer } from '../core/chat/transferState';
import { dropDetail, dropMessage } from './webviewTarget';
import { formatBytes, formatEta } from '../common/units';
import type { ToxService } from './toxService';
import { keyText, labelText, noticeText } from './surfaceText';
import { toxyncConfig, toxyncSettings } from './config';
import { codeOnly, errorCode } from './logText';

/** "12.0 MiB of 100.0 MiB · 4.2 MiB/s · 21 s left" */
export function progressLine(t: Transfer): string {
  const parts = [`${formatBytes(t.bytes)} of ${formatBytes(t.size)}`];
  if (t.speed > 0 && !isFinal(t)) parts.push(`${formatBytes(Math.round(t.speed))}/s`);
  const eta = formatEta(etaSeconds(t));
  if (eta) parts.push(eta);
  if (t.state === 'paused') parts.push(t.pausedByPeer && !t.pausedByUs ? 'paused by your friend' : 'paused');
  if (t.state === 'waiting') parts.push('waits until your friend is online');
  if (t.state === 'pending') parts.push('waiting for your friend to accept');
  if (t.state === 'interrupted') parts.push('interrupted — continues when your friend is back');
  return parts.join(' · ');
}

/** `toxync.files.downloadFolder`, else ~/Downloads if it exists, else the home folder. */
export function downloadFolder(): string {
  const configured = toxyncConfig().get<string>('files.downloadFolder') ?? '';
  if (typeof configured === 'string' && configured.trim()) return configured.trim();
  const d = join(homedir(), 'Downloads');
  return existsSync(d) ? d : homedir();
}

/** Friends to send to, online first (a file to an offline friend waits for them). */
export async function pickFriend(service: ToxService, count: number, placeHolder?: string): Promise<string | undefined> {
  const m = service.model;
  const items = [...m.contacts.values()]
    .sort((a, b) => Number(a.connection === 'none') - Number(b.connection === 'none') || m.displayName(a.key).localeCompare(m.displayName(b.key)))
    .map((c) => ({
      label: labelText(m.displayName(c.key), 60),
      description: c.connection === 'none' ? 'offline — sent when they come online' : m.presence(c),
      detail: `Key ${keyText(c.key)}`,
      key: c.key,
    }));
  if (!items.length) {
    void vscode.window.showInformationMessage('You have no Tox friends yet. Add one with “Tox: Add Friend”.');
    return undefined;
  }
  const what = count === 1 ? 'this file' : `${count} files`;
  return (await vscode.window.showQuickPick(items, { placeHolder: labelText(placeHolder ?? `Send ${what} to…`), matchOnDetail: true }))?.key;
}

/** Shows a cancellable progress notification until the transfer ends. */
function showProgress(service: ToxService, t: Transfer): void {
  const who = labelText(service.model.displayName(t.key), 40);
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sending ${noticeText(t.name, 60)} to ${who}`, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let reported = 0;
        const update = (x: Transfer) => {
          const pct = x.size ? Math.floor((x.bytes / x.size) * 100) : 0;
          progress.report({ increment: Math.max(0, pct - reported), message: noticeText(progressLine(x)) });
          reported = Math.max(reported, pct);
        };
        const finish = () => {
          off();
          cancel.dispose();
          resolve();
        };
        const off = service.files.onChange(({ transfer: x }) => {
          if (x.id !== t.id) return;
          update(x);
          if (!isFinal(x)) return;
          finish();
          if (x.state === 'done') void vscode.window.showInformationMessage(`${noticeText(x.name, 60)} was sent to ${who}.`);
          else if (x.state === 'failed')
            void vscode.window.showErrorMessage(`Sending ${noticeText(x.name, 60)} failed: ${noticeText(x.error ?? 'unknown error')}`);
        });
        const cancel = token.onCancellationRequested(() => {
          void service.files.control(t.id, 'cancel').catch(() => undefined);
          finish();
        });
        update(t);
      }),
  );
}

/** Sends files to a friend (asked for if not given), each with its own progress. `confirm`:
 *  files that arrived by drag and drop are listed in a modal first, since a drop (or a
 *  webview that claims one) is not as deliberate as picking files in a dialog. */
export async function shareFiles(service: ToxService, paths: string[], key?: string, opts: { confirm?: boolean } = {}): Promise<void> {
  const files = paths.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  if (files.length < paths.length)
    void vscode.window.showWarningMessage(`${paths.length - files.length} of the chosen items are not files and were skipped (folders cannot be sent).`);
  if (!files.length) return;
  if (!service.started && !(await service.start())) return;
  const to = key ?? (await pickFriend(service, files.length));
  if (!to) return;
  if (opts.confirm) {
    const listed = files.map((p) => ({ name: basename(p), size: statSync(p).size }));
    const send = 'Send';
    const pick = await vscode.window.showWarningMessage(dropMessage(service.model.displayName(to), listed), { modal: true, detail: dropDetail(listed) }, send);
    if (pick !== send) return;
  }
  for (const p of files) showProgress(service, await service.files.send(to, p));
}

/** Accept into the download folder (sanitised name, never overwriting). */
export async function acceptOffer(service: ToxService, id: string): Promise<void> {
  await service.files.accept(id, { dir: downloadFolder() });
}

export async function saveOfferAs(service: ToxService, id: string): Promise<void> {
  const t = service.files.get(id);
  if (!t || t.state !== 'offered') throw new RangeError('this file offer is no longer available');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(downloadFolder(), safeFileName(t.name))),
    title: `Save file from ${noticeText(service.model.displayName(t.key), 60)}`,
  });
  if (!target) return;
  if (target.scheme !== 'file') throw new RangeError('files can only be saved to a local folder');
  // The dialog confirmed any overwrite, but the node never overwrites: an existing file is
  // kept and the transfer is refused, so pick its folder with the sanitised name instead.
  if (existsSync(target.fsPath)) {
    const go = 'Save Under a New Name';
    const pick = await vscode.window.showWarningMessage(
      `${noticeText(basename(target.fsPath), 80)} exists. toxync never overwrites files.`,
      { modal: true },
      go,
    );
    if (pick !== go) return;
    await service.files.accept(id, { dir: vscode.Uri.joinPath(target, '..').fsPath });
    return;
  }
  await service.files.accept(id, { path: target.fsPath });
}

function describeOffer(service: ToxService, t: Transfer): string {
  const who = noticeText(service.model.displayName(t.key), 60);
  const safe = safeFileName(t.name);
  // The sanitised name is what is saved; the sender's own is shown too when it differs,
  // with its hidden characters made visible.
  const shown = safe === t.name ? `“${noticeText(safe, 80)}”` : `“${noticeText(safe, 80)}” (sent as “${noticeText(visibleForm(t.name), 80)}”)`;
  return `${who} offers a file: ${shown}, ${formatBytes(t.size)}`;
}

async function promptOffer(service: ToxService, t: Transfer, log: vscode.LogOutputChannel): Promise<void> {
  const pick = await vscode.window.showInformationMessage(describeOffer(service, t), 'Accept', 'Save as…', 'Decline');
  try {
    const now = service.files.get(t.id);
    if (!pick || !now || now.state !== 'offered') return;
    if (pick === 'Accept') await acceptOffer(service, t.id);
    else if (pick === 'Save as…') await saveOfferAs(service, t.id);
    else await service.files.decline(t.id);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    log.warn(`file offer action failed: ${errorCode(e)}`);
    void vscode.window.showErrorMessage(`Tox: ${noticeText(text)}`);
  }
}

function friendKeyOf(service: ToxService, arg: unknown): string | undefined {
  if (arg && typeof arg === 'object' && 'type' in arg) {
    const n = arg as ContactNode;
    if (n.type === 'friend' && service.model.contacts.has(n.contact.key)) return n.contact.key;
  }
  return undefined;
}

/** Explorer passes (clicked, selected[]); the editor title passes the document's URI. */
function urisOf(arg: unknown, all: unknown): vscode.Uri[] {
  if (Array.isArray(all) && all.length && all.every((u) => u instanceof vscode.Uri)) return all as vscode.Uri[];
  if (arg instanceof vscode.Uri) return [arg];
  return [];
}

export function registerFiles(ctx: vscode.ExtensionContext, service: ToxService, log: vscode.LogOutputChannel): void {
  const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
    ctx.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await fn(...args);
        } catch (e) {
          const text = e instanceof Error ? e.message : String(e);
          log.warn(`${codeOnly(id)} failed: ${errorCode(e)}`);
          void vscode.window.showErrorMessage(`Tox: ${noticeText(text)}`);
        }
      }),
    );

  reg('toxync.shareFile', async (arg, all) => {
    let uris = urisOf(arg, all);
    if (!uris.length) {
      const active = vscode.window.activeTextEditor?.document.uri;
      if (active?.scheme === 'file') uris = [active];
      else uris = (await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Share via Tox', title: 'Files to send' })) ?? [];
    }
    const local = uris.filter((u) => u.scheme === 'file');
    if (local.length < uris.length) void vscode.window.showWarningMessage('Only files on this machine can be shared.');
    await shareFiles(
      service,
      local.map((u) => u.fsPath),
    );
  });

  reg('toxync.contact.sendFile', async (arg) => {
    const key = friendKeyOf(service, arg);
    const uris = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Send', title: 'Files to send' });
    if (uris?.length)
      await shareFiles(
        service,
        uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath),
        key,
      );
  });

  reg('toxync.contact.autoAccept', async (arg) => {
    const key = friendKeyOf(service, arg);
    if (!key) return;
    const who = labelText(service.model.displayName(key), 60);
    const current = service.fileRules.rule(key);
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Ask every time', description: current ? '' : '(current)', mode: 'off' as const },
        {
          label: 'Accept files automatically…',
          description: current
            ? `(current: ${labelText(current.folder, 120)}, up to ${formatBytes(current.maxBytes)}${current.imagesOnly ? ', images only' : ''})`
            : '',
          mode: 'all' as const,
        },
        { label: 'Accept images automatically…', description: 'PNG, JPEG, GIF, WebP — checked by their content', mode: 'images' as const },
      ],
      { placeHolder: `Files from ${who}` },
    );
    if (!pick) return;
    if (pick.mode === 'off') return service.fileRules.setRule(key, null);
    const folder = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Save Here',
      defaultUri: vscode.Uri.file(current?.folder ?? downloadFolder()),
    });
    if (!folder?.[0] || folder[0].scheme !== 'file') return;
    const cap = await vscode.window.showInputBox({
      title: 'Largest file to accept without asking (MiB)',
      value: `${current ? Math.round(current.maxBytes / 2 ** 20) : 100}`,
      validateInput: (v) => (/^\d{1,7}$/.test(v.trim()) && Number(v) > 0 ? null : 'A whole number of MiB, at least 1.'),
    });
    if (!cap) return;
    service.fileRules.setRule(key, {
      folder: folder[0].fsPath,
      maxBytes: Number(cap.trim()) * 2 ** 20,
      imagesOnly: pick.mode === 'images',
    });
    void vscode.window.showInformationMessage(
      `Files from ${who} are now saved to ${noticeText(folder[0].fsPath, 400)} without asking (up to ${Number(cap.trim())} MiB${pick.mode === 'images' ? ', images only' : ''}).`,
    );
  });

  reg('toxync.setAvatar', async () => {
    if (!service.started && !(await service.start())) return;
    const pick = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Use as Avatar',
      filters: { Images: ['png', 'jpg', 'jpeg', 'gif', 'webp'] },
    });
    const uri = pick?.[0];
    if (!uri || uri.scheme !== 'file') return;
    // The node checks it (≤ 64 KiB, a real image) and sends it to every friend.
    const r = await service.request({ cmd: 'set_avatar', path: uri.fsPath });
    service.requireStore().updateState((s) => {
      if (r.data) s.avatar = r.data;
      else delete s.avatar;
    });
    void vscode.window.showInformationMessage('Your avatar is set; friends see it when they are online.');
  });

  reg('toxync.removeAvatar', async () => {
    if (service.started) await service.request({ cmd: 'set_avatar' });
    service.requireStore().updateState((s) => delete s.avatar);
  });

  // Offers: a notification with the same choices as the chat (unless auto-accepted).
  const off = service.files.onChange(({ kind, transfer: t }) => {
    if (kind !== 'new' || t.dir !== 'in' || t.state !== 'offered') return;
    if (!toxyncSettings().notificationsEnabled) return;
    const rule = service.fileRules.rule(t.key);
    if (rule && service.files.ruleAllows(t, rule)) return;
    void promptOffer(service, t, log);
  });
  ctx.subscriptions.push({ dispose: off });
}
