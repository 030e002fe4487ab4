// Peer text on VS Code surfaces (issue 14, findings 1 and 5): every call in src/extension that
// puts text into a notification, progress, quick pick, tree item, status bar, MarkdownString
// or input box gets it from a literal, one of our constants, or src/extension/surfaceText.ts.
// The audit (test/helpers/surfaceAudit.ts) walks the code with the TypeScript compiler API;
// the positive controls prove it sees a raw friend name in each kind of call.

import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { auditSurfaces, type Offence } from '../helpers/surfaceAudit';
import { appendPeerText, keyText, labelText, linesText, noticeText } from '../../src/extension/surfaceText';

const ROOT = path.resolve(__dirname, '../../..');
const EXT = path.join(ROOT, 'src/extension');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const show = (o: readonly Offence[]): string => o.map((x) => `${path.relative(ROOT, x.file)}:${x.line} ${x.surface}: ${x.text}`).join('\n');

/** A snippet placed inside src/extension so its imports resolve like real code. */
function auditSnippet(body: string): Offence[] {
  const file = path.join(EXT, '__surfaceSnippet.ts');
  const src = `import * as vscode from 'vscode';\nimport { noticeText, labelText, inputText } from './surfaceText';\ndeclare const friend: { name: string; key: string };\n${body}\n`;
  return auditSurfaces([], { [file]: src });
}

describe('peer text on VS Code surfaces', function () {
  this.timeout(120_000);

  it('every surface call in src/extension takes safe text (file:line of each offender)', () => {
    // surfaceText.ts is the sanitiser itself: its appendText gets text it has just made safe.
    const offences = auditSurfaces(tsFiles(EXT).filter((f) => path.basename(f) !== 'surfaceText.ts'));
    assert.equal(offences.length, 0, `text that did not pass src/extension/surfaceText.ts:\n${show(offences)}`);
  });

  it('positive control: sees a raw friend name in each kind of surface, passes it wrapped', () => {
    const raw: [string, string][] = [
      ['notification', 'void vscode.window.showInformationMessage(`Sent to ${friend.name}.`);'],
      ['modal detail', "void vscode.window.showWarningMessage('Remove?', { modal: true, detail: friend.name });"],
      ['progress title', "void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'To ' + friend.name }, async () => 1);"],
      [
        'progress message',
        'void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification }, async (p) => p.report({ message: friend.name }));',
      ],
      ['quick pick item', 'void vscode.window.showQuickPick([{ label: friend.name }]);'],
      ['quick pick string item', 'void vscode.window.showQuickPick([friend.name]);'],
      ['quick pick title', "void vscode.window.showQuickPick(['a'], { title: friend.name });"],
      ['tree item', 'new vscode.TreeItem(friend.name);'],
      ['tree description', "const t = new vscode.TreeItem('x'); t.description = friend.name;"],
      ['status bar', 'const s = vscode.window.createStatusBarItem(); s.text = `$(person) ${friend.name}`;'],
      ['markdown text', 'const m = new vscode.MarkdownString(); m.appendText(friend.name);'],
      ['markdown markup', 'const m = new vscode.MarkdownString(); m.appendMarkdown(noticeText(friend.name));'],
      ['markdown value', 'new vscode.MarkdownString(friend.name);'],
      ['markdown icons', "new vscode.MarkdownString('', true);"],
      ['markdown trust', 'const m = new vscode.MarkdownString(); m.isTrusted = true;'],
      ['input box', 'void vscode.window.showInputBox({ prompt: friend.name });'],
      ['shorthand property', "const detail = friend.name; void vscode.window.showWarningMessage('x', { modal: true, detail });"],
      ['non-const binding', "let n = 'x'; n = friend.name; void vscode.window.showErrorMessage(n);"],
      ['helper returning peer text', 'const who = (f: { name: string }) => `by ${f.name}`; void vscode.window.showErrorMessage(who(friend));'],
      ['look-alike function', 'const fake = { noticeText: (s: string) => s }; void vscode.window.showErrorMessage(fake.noticeText(friend.name));'],
    ];
    for (const [what, body] of raw) assert.ok(auditSnippet(body).length > 0, `${what} was not reported`);

    const wrapped = [
      'void vscode.window.showInformationMessage(`Sent to ${noticeText(friend.name, 60)}.`);',
      "void vscode.window.showWarningMessage('Remove?', { modal: true, detail: noticeText(friend.name) });",
      "void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'To ' + noticeText(friend.name) }, async (p) => p.report({ message: `${Math.round(3.2)} %` }));",
      "void vscode.window.showQuickPick([{ label: labelText(friend.name), detail: 'Key' }], { title: 'Pick' });",
      'const t = new vscode.TreeItem(labelText(friend.name)); t.description = labelText(friend.name);',
      "const LOOK = { a: { icon: '$(pass)' } } as const; const look = LOOK['a']; const s = vscode.window.createStatusBarItem(); s.text = `${look.icon} ${labelText(friend.name)}`;",
      "const m = new vscode.MarkdownString(); m.appendText(labelText(friend.name)); m.appendMarkdown('**ours**');",
      'void vscode.window.showInputBox({ prompt: inputText(friend.name), value: inputText(friend.name) });',
      "const detail = noticeText(friend.name); void vscode.window.showWarningMessage('x', { modal: true, detail });",
      "const GO = 'Go'; const L = { a: 'A' }; void vscode.window.showErrorMessage('x', GO, ...['a'].map((k) => L[k as 'a']));",
      "const age = (ms: number) => `${Math.floor(ms / 1000)} s ago`; void vscode.window.showQuickPick([{ label: 'x', description: age(5) }]);",
    ];
    for (const body of wrapped) assert.deepEqual(auditSnippet(body), [], body);
  });

  it('defuses link and icon syntax and shows invisible characters', () => {
    for (const f of [noticeText, labelText]) {
      assert.equal(f('[Details](command:workbench.action.quit)'), '[Details] (command:workbench.action.quit)');
      assert.equal(f('[Open] (command:x)'), '[Open] (command:x)');
      assert.equal(f('$(verified-filled) Conti pager'), '$ (verified-filled) Conti pager');
      assert.equal(f('Alice$(x)'), 'Alice$ (x)');
      assert.equal(f('a\u202Eb\nc'), 'a⟦U+202E⟧b c');
      assert.ok(!/\]\(|\$\(/.test(f('[x](y)$(z)'.repeat(40), 30)));
    }
    assert.equal(linesText(['a](b', 'c$(d)']), 'a] (b\nc$ (d)');
    assert.equal(keyText('ab12](x'), 'AB12');
    let got = '';
    appendPeerText({ appendText: (s: string) => (got += s) }, '$(x) [y](command:z)');
    assert.equal(got, '$ (x) [y] (command:z)');
  });
});
