import { strict as assert } from 'node:assert';
import { capUtf8, fingerprint, notificationSafe, oneLine, splitInvisibles, visibleForm } from '../../src/common/text';
import { seeded as rng } from '../helpers/random';

const hex = (cp: number): string => cp.toString(16).toUpperCase().padStart(4, '0');
const marker = (cp: number): string => `⟦U+${hex(cp)}⟧`;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('peer text: invisible and direction-changing code points', () => {
  // The spoofing tools the issue names: bidi embeddings/overrides, isolates, zero-width
  // characters and marks, and the BOM. Each must show up as a marker, never silently.
  const named = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069), ...range(0x200b, 0x200f), 0xfeff];

  it('turns every named bidi / zero-width code point into a ⟦U+XXXX⟧ marker', () => {
    for (const cp of named) {
      const ch = String.fromCodePoint(cp);
      assert.equal(visibleForm(`a${ch}b`), `a${marker(cp)}b`, hex(cp));
      assert.deepEqual(splitInvisibles(`a${ch}b`), [{ text: 'a' }, { invisible: cp }, { text: 'b' }], hex(cp));
    }
  });

  it('marks the classic "exe.gnp" right-to-left override so the trick is visible', () => {
    assert.equal(visibleForm('photo\u202Egnp.exe'), 'photo⟦U+202E⟧gnp.exe');
  });

  it('marks tag characters U+E0000–U+E007F (hidden ASCII), with a 5-digit marker', () => {
    for (const cp of [0xe0000, 0xe0001, 0xe0020, 0xe0041, 0xe007e, 0xe007f]) {
      assert.equal(visibleForm(`x${String.fromCodePoint(cp)}y`), `x⟦U+${hex(cp)}⟧y`, hex(cp));
    }
    // "Hi" smuggled as tags after visible text: both hidden letters become markers.
    assert.equal(visibleForm('ok\u{E0048}\u{E0069}'), 'ok⟦U+E0048⟧⟦U+E0069⟧');
  });

  it('marks C0, DEL and C1 controls but keeps tab and newline', () => {
    const controls = [...range(0x00, 0x1f), 0x7f, ...range(0x80, 0x9f)].filter((cp) => cp !== 0x09 && cp !== 0x0a);
    for (const cp of controls) {
      assert.equal(visibleForm(`a${String.fromCodePoint(cp)}b`), `a${marker(cp)}b`, hex(cp));
    }
    assert.equal(visibleForm('a\tb\nc'), 'a\tb\nc');
    // \r is a control too: only \n is the line break we render.
    assert.equal(visibleForm('a\r\nb'), 'a⟦U+000D⟧\nb');
  });

  it('keeps a ZWJ only when it joins two pictographs', () => {
    for (const emoji of [
      '👨\u200D👩\u200D👧', // family
      '🧑\u200D🤝\u200D🧑', // people holding hands
      '👩🏽\u200D💻', // technologist with a skin tone: the ZWJ follows the modifier
      '❤\uFE0F\u200D🔥', // heart on fire: the ZWJ follows VS16
      '🏳\uFE0F\u200D🌈', // rainbow flag
      '🧑🏻\u200D❤\uFE0F\u200D💋\u200D🧑🏼', // kiss with skin tones
    ]) {
      assert.equal(visibleForm(emoji), emoji, JSON.stringify(emoji));
      assert.deepEqual(splitInvisibles(emoji), [{ text: emoji }]);
    }
    // Everything else with a ZWJ hides something (or nothing useful) and is shown.
    const z = marker(0x200d);
    assert.equal(visibleForm('a\u200Db'), `a${z}b`);
    assert.equal(visibleForm('👨\u200Db'), `👨${z}b`);
    assert.equal(visibleForm('a\u200D👩'), `a${z}👩`);
    assert.equal(visibleForm('\u200D👩'), `${z}👩`);
    assert.equal(visibleForm('👨\u200D'), `👨${z}`);
    assert.equal(visibleForm('👨\u200D\u200D👩'), `👨${z}${z}👩`);
    // A variation selector or skin tone alone is not a pictograph to join from.
    assert.equal(visibleForm('a\uFE0F\u200D👩'), `a\uFE0F${z}👩`);
    assert.equal(visibleForm('\u{1F3FD}\u200D👩'), `\u{1F3FD}${z}👩`);
  });

  it('leaves ordinary text of every kind exactly as it is', () => {
    for (const s of [
      '',
      'hello, world!',
      'héllo wörld',
      'e\u0301 a\u0308 n\u0303', // combining marks
      '日本語のテキスト、中文，한국어',
      'مرحبا بالعالم',
      'नमस्ते',
      '😀👍🏽🇺🇸✌️',
      'tabs\tand\nnewlines',
      '<script>alert(1)</script> & "quotes"',
    ]) {
      assert.equal(visibleForm(s), s, JSON.stringify(s));
      assert.deepEqual(splitInvisibles(s), s ? [{ text: s }] : []);
    }
  });

  it('marks lone surrogates (they are not text) but keeps valid pairs', () => {
    assert.equal(visibleForm('a\uD800b'), 'a⟦U+D800⟧b');
    assert.equal(visibleForm('a\uDC00'), 'a⟦U+DC00⟧');
    assert.equal(visibleForm('\uDE00\uD83D'), '⟦U+DE00⟧⟦U+D83D⟧'); // a pair in the wrong order
    assert.equal(visibleForm('\uD83D\uDE00'), '😀');
  });

  it('round-trips: the text parts and markers cover the whole input, in order', () => {
    const alphabet = ['a', ' ', '\n', '\t', '\r', '\u200D', '\u200B', '\u202E', '\uFEFF', '👨', '👩', '\uFE0F', '\u{E0041}', '\uD800', 'é', '日'];
    const next = rng(7);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = Math.floor(next() * 12);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)]!;
      const rebuilt = splitInvisibles(s)
        .map((p) => ('text' in p ? p.text : String.fromCodePoint(p.invisible)))
        .join('');
      assert.equal(rebuilt, s, JSON.stringify(s));
    }
  });
});

describe('capUtf8', () => {
  it('returns the same string when it fits, including exactly at the cap', () => {
    assert.equal(capUtf8('hello', 128), 'hello');
    assert.equal(capUtf8('€€', 6), '€€');
    assert.equal(capUtf8('😀', 4), '😀');
    assert.equal(capUtf8('', 0), '');
  });

  it('cuts before a 4-byte emoji that straddles the cap', () => {
    assert.equal(capUtf8('aaa😀', 4), 'aaa');
    assert.equal(capUtf8('aaa😀', 5), 'aaa');
    assert.equal(capUtf8('aaa😀', 6), 'aaa');
    assert.equal(capUtf8('aaa😀', 7), 'aaa😀');
    assert.equal(capUtf8('a'.repeat(126) + '😀', 128), 'a'.repeat(126));
  });

  it('never exceeds the cap, never splits a code point, and keeps the longest prefix', () => {
    for (const text of ['a€𝄞é😀b', '😀'.repeat(10), '€'.repeat(10), 'é'.repeat(10), '日本語😀abc€']) {
      const cps = Array.from(text);
      for (let cap = 0; cap <= utf8Bytes(text) + 2; cap++) {
        const out = capUtf8(text, cap);
        assert.ok(utf8Bytes(out) <= cap, `${JSON.stringify(text)} cap ${cap}: ${utf8Bytes(out)} bytes`);
        assert.ok(text.startsWith(out), 'a prefix of the input');
        assert.ok(!/[\uD800-\uDBFF]$/.test(out), 'does not end in half a surrogate pair');
        // Maximal: the next whole code point would not have fitted.
        const kept = Array.from(out).length;
        if (kept < cps.length) assert.ok(utf8Bytes(out + cps[kept]!) > cap, `${JSON.stringify(text)} cap ${cap} cut too early`);
      }
    }
  });
});

describe('oneLine and notificationSafe', () => {
  it('flattens newlines and tabs into single spaces and trims', () => {
    assert.equal(oneLine('  a\nb\r\nc\t\td \n'), 'a b c d');
  });

  it('shows invisibles as markers', () => {
    assert.equal(oneLine('evil\u202Etxt.exe'), 'evil⟦U+202E⟧txt.exe');
  });

  it('truncates to maxChars code points with …, without splitting an emoji', () => {
    assert.equal(oneLine('x'.repeat(200)), 'x'.repeat(200));
    const long = oneLine('x'.repeat(300));
    assert.equal(Array.from(long).length, 200);
    assert.ok(long.endsWith('x…'));
    const emoji = oneLine('😀'.repeat(30), 10);
    assert.equal(emoji, '😀'.repeat(9) + '…');
    assert.equal(notificationSafe('y'.repeat(50), 20), 'y'.repeat(19) + '…');
  });

  // VS Code turns [label](target) in notification text into a link, command: targets included.
  const attacks = [
    '[x](command:foo)',
    '[x]  (https://y)',
    '[x]\n(command:workbench.action.terminal.sendSequence)',
    '[x]\r\n\t(command:foo)',
    '[x]\u00A0(command:foo)',
    '[x]\u3000(command:foo)',
    ']](([a](b)[c](d)',
    '[click]' + ' '.repeat(500) + '(command:foo)',
  ];

  it('never lets "](" survive, so no link can form', () => {
    for (const a of attacks) {
      const out = notificationSafe(a);
      assert.ok(!out.includes(']('), `${JSON.stringify(a)} -> ${JSON.stringify(out)}`);
      assert.ok(!/\n/.test(out));
    }
    assert.equal(notificationSafe('[x](command:foo)'), '[x] (command:foo)');
  });

  it('never lets "](" survive for random bracket soup, at any length cap', () => {
    const alphabet = ['[', ']', '(', ')', ' ', '\n', '\t', '\r', '\u00A0', '\u2028', 'x', 'command:', ']('];
    const next = rng(42);
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const len = Math.floor(next() * 20);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)]!;
      const cap = 2 + Math.floor(next() * 30);
      const out = notificationSafe(s, cap);
      assert.ok(!out.includes(']('), `${JSON.stringify(s)} -> ${JSON.stringify(out)}`);
      // Breaking links must not push the text past its length cap.
      assert.ok(Array.from(out).length <= cap, `${JSON.stringify(s)} cap ${cap} -> ${JSON.stringify(out)}`);
    }
  });

  it('keeps the length cap even when many links are broken', () => {
    const out = notificationSafe('[a](b)'.repeat(100), 50);
    assert.equal(Array.from(out).length, 50);
    assert.ok(!out.includes(']('));
  });
});

describe('fingerprint', () => {
  it('upper-cases and groups by four', () => {
    assert.equal(fingerprint('abcdef0123456789'), 'ABCD EF01 2345 6789');
    assert.equal(fingerprint('abcdef'), 'ABCD EF');
    const key = '0123456789abcdef'.repeat(4);
    const groups = fingerprint(key).split(' ');
    assert.equal(groups.length, 16);
    assert.ok(groups.every((g) => /^[0-9A-F]{4}$/.test(g)));
    assert.equal(groups.join(''), key.toUpperCase());
  });
});
