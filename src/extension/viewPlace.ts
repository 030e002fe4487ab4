// Where the Conversation view lives. VS Code's own Chat sits in the secondary side bar; ours
// starts in the Tox side bar and can go there or to the panel. VS Code 1.100 lets an
// extension contribute view containers only to the activity bar and the panel, so the move
// is VS Code's own: "View: Move Focused View" given our view's id opens its destination
// picker (New Secondary Side Bar Entry, New Panel Entry, or an existing container). Moving
// back needs no picker: the Tox container's id is ours.

import * as vscode from 'vscode';
import { Conversations } from './conversationViews';
import type { Register } from './registrar';

/** The activity-bar container of package.json (viewsContainers.activitybar, id toxync), as VS Code names it. */
const TOX_CONTAINER = 'workbench.view.extension.toxync';

export function registerViewPlace(reg: Register): void {
  reg('toxync.moveConversation', () => vscode.commands.executeCommand('workbench.action.moveFocusedView', Conversations.viewId));
  reg('toxync.moveConversationBack', () =>
    vscode.commands.executeCommand('vscode.moveViews', { viewIds: [Conversations.viewId], destinationId: TOX_CONTAINER }),
  );
}
