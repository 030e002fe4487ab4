// Where an alert's link may go: Conti paths stay under the https base, other https hosts are
// asked about (in punycode), everything else is refused — including after a round trip
// through the alert format, so a forbidden link can never become a clickable one.

import { strict as assert } from 'node:assert';
import { encodeAlert, parseAlert } from '../../src/protocol/pagerAlert';
import { type AlertLinkVerdict, resolveAlertLink } from '../../src/common/alertLink';
import type { LinkPolicy } from '../../src/common/links';

const policy: LinkPolicy = { contiBaseUrl: 'https://conti.example.org/app/', trustedHosts: ['docs.example.net'] };
const verdict = (raw: string | null, p: LinkPolicy = policy): AlertLinkVerdict => resolveAlertLink(raw, p);

const FORBIDDEN = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  'java\tscript:alert(1)',
  'command:workbench.action.terminal.new',
  'command:toxync.start?%5B%5D',
  'vscode:extension/evil.ext',
  'vscode://file/etc/passwd',
  'vscode-insiders://file/etc/passwd',
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
  'blob:https://conti.example.org/1',
  'http://conti.example.org/app/x',
  'http://evil.example/',
  'ftp://conti.example.org/app/x',
  'https://conti.example.org@evil.example/',
  'https://conti.example.org:pw@evil.example/app/',
  'https://user@conti.example.org/app/x',
  '//evil.example/app/x',
  '/\\evil.example/x',
  '\\\\evil.example\\x',
  '/../admin',
  '/%2e%2e/admin',
  '/a/../../admin',
  '/x\u202Egpj.exe',
  '/x\u200By',
  'https://exa\u200Bmple.org/',
  '/with space',
  '',
  'relative/path',
];

describe('alert links', () => {
  it('resolves Conti paths under the base path, https, exact host', () => {
    assert.deepEqual(verdict('/ci/runs/812'), {
      kind: 'open',
      url: 'https://conti.example.org/app/ci/runs/812',
      host: 'conti.example.org',
    });
    assert.deepEqual(verdict('/t/42?tab=log#L9'), {
      kind: 'open',
      url: 'https://conti.example.org/app/t/42?tab=log#L9',
      host: 'conti.example.org',
    });
    // A base without a trailing slash means the same folder.
    assert.equal(verdict('/x', { ...policy, contiBaseUrl: 'https://conti.example.org/app' }).kind, 'open');
    assert.equal((verdict('/x', { ...policy, contiBaseUrl: 'https://conti.example.org/app' }) as { url: string }).url, 'https://conti.example.org/app/x');
    // An encoded slash in a query string is data, not a path separator.
    assert.deepEqual(verdict('/x?next=%2Fy%2E'), {
      kind: 'open',
      url: 'https://conti.example.org/app/x?next=%2Fy%2E',
      host: 'conti.example.org',
    });
  });

  it('opens absolute https links under the base, asks for other https hosts', () => {
    assert.equal(verdict('https://conti.example.org/app/x').kind, 'open');
    assert.equal(verdict('https://docs.example.net/x').kind, 'open'); // trusted host setting
    const other = verdict('https://example.com/x');
    assert.deepEqual(other, { kind: 'ask', url: 'https://example.com/x', host: 'example.com' });
    // Same host, outside the base path or on another port: asked, not opened silently.
    assert.equal(verdict('https://conti.example.org/admin').kind, 'ask');
    assert.equal(verdict('https://conti.example.org:8443/app/x').kind, 'ask');
    assert.equal(verdict('https://evil.conti.example.org/app/x').kind, 'ask');
  });

  it('refuses encoded separators and dot segments in alert paths (issue 14, finding 7)', () => {
    const encoded = [
      '/x/..%2f..%2fadmin',
      '/x/..%2F..%2Fadmin',
      '/%2e%2e/admin',
      '/%2E%2E/admin',
      '/.%2e/admin',
      '/x/%2e./admin',
      '/a%5cb',
      '/a%5C..%5Cadmin',
      '/x/..%252f..%252fadmin',
      '/x/%25252e%25252e/admin',
      '/x/..%c0%afadmin',
      '/x/..%C1%9Cadmin',
      '/%2F%2Fevil.example',
      'https://conti.example.org/app/..%2fadmin',
      'https://conti.example.org/app/x%5c..%5cadmin',
      'https://docs.example.net/a%2Fb',
    ];
    for (const raw of encoded) assert.equal(verdict(raw).kind, 'refuse', raw);
    // Positive control: the same paths without encoding still resolve as before.
    assert.deepEqual(verdict('/x/admin'), { kind: 'open', url: 'https://conti.example.org/app/x/admin', host: 'conti.example.org' });
    assert.deepEqual(verdict('/a/b'), { kind: 'open', url: 'https://conti.example.org/app/a/b', host: 'conti.example.org' });
    assert.equal(verdict('https://conti.example.org/app/admin').kind, 'open');
    assert.equal(verdict('https://docs.example.net/a/b').kind, 'open');
    assert.equal(verdict('/x/%41dmin').kind, 'open'); // other escapes are not separators
  });

  it('shows IDN look-alike hosts in punycode', () => {
    const v = verdict('https://conti.ex\u0430mple.org/app/x'); // Cyrillic а
    assert.equal(v.kind, 'ask');
    if (v.kind !== 'ask') return;
    assert.ok(v.host.includes('xn--'), v.host);
    assert.ok(/^[\x21-\x7e]+$/.test(v.url));
  });

  it('refuses Conti paths without an https base', () => {
    for (const base of ['', 'http://conti.example.org/', 'not a url', 'https://u:p@conti.example.org/']) {
      assert.equal(verdict('/ci/1', { contiBaseUrl: base, trustedHosts: [] }).kind, 'refuse', base);
    }
  });

  it('refuses every forbidden kind, directly and after a trip through the alert format', () => {
    for (const raw of FORBIDDEN) {
      assert.equal(verdict(raw).kind, 'refuse', JSON.stringify(raw));
      assert.equal(verdict(raw, { contiBaseUrl: '', trustedHosts: [] }).kind, 'refuse', JSON.stringify(raw));
      // What a hostile sender can put in the trailer (the honest encoder refuses most of these).
      const text = `⚠️ t\ntoxync/1 alert id=a p=warning exp=2030-01-01T00:00:00Z link=${encodeURIComponent(raw)}`;
      const a = parseAlert(text);
      if (a) assert.equal(verdict(a.link).kind, 'refuse', JSON.stringify(raw));
    }
    assert.equal(verdict(null).kind, 'refuse');
  });

  it('a link the encoder accepts and the policy refuses stays refused after parsing', () => {
    const text = encodeAlert({
      kind: 'alert',
      id: 'x',
      priority: 'info',
      expiresAt: Date.UTC(2030, 0, 1),
      link: 'command:toxync.start',
      title: 't',
      body: '',
    });
    assert.equal(verdict(parseAlert(text)!.link).kind, 'refuse');
  });
});
