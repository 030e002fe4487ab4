// The pager alert format (docs/pager.md): round trips, and hostile input that must come out
// as "not an alert" (null), never as an exception or a half-trusted alert.

import { strict as assert } from 'node:assert';
import {
  type Alert,
  AlertFormatError,
  type CodeAlert,
  encodeAlert,
  encodeAlertPacket,
  MAX_BODY_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_TITLE_BYTES,
  parseAlert,
  parseAlertPacket,
  type PlainAlert,
  alertSummary,
} from '../../src/protocol/pagerAlert';
import { seeded } from '../helpers/random';

const EXP = Date.UTC(2030, 0, 2, 3, 4, 5);
const alert = (over: Partial<PlainAlert> = {}): PlainAlert => ({
  kind: 'alert',
  id: 'Zk3vQ9aLx0Tb',
  priority: 'warning',
  expiresAt: EXP,
  link: '/ci/runs/812',
  title: 'Build failed',
  body: 'main: the test step failed on run #812.',
  ...over,
});
const code = (over: Partial<CodeAlert> = {}): CodeAlert => ({
  kind: 'code',
  id: 'c0de-1',
  priority: 'warning',
  expiresAt: EXP,
  link: null,
  code: '482913',
  service: 'GitHub',
  action: 'sign in',
  requestId: 'req-77',
  ...over,
});
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Rebuilds a message's trailer with `edit` applied to its text. */
function withTrailer(text: string, edit: (trailer: string) => string): string {
  const lines = text.split('\n');
  lines[lines.length - 1] = edit(lines[lines.length - 1]!);
  return lines.join('\n');
}

describe('alert format: encode and parse', () => {
  it('reads well in any client: the human line first, the trailer last', () => {
    const text = encodeAlert(alert());
    assert.equal(
      text,
      '⚠️ Build failed\nmain: the test step failed on run #812.\ntoxync/1 alert id=Zk3vQ9aLx0Tb p=warning exp=2030-01-02T03:04:05Z link=/ci/runs/812',
    );
    const c = encodeAlert(code());
    assert.equal(c.split('\n')[0], '🔑 482913 is your GitHub code to sign in');
    assert.match(c, /\ntoxync\/1 code id=c0de-1 p=warning exp=2030-01-02T03:04:05Z code=482913 svc=GitHub act=sign%20in rid=req-77$/);
  });

  it('round-trips alerts and codes of every priority, with and without link and body', () => {
    const cases: Alert[] = [
      alert(),
      alert({ priority: 'info', link: null, body: '' }),
      alert({ priority: 'critical', link: 'https://conti.example.org/x?a=1&b=%20#f' }),
      alert({ title: 'Ünïcödé ✓ 日本語 👩🏽‍💻', body: 'line 1\n\n\tline 3 with tab\nπ%20 literal percent' }),
      code(),
      code({ code: '00000001', service: 'Conti Prod', action: 'approve deploy #12 = yes', requestId: 'a.b:c_d-e', priority: 'critical' }),
    ];
    for (const a of cases) {
      const text = encodeAlert(a);
      assert.ok(utf8(text) <= MAX_MESSAGE_BYTES);
      assert.deepEqual(parseAlert(text), a, text);
      assert.deepEqual(parseAlertPacket(encodeAlertPacket(a)), a);
    }
  });

  it('keeps expiry to the second', () => {
    assert.equal(parseAlert(encodeAlert(alert({ expiresAt: EXP + 999 })))!.expiresAt, EXP);
  });

  it('fits the biggest allowed alert into one Tox message, and refuses what does not fit', () => {
    const big = alert({ title: 'T'.repeat(MAX_TITLE_BYTES), body: 'b'.repeat(MAX_BODY_BYTES), link: `/${'l'.repeat(400)}` });
    assert.ok(utf8(encodeAlert(big)) <= MAX_MESSAGE_BYTES);
    assert.throws(() => encodeAlert(alert({ title: 'T'.repeat(MAX_TITLE_BYTES + 1) })), AlertFormatError);
    assert.throws(() => encodeAlert(alert({ body: 'b'.repeat(MAX_BODY_BYTES + 1) })), AlertFormatError);
    // Links with many characters the trailer must escape grow past the limit: a clear error.
    assert.throws(() => encodeAlert(alert({ title: 'T'.repeat(120), body: 'b'.repeat(700), link: `/${'é'.repeat(300)}` })), /does not fit in one Tox message/);
  });

  it('refuses to encode invalid fields with a reason', () => {
    const bad: [Alert, RegExp][] = [
      [alert({ id: 'has space' }), /id/],
      [alert({ id: '' }), /id/],
      [alert({ priority: 'urgent' as never }), /priority/],
      [alert({ title: '   ' }), /title is empty/],
      [alert({ title: 'two\nlines' }), /one line|control/],
      [alert({ title: 'evil \u202Egnp.exe' }), /direction/],
      [alert({ body: 'bell \u0007' }), /control/],
      [alert({ body: 'lone \uD800 surrogate' }), /control/],
      [alert({ link: 'https://a.example/ b' }), /spaces/],
      [alert({ expiresAt: NaN }), /expiry/],
      [code({ code: '12345' }), /6–8 digits/],
      [code({ code: '123456789' }), /6–8 digits/],
      [code({ requestId: 'no spaces please' }), /request id/],
      [code({ service: '' }), /service/],
      [code({ action: 'x\ny' }), /action/],
    ];
    for (const [a, re] of bad)
      assert.throws(
        () => encodeAlert(a),
        (e: unknown) => e instanceof AlertFormatError && re.test(e.message),
        JSON.stringify(a),
      );
  });

  it('summaries never contain a code', () => {
    assert.equal(alertSummary(code()), 'Code for GitHub: sign in');
    assert.ok(!alertSummary(code()).includes('482913'));
  });
});

describe('alert format: hostile input', () => {
  const good = encodeAlert(alert());
  const goodCode = encodeAlert(code());

  it('is null for ordinary messages and anything that is not a string', () => {
    for (const v of ['', 'hello', 'toxync/1 alert id=x p=info exp=2030-01-01T00:00:00Z', '⚠️ x\n', null, undefined, 42, {}, ['a']])
      assert.equal(parseAlert(v), null, String(v));
  });

  it('is null when any required part is wrong', () => {
    const broken = [
      withTrailer(good, (t) => t.replace('toxync/1', 'toxync/2')), // another major version
      withTrailer(good, (t) => t.replace('toxync/1', 'toxync/01x')),
      withTrailer(good, (t) => t.replace(' alert ', ' page ')),
      withTrailer(good, (t) => t.replace('p=warning', 'p=urgent')), // bad priority
      withTrailer(good, (t) => t.replace('p=warning', 'p=WARNING')),
      withTrailer(good, (t) => t.replace(' p=warning', '')), // missing priority
      withTrailer(good, (t) => t.replace(' id=Zk3vQ9aLx0Tb', '')),
      withTrailer(good, (t) => t.replace('id=Zk3vQ9aLx0Tb', 'id=../../etc')),
      withTrailer(good, (t) => t.replace('exp=2030-01-02T03:04:05Z', 'exp=tomorrow')),
      withTrailer(good, (t) => t.replace('exp=2030-01-02T03:04:05Z', 'exp=2030-13-45T99:99:99Z')),
      withTrailer(good, (t) => `${t} p=info`), // duplicate field: ambiguous
      withTrailer(good, (t) => t.replace(' p=', '  p=')), // empty token
      withTrailer(good, (t) => `${t} `),
      withTrailer(good, (t) => `${t} link2`), // not key=value
      withTrailer(good, (t) => `${t} x=%E0%A4%A`), // malformed percent-encoding (unknown key: still well-formed token, value skipped)
      withTrailer(good, (t) => t.replace('link=/ci/runs/812', 'link=%ZZ')),
      withTrailer(good, (t) => t.replace('link=/ci/runs/812', 'link=')),
      good.replace('⚠️ ', '🚨 '), // icon does not match the priority
      good.replace('⚠️ Build failed', '⚠️ '), // empty title
      good.replace('⚠️ Build failed', 'Build failed'),
      withTrailer(goodCode, (t) => t.replace('code=482913', 'code=4829')),
      withTrailer(goodCode, (t) => t.replace('code=482913', 'code=48291a')),
      withTrailer(goodCode, (t) => t.replace(' rid=req-77', '')),
      withTrailer(goodCode, (t) => t.replace('rid=req-77', 'rid=req%2077')),
      withTrailer(goodCode, (t) => t.replace('svc=GitHub', 'svc=')),
      withTrailer(goodCode, (t) => t.replace(' act=sign%20in', '')),
    ];
    // Unknown keys are skipped without decoding: the malformed one above must still parse.
    const unknownMalformed = broken.splice(14, 1)[0]!;
    assert.ok(parseAlert(unknownMalformed));
    for (const text of broken) assert.equal(parseAlert(text), null, text);
  });

  it('ignores unknown fields (newer minor additions) and CRLF line ends', () => {
    const extra = withTrailer(good, (t) => `${t} src=ci future_field=%F0%9F%94%A5`);
    assert.deepEqual(parseAlert(extra), alert());
    assert.deepEqual(parseAlert(good.replace(/\n/g, '\r\n').replace(/\r\n(toxync)/, '\n$1')), alert());
  });

  it('refuses more than the field limit and anything longer than one Tox message', () => {
    assert.equal(parseAlert(withTrailer(good, (t) => `${t}${Array.from({ length: 30 }, (_, i) => ` f${i}=1`).join('')}`)), null);
    const long = good.replace('main:', `${'x'.repeat(MAX_MESSAGE_BYTES)} main:`);
    assert.equal(parseAlert(long), null);
    const overBody = good.replace('main:', `${'é'.repeat(MAX_BODY_BYTES / 2 + 1)} main:`);
    assert.equal(parseAlert(overBody), null);
    const overTitle = good.replace('Build failed', 'T'.repeat(MAX_TITLE_BYTES + 1));
    assert.equal(parseAlert(overTitle), null);
  });

  it('shows control and direction-changing characters as visible markers', () => {
    const text = good.replace('Build failed', 'Build \u202Edeliaf\u202C ok\u0007').replace('main:', 'ma\u200Bin\u0000:');
    const a = parseAlert(text);
    assert.ok(a && a.kind === 'alert');
    assert.equal(a.title, 'Build ⟦U+202E⟧deliaf⟦U+202C⟧ ok⟦U+0007⟧');
    assert.ok(a.body.startsWith('ma⟦U+200B⟧in⟦U+0000⟧:'), a.body);
    // Percent-encoded in the trailer: decoded, then marked, never raw.
    const c = parseAlert(withTrailer(goodCode, (t) => t.replace('svc=GitHub', 'svc=Git%E2%80%AEbuH%0A')));
    assert.ok(c && c.kind === 'code');
    assert.equal(c.service, 'Git⟦U+202E⟧buH');
  });

  it('keeps a hostile link as text for the link policy to judge (it never becomes a URL here)', () => {
    for (const link of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'https://conti.example.org@evil.example/']) {
      const a = parseAlert(withTrailer(good, (t) => t.replace('link=/ci/runs/812', `link=${encodeURIComponent(link)}`)));
      assert.equal(a?.link, link);
    }
  });

  it('never throws on random mutations of valid alerts (seeded fuzz)', () => {
    const rnd = seeded(8);
    const alphabet = ['\n', ' ', '=', '%', '\u202E', '\u0000', 'a', '9', 'é', '🚨', '⚠️', 'toxync/1 ', 'p=critical', '\uD800', '\r'];
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      let s = rnd() < 0.5 ? good : goodCode;
      const edits = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < edits; j++) {
        const at = Math.floor(rnd() * (s.length + 1));
        const r = rnd();
        if (r < 0.4) s = s.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)]! + s.slice(at);
        else if (r < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 5));
        else s = s.slice(0, at) + s.slice(at).replace(/./u, '');
      }
      const a = parseAlert(s);
      if (!a) continue;
      parsed++;
      // Whatever parses is display-safe: no raw control or bidi characters in the text fields.
      const fields = a.kind === 'alert' ? [a.title, a.body] : [a.service, a.action, a.code, a.requestId];
      for (const f of fields) assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(f), JSON.stringify(f));
    }
    assert.ok(parsed > 0, 'some mutations still parse');
  });

  it('the packet mirror refuses other packet ids, bad hex and invalid UTF-8', () => {
    const hex = encodeAlertPacket(alert());
    assert.ok(hex.startsWith('a8'));
    for (const bad of ['', 'a8', 'a9' + hex.slice(2), hex.slice(0, -1), 'a8ff', 'zz', 42, 'a8' + '41'.repeat(MAX_MESSAGE_BYTES + 1)])
      assert.equal(parseAlertPacket(bad), null, String(bad).slice(0, 20));
  });
});
