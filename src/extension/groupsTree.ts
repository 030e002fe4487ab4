// The "Groups" section of the Tox sidebar (issue 20), beside Contacts: pending group invites
// first, then the groups with unread count, peer count and a privacy icon. Every name and
// topic here was chosen by a peer and goes through surfaceText.ts. A row's click runs an
// argument-less command that reads the selection (see contacts.ts for why).

import * as vscode from 'vscode';
import type { Group, GroupInvite } from '../core/chat/groupTypes';
import type { ToxService } from './toxService';
import { keyText, labelText, linesText } from './surfaceText';

export type GroupNode = { type: 'invites' } | { type: 'invite'; invite: GroupInvite } | { type: 'group'; chatId: string };

const PRIVACY_ICON = { private: new vscode.ThemeIcon('lock'), public: new vscode.ThemeIcon('globe') };
const LEFT_ICON = new vscode.ThemeIcon('circle-slash');

export class GroupsTree implements vscode.TreeDataProvider<GroupNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GroupNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly service: ToxService) {
    const off = service.groups.onChange((c) => {
      if (c.kind === 'groups' || c.kind === 'invites' || c.kind === 'group') this.refreshSoon();
    });
    // Invites name the inviting friend by the user's alias or the friend's name.
    const offModel = service.model.onChange((c) => c.kind === 'contacts' && this.service.groups.invites.size > 0 && this.refreshSoon());
    this.unsubscribe = () => {
      off();
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

  getChildren(node?: GroupNode): GroupNode[] {
    const book = this.service.groups;
    if (node?.type === 'invites') return [...book.invites.values()].sort((a, b) => b.ts - a.ts).map((invite) => ({ type: 'invite', invite }));
    if (node) return [];
    const rows: GroupNode[] = book.invites.size ? [{ type: 'invites' }] : [];
    const sorted = [...book.groups.values()].sort(
      (a, b) => Number(a.left) - Number(b.left) || a.name.localeCompare(b.name) || a.chatId.localeCompare(b.chatId),
    );
    return rows.concat(sorted.map((g) => ({ type: 'group', chatId: g.chatId })));
  }

  getTreeItem(node: GroupNode): vscode.TreeItem {
    const book = this.service.groups;
    if (node.type === 'invites') {
      const item = new vscode.TreeItem(`Group invites (${book.invites.size})`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'group-invites';
      item.contextValue = 'group-invites';
      return item;
    }
    if (node.type === 'invite') return this.inviteItem(node.invite);
    const g = book.groups.get(node.chatId);
    if (!g) return new vscode.TreeItem('(gone)');
    return this.groupItem(g);
  }

  private inviteItem(inv: GroupInvite): vscode.TreeItem {
    const name = labelText(inv.groupName || 'unnamed group', 60);
    const from = labelText(this.service.model.displayName(inv.friendKey), 40);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = `group-invite:${inv.id}`;
    item.description = `invite from ${from}`;
    item.tooltip = linesText([
      'Group invite',
      `Group name: ${inv.groupName || '(none)'}`,
      `From: ${this.service.model.displayName(inv.friendKey)}`,
      `Friend key ${keyText(inv.friendKey)}`,
    ]);
    item.iconPath = new vscode.ThemeIcon('mail');
    item.contextValue = 'group-invite';
    item.command = { command: 'toxync.groups.openSelected', title: 'Answer the invite' };
    return item;
  }

  private groupItem(g: Group): vscode.TreeItem {
    const label = labelText(g.name || 'unnamed group', 60);
    const item = new vscode.TreeItem(
      g.unread ? { label: `${label} (${g.unread})`, highlights: [[0, label.length]] } : label,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `tox-group:${g.chatId}`;
    const count = g.peers.size + 1; // the peers plus us
    item.description = g.left ? 'you left' : g.connected ? `${count} ${count === 1 ? 'member' : 'members'}` : 'connecting…';
    item.tooltip = linesText(
      [
        `Group: ${g.name || '(unnamed)'}`,
        g.topic ? `Topic: ${Array.from(g.topic).slice(0, 300).join('')}` : null,
        `Privacy: ${g.privacy === 'private' ? 'private (invite only)' : 'public (anyone with the chat ID)'}`,
        `Your role: ${g.selfRole}`,
        g.left ? 'You left this group.' : `Members: ${count}`,
        g.unread ? `Unread: ${g.unread}` : null,
        `Chat ID ${keyText(g.chatId)}`,
      ].filter((x) => x !== null),
    );
    item.iconPath = g.left ? LEFT_ICON : PRIVACY_ICON[g.privacy];
    item.contextValue = g.left ? 'tox-group-left' : this.service.groups.canModerate(g) ? 'tox-group-mod' : 'tox-group';
    item.command = { command: 'toxync.groups.openSelected', title: 'Open group' };
    item.accessibilityInformation = { label: `${label}, ${g.privacy} group${g.unread ? `, ${g.unread} unread` : ''}` };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
    this.changed.dispose();
  }
}
