// A cloned repository's .vscode/settings.json cannot change toxync's behaviour (issue 14,
// finding 2): every toxync.* setting is application- or machine-scoped, the extension reads
// only the user's own value or the default, and history is never deleted without asking.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { type InspectSource, readSettings, userScoped } from '../../src/extension/settings';
import { cutoffOf, keptNotice, retentionDetail, retentionMessage, type RetentionRule, retentionRule, ruleKey } from '../../src/extension/retention';

const ROOT = path.resolve(__dirname, '../../..');

/** toxync.* properties whose scope would let a workspace set them. */
function workspaceSettable(pkg: unknown): string[] {
  const conf = (pkg as { contributes?: { configuration?: unknown } }).contributes?.configuration;
  const sections = (Array.isArray(conf) ? conf : [conf]) as { properties?: Record<string, { scope?: string }> }[];
  return sections
    .flatMap((s) => Object.entries(s?.properties ?? {}))
    .filter(([k, v]) => k.startsWith('toxync.') && v.scope !== 'application' && v.scope !== 'machine')
    .map(([k]) => k);
}

type Inspected = { defaultValue?: unknown; globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown };
const inspector = (o: Record<string, Inspected>): InspectSource => ({
  inspect: <T>(k: string) => o[k] as { defaultValue?: T; globalValue?: T } | undefined,
});

describe('settings a workspace cannot set', () => {
  it('every toxync.* setting in package.json is application or machine scoped', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const sections = (Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration]) as {
      properties: object;
    }[];
    assert.ok(sections.flatMap((c) => Object.keys(c.properties)).length >= 10);
    assert.deepEqual(workspaceSettable(pkg), []);
  });

  it('positive control: the scope check sees a window-scoped or unscoped setting', () => {
    const pkg = {
      contributes: {
        configuration: {
          properties: {
            'toxync.a': { scope: 'window' },
            'toxync.b': {},
            'toxync.c': { scope: 'machine' },
            'toxync.d': { scope: 'resource' },
          },
        },
      },
    };
    assert.deepEqual(workspaceSettable(pkg), ['toxync.a', 'toxync.b', 'toxync.d']);
  });

  it('reads the user value or the default, never a workspace or folder value', () => {
    const hostile: Record<string, Inspected> = {
      'conti.baseUrl': { defaultValue: '', workspaceValue: 'https://evil.example/' },
      'links.trustedHosts': {
        defaultValue: [],
        globalValue: ['docs.example.net'],
        workspaceValue: ['evil.example'],
        workspaceFolderValue: ['evil2.example'],
      },
      'notifications.showContent': { defaultValue: true, globalValue: false, workspaceValue: true },
      'history.enabled': { defaultValue: true, workspaceValue: false },
    };
    const s = readSettings(userScoped(inspector(hostile)));
    assert.equal(s.contiBaseUrl, '');
    assert.deepEqual(s.trustedHosts, ['docs.example.net']);
    assert.equal(s.notificationsShowContent, false);
    assert.equal(userScoped(inspector(hostile)).get('history.enabled'), true);
    assert.equal(userScoped(inspector(hostile)).get('nothing.here'), undefined);
    // Positive control: a reader that merges scopes the way get() does sees the workspace's values.
    const merged = {
      get: <T>(k: string) => {
        const i = hostile[k];
        return (i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue ?? i?.defaultValue) as T | undefined;
      },
    };
    assert.equal(readSettings(merged).contiBaseUrl, 'https://evil.example/');
    assert.deepEqual(readSettings(merged).trustedHosts, ['evil2.example']);
  });

  it('src/extension reads toxync settings only through config.ts (writes may use getConfiguration)', () => {
    const files = (d: string): string[] =>
      readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? files(path.join(d, n)) : [path.join(d, n)]));
    const offenders: string[] = [];
    for (const f of files(path.join(ROOT, 'src/extension')).filter((f) => f.endsWith('.ts') && !f.endsWith(`${path.sep}config.ts`))) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/getConfiguration\([^)]*\)\s*\.\s*(get|inspect)\b|readSettings\(\s*vscode/.test(line)) offenders.push(`${path.relative(ROOT, f)}:${i + 1}`);
          // A configuration object kept in a variable may only be written to.
          if (/\b(cfg|config|conf)\.(get|inspect)\s*[<(]/.test(line) && /getConfiguration/.test(readFileSync(f, 'utf8')))
            offenders.push(`${path.relative(ROOT, f)}:${i + 1}`);
        });
    }
    assert.deepEqual(offenders, []);
  });
});

const retentionQuestion = (rule: RetentionRule, counts: ReadonlyMap<string, number>, nameOf: (k: string) => string) => ({
  message: retentionMessage(rule, counts),
  detail: retentionDetail(rule, counts, nameOf),
});

describe('history deletion asks first', () => {
  const names: Record<string, string> = { A: 'Alice', B: '[Details](command:workbench.action.quit)' };
  it('history off: the question names all history, the count and each conversation', () => {
    const rule = retentionRule(false, 0)!;
    assert.equal(ruleKey(rule), 'off');
    assert.equal(cutoffOf(rule, 1000), Infinity);
    const q = retentionQuestion(
      rule,
      new Map([
        ['A', 3],
        ['B', 1],
      ]),
      (k) => names[k]!,
    );
    assert.match(q.message, /^Delete all conversation history \(4 messages in 2 conversations\)\?$/);
    assert.match(q.detail, /toxync\.history\.enabled is off/);
    assert.match(q.detail, /Alice: 3 messages/);
    assert.ok(!q.detail.includes(']('), 'peer names go through the surface module');
    assert.match(keptNotice(rule), /Nothing was deleted.*history\.enabled to true/);
  });

  it('keepDays: the question names the age; a changed rule is a new consent key', () => {
    const rule = retentionRule(true, 30)!;
    assert.equal(cutoffOf(rule, 40 * 86_400_000), 10 * 86_400_000);
    assert.match(retentionQuestion(rule, new Map([['A', 1]]), () => 'A').message, /older than 30 days \(1 message in 1 conversation\)/);
    assert.notEqual(ruleKey(rule), ruleKey(retentionRule(true, 7)!));
    assert.equal(retentionRule(true, 0), null);
    assert.equal(retentionRule(undefined, 'x'), null);
  });

  it('lists at most five conversations and says how many more', () => {
    const counts = new Map(Array.from({ length: 8 }, (_, i) => [`K${i}`, i + 1] as const));
    const q = retentionQuestion({ kind: 'off' }, counts, (k) => k);
    assert.match(q.detail, /…and 3 more conversations/);
    assert.ok(q.detail.startsWith('Your setting'));
  });
});
