// The conversation's timeline rules (src/webview/timeline.ts) and the code-block layout
// (src/webview/markupLayout.ts): pure functions, so checked here without a browser.

import { strict as assert } from 'node:assert';
import { parseMarkup } from '../../src/common/markup';
import type { ChatMessage } from '../../src/protocol/webview';
import { layoutBlocks } from '../../src/webview/markupLayout';
import { continuesGroup, dayLabel, GROUP_GAP_MS, isLong, joinSplit, joinSplits, startsDay } from '../../src/webview/timeline';

const T0 = new Date(2026, 11, 3, 10, 0, 0).getTime();
const msg = (id: string, dir: ChatMessage['dir'], ts: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  dir,
  kind: 'normal',
  text: id,
  ts,
  ...extra,
});
const policy = { contiBaseUrl: '', trustedHosts: [] };
const textOf = (spans: ReturnType<typeof layoutBlocks>) => spans.map((s) => ('children' in s ? '' : s.text)).join('');

describe('conversation timeline', () => {
  it('groups one sender within a few minutes on one day; not across senders, gaps or days, never system notes', () => {
    const a = msg('a', 'in', T0);
    assert.equal(continuesGroup(a, msg('b', 'in', T0 + 60_000)), true);
    assert.equal(continuesGroup(a, msg('b', 'out', T0 + 60_000)), false);
    assert.equal(continuesGroup(a, msg('b', 'in', T0 + GROUP_GAP_MS)), false);
    assert.equal(continuesGroup(msg('s', 'system', T0), msg('t', 'system', T0 + 1)), false);
    assert.equal(continuesGroup(undefined, a), false);
    const lateEvening = new Date(2026, 11, 3, 23, 59, 0).getTime();
    assert.equal(continuesGroup(msg('x', 'in', lateEvening), msg('y', 'in', lateEvening + 120_000)), false, 'midnight starts a new group');
    assert.equal(startsDay(msg('x', 'in', lateEvening), msg('y', 'in', lateEvening + 120_000)), true);
    assert.equal(startsDay(a, msg('b', 'in', T0 + 60_000)), false);
  });

  it('labels days Today, Yesterday, then by date', () => {
    assert.equal(dayLabel(T0, T0 + 3600_000), 'Today');
    assert.equal(dayLabel(T0 - 86_400_000, T0), 'Yesterday');
    assert.doesNotMatch(dayLabel(T0 - 5 * 86_400_000, T0), /Today|Yesterday/);
  });

  it('joins consecutive parts of one split message, and nothing else', () => {
    const of = 'ab'.repeat(16);
    const parts = [
      msg('p0', 'in', T0, { text: 'one ', split: { of, part: 0 } }),
      msg('p1', 'in', T0, { text: 'two ', split: { of, part: 1 } }),
      msg('p2', 'in', T0, { text: 'three', split: { of, part: 2 } }),
    ];
    const joined = joinSplits([msg('before', 'in', T0), ...parts, msg('after', 'in', T0, { split: { of: 'cd'.repeat(16), part: 0 } })]);
    assert.deepEqual(
      joined.map((m) => [m.id, m.text]),
      [
        ['before', 'before'],
        ['p0', 'one two three'],
        ['after', 'after'],
      ],
    );
    assert.equal(joinSplit(parts[0], parts[2]!), null, 'a missing part does not join');
    assert.equal(joinSplit(msg('x', 'in', T0), parts[1]!), null, 'a message without a split tag does not join');
  });

  it('collapses by length or by lines', () => {
    assert.equal(isLong('short'), false);
    assert.equal(isLong('x'.repeat(5000)), true);
    assert.equal(isLong('a\n'.repeat(20)), true);
  });
});

describe('code-block layout', () => {
  it('keeps every character (hidden markers) and puts no line break right around a block', () => {
    for (const text of ['before\n```\ncode\n  more\n```\nafter', '```ts\nconst a = 1;\n```', 'x ```inline``` y', '```\n```', '**b** ```a```']) {
      const laid = layoutBlocks(parseMarkup(text, policy));
      const flat = laid.flatMap((s) => ('children' in s ? [{ t: 'syntax', text: '' }] : [s]));
      if (!text.includes('**')) assert.equal(textOf(laid), text, text);
      for (const [i, s] of flat.entries()) {
        if (s.t !== 'codeblock') continue;
        assert.ok(!s.text.startsWith('\n') && !s.text.endsWith('\n'), `block text ${JSON.stringify(s.text)}`);
        const before = flat
          .slice(0, i)
          .filter((p) => p.t === 'text')
          .pop();
        if (before) assert.ok(!before.text.endsWith('\n'), 'no visible line break before a block');
      }
    }
    const lang = layoutBlocks(parseMarkup('```ts\nconst a = 1;\n```', policy));
    assert.deepEqual(
      lang.filter((s) => s.t === 'codelang' || s.t === 'codeblock').map((s) => [s.t, 'text' in s ? s.text : '']),
      [
        ['codelang', 'ts'],
        ['codeblock', 'const a = 1;'],
      ],
    );
  });
});
