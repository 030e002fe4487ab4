// The "Tox" output channel carries codes and counts, never peer names, file names or paths
// (issue 14, finding 6, extension side; the node side is tested on a node run's output).
// Every log call in src/extension is audited with the TypeScript compiler API: its text is
// a literal, a number, one of our own enumerations, or the output of src/extension/logText.ts.

import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { auditLogs, type Offence } from '../helpers/surfaceAudit';
import { codeOnly, errorCode, fromNode } from '../../src/extension/logText';

const ROOT = path.resolve(__dirname, '../../..');
const EXT = path.join(ROOT, 'src/extension');
const tsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? tsFiles(path.join(dir, n)) : n.endsWith('.ts') ? [path.join(dir, n)] : []));
const show = (o: readonly Offence[]): string => o.map((x) => `${path.relative(ROOT, x.file)}:${x.line} ${x.surface}: ${x.text}`).join('\n');

function auditSnippet(body: string): Offence[] {
  const file = path.join(EXT, '__logSnippet.ts');
  const src = `import * as vscode from 'vscode';\nimport { errorCode } from './logText';\nimport { noticeText } from './surfaceText';\ndeclare const log: vscode.LogOutputChannel;\ndeclare const t: { name: string; path: string; size: number; state: 'done' | 'failed' };\ndeclare const e: unknown;\n${body}\n`;
  return auditLogs([], { [file]: src });
}

describe('extension logs carry codes, not peer data', function () {
  this.timeout(120_000);

  it('every log call in src/extension logs only codes, counts and literals (file:line of each offender)', () => {
    const offences = auditLogs(tsFiles(EXT));
    assert.equal(offences.length, 0, `log calls with text that may carry peer data:\n${show(offences)}`);
  });

  it('positive control: sees a file name, a path, an error message and surface text in a log call', () => {
    for (const body of [
      'log.warn(`sending ${t.name} failed`);',
      "log.info('saved to ' + t.path);",
      'log.error(`failed: ${e instanceof Error ? e.message : String(e)}`);',
      'log.warn(String(e));',
      'log.warn(`from ${noticeText(t.name)}`);', // made safe for a notification, still a name
    ])
      assert.ok(auditSnippet(body).length > 0, body);
    for (const body of ['log.warn(`failed: ${errorCode(e)}`);', 'log.info(`${t.size} bytes, ${t.state}`);', "log.info('toxync activated');"]) {
      assert.deepEqual(auditSnippet(body), [], body);
    }
  });

  it('errorCode keeps codes and class names, never messages', () => {
    assert.equal(
      errorCode(Object.assign(new Error('/home/me/secret.pdf: denied'), { code: 'TOX_ERR_FILE_SEND_NOT_CONNECTED' })),
      'TOX_ERR_FILE_SEND_NOT_CONNECTED',
    );
    assert.equal(errorCode(new RangeError('Alice’s file “x.pdf”')), 'RangeError');
    assert.equal(errorCode(Object.assign(new Error('x'), { code: '/home/me/x.pdf' })), 'Error');
    assert.equal(errorCode('plain string with /path'), 'error');
    assert.equal(codeOnly('file_send'), 'file_send');
    assert.equal(codeOnly('../../etc/passwd'), 'unknown');
    assert.equal(fromNode('a\nb\u202Ec'), 'a b⟦U+202E⟧c');
  });
});
