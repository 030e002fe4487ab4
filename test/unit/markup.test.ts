import { strict as assert } from 'node:assert';
import { checkLink, type LinkPolicy } from '../../src/common/links';
import { parseMarkup, type Span, spanText } from '../../src/common/markup';
import { seeded as rng } from '../helpers/random';

const policy: LinkPolicy = { contiBaseUrl: 'http://conti.example.org/app/', trustedHosts: [] };
const parse = (s: string): Span[] => parseMarkup(s, policy);

function walk(spans: readonly Span[], visit: (s: Span) => void): void {
  for (const s of spans) {
    visit(s);
    if ('children' in s) walk(s.children, visit);
  }
}
function links(spans: readonly Span[]): { text: string; url: string }[] {
  const out: { text: string; url: string }[] = [];
  walk(spans, (s) => {
    if (s.t === 'link') out.push({ text: s.text, url: s.url });
  });
  return out;
}
function kinds(spans: readonly Span[]): string[] {
  const out: string[] = [];
  walk(spans, (s) => out.push(s.t));
  return out;
}

/** The structural promises the renderer relies on, for any input. */
function assertWellFormed(input: string, spans: readonly Span[]): void {
  const where = JSON.stringify(input);
  assert.equal(spanText(spans), input, `spanText differs for ${where}`);
  walk(spans, (s) => {
    switch (s.t) {
      case 'link':
        // What the user reads is exactly where the click goes, and the policy agrees.
        assert.equal(s.text, s.url, `link text differs from url in ${where}`);
        assert.ok(checkLink(s.url, policy).ok, `link ${s.url} refused by the policy in ${where}`);
        break;
      case 'syntax':
        assert.ok(['*', '**', '_', '`', '```'].includes(s.text), `odd syntax span ${JSON.stringify(s.text)} in ${where}`);
        break;
      case 'strong':
      case 'em':
        assert.ok(s.children.length > 0, `empty emphasis in ${where}`);
        break;
      case 'text':
      case 'code':
        assert.ok(s.text.length > 0, `empty ${s.t} span in ${where}`);
        break;
      case 'codeblock':
        break;
    }
  });
}

describe('markup: nothing is hidden', () => {
  const fixed = [
    '',
    'plain',
    '**bold** and *it* and _it_ and `code`',
    '```\nblock\n``` after',
    '```unclosed',
    '``` a ``` b ``` c',
    '****',
    '***a***',
    '**a*b**c*',
    '`',
    '``',
    '` `',
    '_',
    '__init__',
    '*\n*',
    'see https://example.org/a.',
    '(https://example.org/x)',
    'http://',
    'https://',
    'https://.',
    'h',
    'ahttps://example.org',
    '[https://bank.example](https://evil.example)',
    '[https://bank.example/](https://evil.example/)',
    'javascript:alert(1) javascript:https://example.org',
    '**https://example.org/**',
    '\u202E**x**\u200B',
    '😀*😀*😀',
  ];

  it('spanText(parseMarkup(x)) === x for fixed cases', () => {
    for (const s of fixed) assertWellFormed(s, parse(s));
  });

  it('spanText(parseMarkup(x)) === x for thousands of random strings', () => {
    const alphabet = [
      '*',
      '**',
      '_',
      '`',
      '```',
      '[',
      ']',
      '(',
      ')',
      'h',
      't',
      'p',
      's',
      ':',
      '/',
      '\n',
      ' ',
      '.',
      ',',
      'a',
      'é',
      '😀',
      'https://',
      'http://',
      'example.org',
      'conti.example.org/app/',
      'javascript:',
      '](',
      '\u202E',
    ];
    const next = rng(1234);
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = Math.floor(next() * 40);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)]!;
      assertWellFormed(s, parse(s));
    }
  });
});

describe('markup: recognised formatting', () => {
  it('parses bold, italic, code, code blocks', () => {
    assert.deepEqual(parse('**bold**'), [
      { t: 'syntax', text: '**' },
      { t: 'strong', children: [{ t: 'text', text: 'bold' }] },
      { t: 'syntax', text: '**' },
    ]);
    assert.deepEqual(parse('*it*'), [
      { t: 'syntax', text: '*' },
      { t: 'em', children: [{ t: 'text', text: 'it' }] },
      { t: 'syntax', text: '*' },
    ]);
    assert.deepEqual(parse('an _it_.'), [
      { t: 'text', text: 'an ' },
      { t: 'syntax', text: '_' },
      { t: 'em', children: [{ t: 'text', text: 'it' }] },
      { t: 'syntax', text: '_' },
      { t: 'text', text: '.' },
    ]);
    assert.deepEqual(parse('run `rm -rf *` now'), [
      { t: 'text', text: 'run ' },
      { t: 'syntax', text: '`' },
      { t: 'code', text: 'rm -rf *' },
      { t: 'syntax', text: '`' },
      { t: 'text', text: ' now' },
    ]);
    assert.deepEqual(parse('x```\nlet *a* = 1;\n```y'), [
      { t: 'text', text: 'x' },
      { t: 'syntax', text: '```' },
      { t: 'codeblock', text: '\nlet *a* = 1;\n' },
      { t: 'syntax', text: '```' },
      { t: 'text', text: 'y' },
    ]);
  });

  it('nests emphasis inside bold', () => {
    assert.deepEqual(kinds(parse('**a *b* c**')), ['syntax', 'strong', 'text', 'syntax', 'em', 'text', 'syntax', 'text', 'syntax']);
  });

  it('does not format inside code', () => {
    assert.deepEqual(kinds(parse('`**x** https://example.org`')), ['syntax', 'code', 'syntax']);
  });

  it('leaves arithmetic and snake_case alone', () => {
    for (const s of [
      '2 * 3 * 4',
      '2 ** 10 ** 2',
      'snake_case_words',
      'a snake_case_name and another_one_here',
      'x = a_b_c * d_e_f',
      '__init__',
      '_private_var',
      'a * b',
      '* list item',
      'unclosed **bold',
    ]) {
      assert.deepEqual(parse(s), [{ t: 'text', text: s }], s);
    }
  });

  it('does not let emphasis cross a line break', () => {
    assert.deepEqual(parse('*a\nb*'), [{ t: 'text', text: '*a\nb*' }]);
  });
});

describe('markup: links', () => {
  it('links https, keeping trailing punctuation outside', () => {
    assert.deepEqual(parse('see https://example.org/a.'), [
      { t: 'text', text: 'see ' },
      { t: 'link', text: 'https://example.org/a', url: 'https://example.org/a' },
      { t: 'text', text: '.' },
    ]);
    assert.deepEqual(links(parse('(https://example.org/x), and "https://example.org/y"!?')), [
      { text: 'https://example.org/x', url: 'https://example.org/x' },
      { text: 'https://example.org/y', url: 'https://example.org/y' },
    ]);
  });

  it('links http only under the Conti base', () => {
    assert.deepEqual(links(parse('http://example.org/x')), []);
    assert.deepEqual(parse('http://example.org/x'), [{ t: 'text', text: 'http://example.org/x' }]);
    assert.deepEqual(links(parse('case http://conti.example.org/app/case/7')), [
      { text: 'http://conti.example.org/app/case/7', url: 'http://conti.example.org/app/case/7' },
    ]);
    assert.deepEqual(links(parse('http://conti.example.org/application')), []);
  });

  it('never links javascript: or other schemes', () => {
    for (const s of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'command:foo', '[x](javascript:alert(1))', 'data:text/html,hi', 'file:///etc/passwd']) {
      assert.deepEqual(links(parse(s)), [], s);
    }
  });

  it('does not link inside a word or with credentials', () => {
    assert.deepEqual(links(parse('xhttps://example.org')), []);
    assert.deepEqual(links(parse('https://user:pw@example.org/')), []);
  });

  it('never shows one address while linking another (markdown-style [label](url))', () => {
    for (const s of [
      '[https://bank.example](https://evil.example)',
      '[https://bank.example/](https://evil.example/)',
      '[bank](https://evil.example)',
      '[https://bank.example]: https://evil.example',
    ]) {
      const spans = parse(s);
      assertWellFormed(s, spans);
      for (const l of links(spans)) {
        // The link's own host is the first host in its visible text.
        const shownHost = /^https?:\/\/([^/\]]+)/.exec(l.text)?.[1];
        assert.equal(new URL(l.url).host, shownHost, `${s}: ${l.url}`);
      }
    }
    // The label of a markdown link is never itself a link to the target.
    assert.deepEqual(links(parse('[bank](https://evil.example)')), [{ text: 'https://evil.example', url: 'https://evil.example' }]);
  });
});

describe('markup: no input makes it slow', function () {
  // Each case is asserted under 2 s on its own: a correctness bound that catches quadratic
  // behaviour (which takes minutes at these sizes), not a benchmark.
  this.timeout(30_000);
  const cases: [string, string][] = [
    ['100 KB of "* "', '* '.repeat(50_000)],
    ['100 KB of "*"', '*'.repeat(100_000)],
    ['100 KB of "`"', '`'.repeat(100_000)],
    ['100 KB of "_a"', '_a'.repeat(50_000)],
    ['10,000 nested "**"', '**'.repeat(10_000) + 'x' + '**'.repeat(10_000)],
    ['"*" then 100 KB without a closer', '*' + 'a'.repeat(100_000)],
    ['openers each 4 KB from the next', ('*' + 'a'.repeat(4000) + ' ').repeat(25)],
    ['a URL with 100 KB of trailing punctuation before a letter', 'https://example.org/' + '.'.repeat(100_000) + 'x'],
    ['a URL with 100 KB of ")" before a letter', 'https://a' + ')'.repeat(100_000) + 'b'],
    ['100 KB of "https://"', 'https://'.repeat(12_500)],
    ['100 KB of " h"', ' h'.repeat(50_000)],
    // URLs glued to a word are not links; each must not rescan the rest of the line.
    ['400 KB of "xhttp://"', 'xhttp://'.repeat(50_000)],
    ['100 KB of "```"', '```'.repeat(33_333)],
  ];
  for (const [name, input] of cases) {
    it(`parses ${name} in well under a second`, () => {
      const t0 = performance.now();
      const spans = parse(input);
      const ms = performance.now() - t0;
      assert.equal(spanText(spans), input);
      assert.ok(ms < 2000, `${name} took ${Math.round(ms)} ms`);
    });
  }

  it('still formats a long message with many markers (the look-ahead budget is not spent on nothing)', () => {
    // 300 code spans, each followed by filler: the whole message is ~30 KB.
    const msg = ('`c` ' + 'x'.repeat(100) + '\n').repeat(300);
    const codes = kinds(parse(msg)).filter((k) => k === 'code').length;
    assert.equal(codes, 300);
  });
});
