// Everything group chats add to the VS Code side (issue 20), wired in one call from
// extension.ts: the Groups tree view with its badge, the group panels, the commands and the
// invite notifications. Lock closes every group panel.

import * as vscode from 'vscode';
import { commandRegistrar } from './registrar';
import { registerGroupCommands } from './groupCommands';
import { GroupPanels } from './groupPanel';
import { GroupsTree } from './groupsTree';
import type { ToxService } from './toxService';

export function registerGroups(context: vscode.ExtensionContext, service: ToxService, log: vscode.LogOutputChannel): void {
  const panels = new GroupPanels(service, context.extensionUri, log);
  const tree = new GroupsTree(service);
  const view = vscode.window.createTreeView('toxync.groups', { treeDataProvider: tree, showCollapseAll: false });
  const reg = commandRegistrar(context, log);
  reg('toxync.groups.openSelected', async () => {
    const n = view.selection[0];
    if (n?.type === 'group') panels.open(n.chatId);
    else if (n?.type === 'invite') await vscode.commands.executeCommand('toxync.group.answerInvite', n);
  });
  const updateBadge = () => {
    const n = service.groups.totalUnread() + service.groups.invites.size;
    view.badge = n ? { value: n, tooltip: `${n} unread in groups` } : undefined;
  };
  const offBadge = service.groups.onChange((c) => (c.kind === 'groups' || c.kind === 'invites') && updateBadge());
  context.subscriptions.push(
    panels,
    tree,
    view,
    { dispose: offBadge },
    registerGroupCommands(reg, service, panels),
    service.onState((s) => s === 'locked' && panels.closeAll()),
  );
}
