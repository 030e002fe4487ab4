import { strict as assert } from 'node:assert';
import { checkLink, contiBase, type LinkPolicy, type LinkVerdict, MAX_URL_LENGTH } from '../../src/common/links';

const CONTI = 'https://conti.example.org/app/';
const policy: LinkPolicy = { contiBaseUrl: CONTI, trustedHosts: ['Docs.Example.COM', 'wiki.example.net'] };
const none: LinkPolicy = { contiBaseUrl: '', trustedHosts: [] };

function ok(raw: string, p: LinkPolicy = policy): Extract<LinkVerdict, { ok: true }> {
  const v = checkLink(raw, p);
  assert.ok(v.ok, `${JSON.stringify(raw)} was refused: ${v.ok ? '' : v.reason}`);
  return v;
}
function refused(raw: string, p: LinkPolicy = policy): string {
  const v = checkLink(raw, p);
  assert.equal(v.ok, false, `${JSON.stringify(raw)} was accepted`);
  return v.ok ? '' : v.reason;
}

describe('link policy: checkLink', () => {
  it('accepts https and asks before opening an unknown host', () => {
    const v = ok('https://example.org/page?q=1#x');
    assert.deepEqual(v, { ok: true, url: 'https://example.org/page?q=1#x', host: 'example.org', ask: true });
  });

  it('opens trusted hosts without asking, compared case-insensitively and exactly', () => {
    assert.equal(ok('https://docs.example.com/a').ask, false);
    assert.equal(ok('https://DOCS.EXAMPLE.COM/a').ask, false);
    assert.equal(ok('https://wiki.example.net/').ask, false);
    // Exact host names: neither a subdomain nor a look-alike suffix is trusted.
    assert.equal(ok('https://evil.docs.example.com/').ask, true);
    assert.equal(ok('https://docs.example.com.evil.net/').ask, true);
    assert.equal(ok('https://xdocs.example.com/').ask, true);
  });

  it('refuses plain http outside the Conti base', () => {
    assert.match(refused('http://example.org/'), /http:/);
    assert.match(refused('http://docs.example.com/'), /http:/); // trusted host, but not over http
  });

  it('opens links under the Conti base without asking', () => {
    for (const u of [CONTI, `${CONTI}case/42`, `${CONTI}a/b?c=d#e`, 'https://CONTI.example.org:443/app/x']) {
      const v = ok(u);
      assert.equal(v.ask, false, u);
      assert.equal(v.host, 'conti.example.org');
    }
    // The base without its trailing slash is the same place.
    assert.equal(ok('https://conti.example.org/app/x', { contiBaseUrl: 'https://conti.example.org/app', trustedHosts: [] }).ask, false);
  });

  it('does not extend the Conti trust to look-alike paths, other origins or other schemes', () => {
    // A sibling path that merely starts with the same letters.
    assert.equal(ok('https://conti.example.org/application').ask, true);
    assert.equal(ok('https://conti.example.org/app').ask, true);
    assert.equal(ok('https://conti.example.org/').ask, true);
    // Dot segments are resolved before the check.
    assert.equal(ok('https://conti.example.org/app/../admin').ask, true);
    assert.equal(ok('https://conti.example.org/app/%2e%2e/admin').ask, true);
    // Other origins: port, subdomain, host.
    assert.equal(ok('https://conti.example.org:8443/app/x').ask, true);
    assert.equal(ok('https://evil.conti.example.org/app/x').ask, true);
    assert.equal(ok('https://conti.example.org.evil.net/app/x').ask, true);
    // http vs https mismatch: an http link is not under an https base (and http is refused).
    refused('http://conti.example.org/app/x');
  });

  it('allows http under an http Conti base, but only there', () => {
    const p: LinkPolicy = { contiBaseUrl: 'http://conti.lan:8080/', trustedHosts: [] };
    const v = ok('http://conti.lan:8080/case/1', p);
    assert.equal(v.ask, false);
    assert.equal(v.host, 'conti.lan:8080');
    refused('http://conti.lan/case/1', p); // other port, other origin
    refused('http://other.lan:8080/', p);
    assert.equal(ok('https://conti.lan:8080/case/1', p).ask, true); // https is another origin
  });

  it('refuses every non-web scheme, in any letter case', () => {
    for (const u of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'javascript://example.org/%0aalert(1)',
      'command:workbench.action.terminal.new',
      'vscode:extension/evil.ext',
      'vscode://file/etc/passwd',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'blob:https://example.org/1234',
      'ftp://example.org/x',
      'mailto:a@example.org',
    ]) {
      refused(u);
      refused(u, none);
    }
  });

  it('refuses relative and unparsable links', () => {
    for (const u of ['', '/etc/passwd', 'example.org', '//example.org/', 'https://', 'https://exa mple.org/', 'https://[::1/']) refused(u);
  });

  it('refuses links with credentials (they disguise the real host)', () => {
    assert.match(refused('https://user:pw@example.org/'), /user name or password/);
    refused('https://docs.example.com@evil.example/');
    refused('https://:pw@example.org/');
    refused(`${CONTI.replace('https://', 'https://u:p@')}x`); // even under the Conti base
  });

  it('refuses spaces and control characters, including ones URL() would strip', () => {
    for (const bad of [' ', '\t', '\n', '\r', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f']) {
      assert.match(refused(`https://exa${bad}mple.org/`), /spaces or control/, JSON.stringify(bad));
      assert.match(refused(`https://example.org/a${bad}b`), /spaces or control/, JSON.stringify(bad));
    }
    // A leading/trailing space is refused too (URL() would trim it).
    refused(' https://example.org/');
    refused('https://example.org/\n');
    // The tab trick: URL() deletes the tab, turning "java\tscript:" into "javascript:".
    refused('java\tscript:alert(1)');
  });

  it('refuses links longer than MAX_URL_LENGTH', () => {
    const base = 'https://example.org/';
    const atLimit = base + 'a'.repeat(MAX_URL_LENGTH - base.length);
    assert.equal(atLimit.length, MAX_URL_LENGTH);
    ok(atLimit);
    assert.match(refused(atLimit + 'a'), /too long/);
  });

  it('reports internationalised host names in punycode, so the host asked about is unambiguous', () => {
    const v = ok('https://bücher.example/straße');
    assert.equal(v.host, 'xn--bcher-kva.example');
    assert.ok(v.url.startsWith('https://xn--bcher-kva.example/'), v.url);
    // Cyrillic "а" in "pаypal" is not the Latin a: it must not come out looking like it.
    const spoof = ok('https://p\u0430ypal.com/');
    assert.ok(spoof.host.startsWith('xn--'), spoof.host);
    assert.notEqual(spoof.host, 'paypal.com');
    assert.ok(/^[\x21-\x7e]+$/.test(spoof.url), 'url is plain ASCII');
  });
});

describe('link policy: contiBase', () => {
  it('is null when unset, blank, invalid or not http(s)', () => {
    for (const raw of [
      '',
      '   ',
      'not a url',
      'conti.example.org',
      '/app/',
      'javascript:alert(1)',
      'file:///srv/conti',
      'ftp://conti.example.org/',
      'data:,x',
    ]) {
      assert.equal(contiBase(raw), null, JSON.stringify(raw));
    }
  });
  it('is null with credentials in it', () => {
    assert.equal(contiBase('https://u:p@conti.example.org/'), null);
  });
  it('parses http(s) bases, ignoring surrounding spaces', () => {
    assert.equal(contiBase(' https://conti.example.org/app/ ')?.href, 'https://conti.example.org/app/');
    assert.equal(contiBase('http://conti.lan:8080')?.origin, 'http://conti.lan:8080');
  });
});

describe('link policy: hidden characters', () => {
  it('refuses links with invisible or direction-changing characters instead of letting URL() drop them', () => {
    const policy = { contiBaseUrl: '', trustedHosts: ['example.com'] };
    for (const raw of ['https://exa\u200Bmple.com/', 'https://exa\u00ADmple.com/', 'https://example.com/\u202Efdp.exe', 'https://example.com/\uFEFF']) {
      const v = checkLink(raw, policy);
      assert.equal(v.ok, false, JSON.stringify(raw));
    }
    assert.equal(checkLink('https://example.com/', policy).ok, true);
  });
});
