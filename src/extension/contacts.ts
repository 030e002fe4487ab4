// The "Contacts" tree: friend requests first, then friends online-first and by name.
// Tree labels and descriptions are plain text in VS Code (never markup); peer strings still
// go through labelText() so bidi tricks and invisible characters show as markers. Tooltips
// are plain strings on purpose: a MarkdownString would render peer markup.
// A row's click command has no arguments and reads the tree's selection (extension.ts): VS
// Code re-registers a command *with* arguments per row on every refresh, and a click landing
// during one hit a disposed command ("command not found") in a code-server run.

import * as vscode from 'vscode';

import type { Contact, FriendRequest } from '../core/chat/chatModel';
import type { ToxService } from './toxService';
import { keyText, labelText, linesText } from './surfaceText';

export type ContactNode =
  { type: 'group'; id: 'requests' | 'friends'; label: string } | { type: 'request'; request: FriendRequest } | { type: 'friend'; contact: Contact };

const ICON: Record<string, vscode.ThemeIcon> = {
  online: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('testing.iconPassed')),
  away: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('editorWarning.foreground')),
  busy: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('editorError.foreground')),
  offline: new vscode.ThemeIcon('circle-outline'),
};

function ago(ts: number | null): string {
  if (ts === null) return 'never';
  const s = Math.max(0, Math.round((Date.now() - ts) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ts).toLocaleDateString();
}

export class ContactsTree implements vscode.TreeDataProvider<ContactNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ContactNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly service: ToxService) {
    // Coalesced: a busy chat changes contacts many times a second, and every refresh makes
    // VS Code re-resolve the rows under the user's pointer.
    const offAvatars = service.avatars.onChange(() => this.refreshSoon());
    const offModel = service.model.onChange((c) => {
      if (c.kind !== 'contacts' && c.kind !== 'requests' && c.kind !== 'self') return;
      this.refreshSoon();
    });
    this.unsubscribe = () => {
      offAvatars();
      offModel();
    };
  }

  private refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, 100);
  }

  getChildren(node?: ContactNode): ContactNode[] {
    const m = this.service.model;
    if (!node) {
      // Empty tree → VS Code shows the welcome content (start / add a friend) instead.
      if (!m.requests.size && !m.contacts.size) return [];
      const groups: ContactNode[] = [];
      if (m.requests.size) groups.push({ type: 'group', id: 'requests', label: `Friend requests (${m.requests.size})` });
      groups.push({ type: 'group', id: 'friends', label: 'Friends' });
      return groups;
    }
    if (node.type !== 'group') return [];
    if (node.id === 'requests') return [...m.requests.values()].sort((a, b) => b.ts - a.ts).map((request) => ({ type: 'request', request }));
    const rank = (c: Contact) => (c.connection === 'none' ? 1 : 0);
    return (
      [...m.contacts.values()]
        // Online first, then by name — not by last activity: rows that reorder on every message
        // move under the pointer, and a code-server run clicked the neighbour of the row it aimed at.
        .sort((a, b) => rank(a) - rank(b) || m.displayName(a.key).localeCompare(m.displayName(b.key)) || a.key.localeCompare(b.key))
        .map((contact) => ({ type: 'friend', contact }))
    );
  }

  getTreeItem(node: ContactNode): vscode.TreeItem {
    const m = this.service.model;
    if (node.type === 'group') {
      const item = new vscode.TreeItem(labelText(node.label), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.id}`;
      item.contextValue = `group-${node.id}`;
      return item;
    }
    if (node.type === 'request') {
      const r = node.request;
      const item = new vscode.TreeItem(keyText(r.key).slice(0, 19), vscode.TreeItemCollapsibleState.None);
      item.id = `request:${r.key}`;
      item.description = labelText(r.message, 80);
      item.tooltip = linesText(['Friend request', `Key ${keyText(r.key)}`, '', r.message]);
      item.iconPath = new vscode.ThemeIcon('person-add');
      item.contextValue = 'request';
      item.command = { command: 'toxync.contacts.openSelected', title: 'Show request' };
      return item;
    }
    const c = node.contact;
    const alias = this.service.model.peerView(c.key)?.alias ?? null;
    const presence = m.presence(c);
    const label = labelText(alias ?? (c.name || keyText(c.key).slice(0, 14)), 60);
    const item = new vscode.TreeItem(
      c.unread ? { label: `${label} (${c.unread})`, highlights: [[0, label.length]] } : label,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `friend:${c.key}`;
    // Names are not identities: with an alias set, the peer's own name stays visible.
    const own = alias !== null && c.name ? `“${labelText(c.name, 40)}” · ` : '';
    // Never seen online and no name yet: our request has not been accepted (or not yet seen).
    const pending = presence === 'offline' && c.lastActivity === null && !c.name;
    const away = pending ? 'request sent' : `last seen ${ago(c.lastActivity)}`;
    item.description = `${own}${c.typing ? 'typing… · ' : ''}${presence === 'offline' ? away : presence}`;
    item.tooltip = linesText(
      [
        alias !== null ? `Alias: ${alias}` : null,
        `Name: ${c.name || '(none)'}`,
        c.statusMessage ? `Status: ${Array.from(c.statusMessage).slice(0, 300).join('')}` : null,
        `Presence: ${presence}${c.connection !== 'none' ? ` (${c.connection.toUpperCase()})` : ''}`,
        `Last activity: ${ago(c.lastActivity)}`,
        c.unread ? `Unread: ${c.unread}` : null,
        `Key ${keyText(c.key)}`,
      ].filter((x) => x !== null),
    );
    // A friend's avatar (checked by the node: a real PNG/JPEG/GIF/WebP ≤ 64 KiB) or presence.
    const avatar = this.service.avatars.get(c.key);
    item.iconPath = avatar ? vscode.Uri.parse(avatar) : ICON[presence];
    item.contextValue = 'friend';
    item.command = { command: 'toxync.contacts.openSelected', title: 'Open chat' };
    item.accessibilityInformation = { label: `${label}, ${presence}${c.unread ? `, ${c.unread} unread` : ''}` };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
    this.changed.dispose();
  }
}
