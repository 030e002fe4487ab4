// The one way src/extension reads `toxync.*` settings: the user's own values only (see
// userScoped in settings.ts). Writes still go through getConfiguration().update(…, Global).

import * as vscode from 'vscode';
import { readSettings, type SettingsSource, type ToxyncSettings, userScoped } from './settings';

export function toxyncConfig(): SettingsSource {
  return userScoped(vscode.workspace.getConfiguration('toxync'));
}

export function toxyncSettings(): ToxyncSettings {
  return readSettings(toxyncConfig());
}
