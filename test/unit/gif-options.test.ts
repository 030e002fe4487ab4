// The generator's boundary: options arrive as `unknown` and are refused with a message that
// says what to change; the `toxync gif` flags parse into them.

import { strict as assert } from 'node:assert';
import { GifOptionError, LIMITS, parseGifOptions } from '../../src/gif/options';
import { type GifArgs, parseGifArgs } from '../../src/cli/gifArgs';

const textOf = (a: GifArgs): unknown => (a.list ? null : a.options.text);

describe('GIF options', () => {
  it('defaults: marquee, 320×120, 3 s, 12 fps, dark theme', () => {
    const o = parseGifOptions({ text: 'hi' });
    assert.deepEqual([o.style, o.width, o.height, o.seconds, o.fps], ['marquee', 320, 120, 3, 12]);
    assert.deepEqual(o.bg, [0x1e, 0x1e, 0x1e]);
    assert.deepEqual(parseGifOptions({ bg: '#0A0b0C' }).bg, [10, 11, 12]);
  });

  const refused: [string, unknown, RegExp][] = [
    ['not an object', 'marquee', /must be an object/],
    ['an array', [], /must be an object/],
    ['an unknown key', { colour: 'red' }, /unknown option "colour"/],
    ['an unknown style', { style: 'spin' }, /style must be one of marquee, shake/],
    ['an unknown theme', { theme: 'neon' }, /theme must be one of dark, light/],
    ['width 15', { width: 15 }, /width must be 16\.\.1024, not 15/],
    ['height 2000', { height: 2000 }, /height must be 16\.\.1024/],
    ['a fractional width', { width: 100.5 }, /width must be a whole number/],
    ['width as a string', { width: '100' }, /width must be a whole number/],
    ['seconds 0', { seconds: 0 }, /seconds must be 1\.\.10/],
    ['seconds 11', { seconds: 11 }, /seconds must be 1\.\.10/],
    ['fps 30', { fps: 30 }, /fps must be 1\.\.25/],
    ['too much work', { width: 1024, height: 1024, seconds: 10, fps: 25 }, /at most 40000000/],
    ['text not a string', { text: 42 }, /text must be a string/],
    ['text too long', { text: 'x'.repeat(LIMITS.textChars + 1) }, /longer than 200 characters/],
    ['text too many bytes', { text: '😀'.repeat(LIMITS.textChars) }, /longer than 600 bytes/],
    ['a huge text', { text: 'x'.repeat(10_000_000) }, /longer than 200 characters/],
    ['label too long', { label: 'y'.repeat(51) }, /label is longer than 50 characters/],
    ['a colour name', { fg: 'red' }, /fg must be a colour like #1e90ff/],
    ['a short colour', { bg: '#fff' }, /bg must be a colour/],
  ];
  for (const [what, raw, msg] of refused) {
    it(`refuses ${what}`, () =>
      assert.throws(
        () => parseGifOptions(raw),
        (e: unknown) => e instanceof GifOptionError && msg.test(e.message),
      ));
  }

  it('accepts the limits themselves', () => {
    parseGifOptions({ width: 16, height: 1024, seconds: 10, fps: 1, text: 'x'.repeat(200) });
    parseGifOptions({ width: 1024, height: 16, seconds: 1, fps: 25 });
  });
});

describe('toxync gif flags', () => {
  it('--list-styles alone', () => {
    assert.deepEqual(parseGifArgs(['--list-styles']), { list: true });
    assert.throws(() => parseGifArgs(['--list-styles', '--text', 'x']), /takes no other option/);
  });
  it('maps flags to generator options', () => {
    const a = parseGifArgs([
      '--text',
      'LGTM',
      '--style',
      'shake',
      '--width',
      '200',
      '--height',
      '80',
      '--seconds',
      '2',
      '--fps',
      '10',
      '--label',
      'ci',
      '--theme',
      'light',
      '--fg',
      '#000000',
      '--out',
      '/tmp/x.gif',
      '--force',
    ]);
    assert.deepEqual(a, {
      list: false,
      out: '/tmp/x.gif',
      force: true,
      options: { text: 'LGTM', style: 'shake', width: 200, height: 80, seconds: 2, fps: 10, label: 'ci', theme: 'light', fg: '#000000' },
    });
  });
  it('allows an empty text and one starting with a dash', () => {
    assert.equal(textOf(parseGifArgs(['--text', '', '--out', 'o.gif'])), '');
    assert.equal(textOf(parseGifArgs(['--text', '-5%', '--out', 'o.gif'])), '-5%');
  });
  it('refuses what it cannot use', () => {
    assert.throws(() => parseGifArgs(['--out', 'o.gif']), /--text TEXT is required/);
    assert.throws(() => parseGifArgs(['--text', 'x']), /--out FILE is required/);
    assert.throws(() => parseGifArgs(['--text', 'x', '--out', 'o.gif', '--width', 'wide']), /--width: "wide" is not a whole number/);
    assert.throws(() => parseGifArgs(['--text', '--out', 'o.gif']), /--text needs a value/);
    assert.throws(() => parseGifArgs(['--text', 'x', '--text', 'y', '--out', 'o.gif']), /given twice/);
    assert.throws(() => parseGifArgs(['--text', 'x', '--out', 'o.gif', '--colour', 'red']), /unknown option "--colour"/);
  });
});
