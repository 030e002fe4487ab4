import { strict as assert } from 'node:assert';
import { FALLBACK_NAME, numberedName, safeFileName } from '../../src/common/filename';
import { OWN_HOSTILE_NAMES, xssNames } from '../fixtures/hostile-names';
import { seeded } from '../helpers/random';
import { assertSafeName } from '../helpers/safe-name';

const bytes = (s: string): number => Buffer.byteLength(s);

describe("safeFileName (the issue's rules for received file names)", () => {
  it('keeps ordinary names as they are', () => {
    for (const n of ['report 2026.pdf', 'фото.jpg', 'a-b_c.tar.gz', '日本語のファイル.txt', 'café (1).png', 'x']) assert.equal(safeFileName(n), n);
  });

  it('keeps the base name only: no path, in either slash, or a look-alike one', () => {
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('C:\\Windows\\evil.dll'), 'evil.dll');
    assert.equal(safeFileName('/etc/shadow'), 'shadow');
    assert.equal(safeFileName('dir/'), 'dir');
    assert.equal(safeFileName('fake\u2215path.txt'), 'fake_path.txt');
    assert.equal(safeFileName('a\uFF0Fb'), 'a_b');
  });

  it('removes NUL, controls, bidi and invisible characters', () => {
    assert.equal(safeFileName('report.pdf\u0000.exe'), 'report.pdf.exe');
    assert.equal(safeFileName('a\u202Egnp.exe'), 'agnp.exe');
    assert.equal(safeFileName('in\u2066x\u2069.txt'), 'inx.txt');
    assert.equal(safeFileName('z\u200B\u200D\uFEFF.txt'), 'z.txt');
    assert.equal(safeFileName('a\u0007\u001b\u0085\nb\tc'), 'abc');
    assert.equal(safeFileName('t\u{E0041}.txt'), 't.txt');
  });

  it('drops a leading dash, space or dot and trailing dots and spaces', () => {
    assert.equal(safeFileName('-rf'), 'rf');
    assert.equal(safeFileName('--help'), 'help');
    assert.equal(safeFileName('.bashrc'), 'bashrc');
    assert.equal(safeFileName(' - .x.txt'), 'x.txt');
    assert.equal(safeFileName('a.exe. . '), 'a.exe');
  });

  it('turns ".", "..", empty and invisible-only names into the fallback', () => {
    for (const n of ['.', '..', '...', '', '   ', '\u202E\u200B', '/', '\\\\']) assert.equal(safeFileName(n), FALLBACK_NAME, JSON.stringify(n));
  });

  it('prefixes Windows device names, with any extension, any case', () => {
    for (const n of ['CON', 'prn', 'Aux', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM0', 'COM¹', 'CONIN$', 'CONOUT$']) {
      assert.equal(safeFileName(n), `_${n}`);
      assert.equal(safeFileName(`${n}.txt`), `_${n}.txt`);
      assert.equal(safeFileName(`${n}.tar.gz`), `_${n}.tar.gz`);
    }
    assert.equal(safeFileName('con .txt'), '_con .txt');
    assert.equal(safeFileName('console.txt'), 'console.txt');
    assert.equal(safeFileName('COM10'), 'COM10');
  });

  it('replaces characters Windows refuses', () => {
    assert.equal(safeFileName('a<b>c:d"e|f?g*h.txt'), 'a_b_c_d_e_f_g_h.txt');
  });

  it('caps names at 255 UTF-8 bytes on a code point boundary, keeping the extension', () => {
    const long = safeFileName(`${'a'.repeat(500)}.tar.gz`);
    assert.equal(bytes(long), 255);
    assert.ok(long.endsWith('.gz'));
    const wide = safeFileName(`${'𝄞'.repeat(100)}.png`);
    assert.ok(bytes(wide) <= 255 && wide.endsWith('.png') && !wide.includes('\uFFFD'));
    assert.ok(bytes(safeFileName('é'.repeat(300), undefined, 100)) <= 100);
  });

  it('numbers alternatives within the byte cap: photo.jpg → photo (2).jpg', () => {
    assert.equal(numberedName('photo.jpg', 2), 'photo (2).jpg');
    assert.equal(numberedName('README', 1), 'README (1)');
    const n = numberedName('a'.repeat(255), 12);
    assert.equal(bytes(n), 255);
    assert.ok(n.endsWith(' (12)'));
  });

  it('every name of the hostile corpus (own + XSS lists) comes out safe', () => {
    const corpus = [...OWN_HOSTILE_NAMES, ...xssNames()];
    assert.ok(corpus.length > 2000, `corpus has ${corpus.length} names`);
    for (const n of corpus) assertSafeName(safeFileName(n), n);
  });

  it('random strings (seeded) come out safe', () => {
    const rnd = seeded(7);
    const pool = ['.', '-', ' ', '/', '\\', '\u0000', '\u202E', '\u200B', 'a', 'Z', 'é', '𝄞', 'C', 'O', 'N', ':', '*', '\u3164', '\uFF0F', '\n'];
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const len = Math.floor(rnd() * 300);
      for (let j = 0; j < len; j++) s += pool[Math.floor(rnd() * pool.length)];
      const out = safeFileName(s);
      assertSafeName(out, s);
      assertSafeName(numberedName(out, 1 + Math.floor(rnd() * 999)), s);
    }
  });
});
