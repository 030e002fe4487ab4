// One way to register a command: every failure becomes an error notification instead of an
// unhandled rejection, and the log gets the command id and the error's name only (messages
// can quote peer text, alert text or file names, which never go to the log).

import * as vscode from 'vscode';
import { noticeText } from './surfaceText';
import { codeOnly, errorCode } from './logText';

export type Register = (id: string, fn: (...args: unknown[]) => unknown) => void;

export function commandRegistrar(ctx: vscode.ExtensionContext, log: vscode.LogOutputChannel): Register {
  return (id, fn) =>
    ctx.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await fn(...args);
        } catch (e) {
          log.warn(`${codeOnly(id)} failed: ${errorCode(e)}`);
          void vscode.window.showErrorMessage(`Tox: ${noticeText(e instanceof Error ? e.message : String(e))}`);
        }
      }),
    );
}
