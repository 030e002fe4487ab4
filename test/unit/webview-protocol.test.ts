import { strict as assert } from 'node:assert';
import { check, type Guard } from '../../src/protocol/guard';
import { fromWebview, toWebview } from '../../src/protocol/webview';

const KEY = '0123456789abcdef'.repeat(4);
const msg = { id: 'm_1-A', dir: 'in', kind: 'normal', text: 'hi', ts: 1_700_000_000_000 };
const peer = { key: KEY, alias: null, name: 'Bob', status_message: '', presence: 'online', typing: false, fingerprint: '0123 4567' };

/** Asserts the guard refuses `input`, and (when given) that the error names the right place. */
function rejects(guard: Guard<unknown>, input: unknown, msgRe?: RegExp): void {
  const r = check(guard, input);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(input)?.slice(0, 200)}`);
  if (!r.ok && msgRe) assert.match(r.error, msgRe);
}

describe('webview protocol: host → webview (toWebview)', () => {
  const valid: unknown[] = [
    { type: 'init', mode: 'view', conti_base_url: '', trusted_hosts: ['example.org'], self_name: 'me' },
    { type: 'empty', hint: 'pick a contact' },
    {
      type: 'conversation',
      peer,
      messages: [msg, { ...msg, id: 'm2', dir: 'out', state: 'delivered' }, { ...msg, id: 'f', kind: 'file', size: null }],
    },
    { type: 'append', key: KEY, messages: [] },
    { type: 'state', key: KEY, id: 'm_1-A', state: 'failed' },
    { type: 'peer', peer: { ...peer, alias: 'Bobby', presence: 'offline', typing: true } },
    { type: 'request', request: { key: KEY.toUpperCase(), message: 'add me', ts: 0, fingerprint: 'x' } },
    { type: 'notice', level: 'error', text: 'oops' },
    {
      type: 'transfer',
      key: KEY,
      transfer: {
        id: 'f',
        state: 'active',
        bytes: 10,
        size: 100,
        speed: 5,
        eta: 18,
        paused_by_us: false,
        paused_by_peer: true,
        saved_name: 'passwd',
        error: null,
        partial: false,
        auto: false,
      },
    },
    { type: 'peer', peer: { ...peer, avatar: 'data:image/png;base64,iVBORw0KGgo=' } },
  ];

  it('accepts every message type', () => {
    for (const m of valid) {
      const r = check(toWebview, m);
      assert.ok(r.ok, `${JSON.stringify(m)}: ${r.ok ? '' : r.error}`);
      assert.deepEqual(r.value, m);
    }
  });

  it('an avatar is only ever a data: URI of the four image types', () => {
    for (const avatar of ['data:image/svg+xml;base64,PHN2Zz4=', 'https://evil.example/x.png', 'data:image/png;base64,<script>', 'javascript:alert(1)']) {
      rejects(toWebview, { type: 'peer', peer: { ...peer, avatar } }, /peer\.avatar/);
    }
  });

  it('drops unknown fields, also inside nested objects', () => {
    const r = check(toWebview, { type: 'conversation', extra: 1, peer: { ...peer, html: '<b>' }, messages: [{ ...msg, onclick: 'x' }] });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'conversation', peer, messages: [msg] });
  });

  it('rejects unknown types and missing, mistyped or out-of-range fields with the path', () => {
    rejects(toWebview, { type: 'eval', code: '1' }, /unknown type/);
    rejects(toWebview, { type: 'init', mode: 'view', conti_base_url: '', trusted_hosts: [] }, /\.self_name: is missing/);
    rejects(toWebview, { type: 'init', mode: 'sidebar', conti_base_url: '', trusted_hosts: [], self_name: '' }, /\.mode: expected one of/);
    rejects(toWebview, { type: 'conversation', peer, messages: [{ ...msg, ts: '1' }] }, /messages\[0\]\.ts: expected an integer/);
    rejects(toWebview, { type: 'conversation', peer, messages: [{ ...msg, ts: -1 }] }, /messages\[0\]\.ts: out of range/);
    rejects(toWebview, { type: 'conversation', peer, messages: [{ ...msg, dir: 'sideways' }] }, /messages\[0\]\.dir/);
    rejects(toWebview, { type: 'conversation', peer, messages: [{ ...msg, size: '10' }] }, /messages\[0\]\.size/);
    rejects(toWebview, { type: 'conversation', peer, messages: [{ ...msg, state: 'read' }] }, /messages\[0\]\.state/);
    rejects(toWebview, { type: 'peer', peer: { ...peer, typing: 'yes' } }, /peer\.typing: expected true or false/);
    rejects(toWebview, { type: 'peer', peer: { ...peer, presence: 'invisible' } }, /peer\.presence/);
    rejects(toWebview, { type: 'notice', level: 'warning', text: 'x' }, /\.level/);
  });

  it('rejects over-long strings and lists', () => {
    rejects(toWebview, { type: 'notice', level: 'info', text: 'x'.repeat(4097) }, /\.text: longer than 4096/);
    rejects(toWebview, { type: 'peer', peer: { ...peer, name: 'x'.repeat(1025) } }, /peer\.name: longer than/);
    rejects(toWebview, { type: 'init', mode: 'view', conti_base_url: 'x'.repeat(2049), trusted_hosts: [], self_name: '' }, /conti_base_url/);
    rejects(toWebview, { type: 'init', mode: 'view', conti_base_url: '', trusted_hosts: ['h'.repeat(254)], self_name: '' }, /trusted_hosts\[0\]/);
    rejects(toWebview, { type: 'init', mode: 'view', conti_base_url: '', trusted_hosts: Array<string>(257).fill('h'), self_name: '' }, /more than 256 items/);
    // At the limits they pass: the bounds are where the schema says.
    assert.ok(check(toWebview, { type: 'notice', level: 'info', text: 'x'.repeat(4096) }).ok);
  });

  it('rejects bad message ids', () => {
    for (const id of ['', 'a b', '../x', 'a.b', 'a/b', 'é', '<script>', 'a\n', '\na', 'x'.repeat(65), '__proto__!']) {
      rejects(toWebview, { type: 'state', key: KEY, id, state: 'sent' }, /\.id: /);
      rejects(toWebview, { type: 'append', key: KEY, messages: [{ ...msg, id }] }, /messages\[0\]\.id/);
    }
    assert.ok(check(toWebview, { type: 'state', key: KEY, id: 'x'.repeat(64), state: 'sent' }).ok);
  });

  it('rejects arrays and non-objects where objects belong', () => {
    for (const v of [null, undefined, 'init', 42, [], [{ type: 'empty', hint: '' }]]) rejects(toWebview, v, /expected an object/);
    rejects(toWebview, { type: 'peer', peer: [peer] }, /\.peer: expected an object/);
    rejects(toWebview, { type: 'conversation', peer, messages: { 0: msg, length: 1 } }, /\.messages: expected an array/);
  });
});

describe('webview protocol: webview → host (fromWebview)', () => {
  const valid: unknown[] = [
    { type: 'ready' },
    { type: 'send', request_id: 1, key: KEY, text: 'hello' },
    { type: 'typing', key: KEY, typing: true },
    { type: 'open_link', url: 'https://example.org/' },
    { type: 'retry', key: KEY, id: 'm1' },
    { type: 'open_in_editor', key: KEY },
    { type: 'request_action', key: KEY, action: 'block' },
    { type: 'file_action', key: KEY, id: 'f-2', action: 'accept' },
    { type: 'file_action', key: KEY, id: 'f-2', action: 'save_as' },
    { type: 'file_action', key: KEY, id: 'f-2', action: 'pause' },
    { type: 'file_action', key: KEY, id: 'f-2', action: 'discard' },
    { type: 'attach', key: KEY },
    { type: 'drop_files', key: KEY, uris: ['file:///home/me/a.txt'] },
    { type: 'seen', key: KEY },
  ];

  it('file actions are a fixed list; dropped URIs are capped (the host checks each)', () => {
    rejects(fromWebview, { type: 'file_action', key: KEY, id: 'f', action: 'open' }, /\.action: expected one of/);
    rejects(fromWebview, { type: 'file_action', key: KEY, id: 'f', action: 'execute' }, /\.action/);
    rejects(fromWebview, { type: 'drop_files', key: KEY, uris: Array(101).fill('file:///x') }, /\.uris: more than 100/);
    rejects(fromWebview, { type: 'drop_files', key: KEY, uris: [''] }, /\.uris\[0\]/);
  });

  it('accepts every message type', () => {
    for (const m of valid) {
      const r = check(fromWebview, m);
      assert.ok(r.ok, `${JSON.stringify(m)}: ${r.ok ? '' : r.error}`);
      assert.deepEqual(r.value, m);
    }
  });

  it('drops unknown fields', () => {
    const r = check(fromWebview, { type: 'send', request_id: 1, key: KEY, text: 'hi', friend: 0, cmd: 'delete_friend' });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'send', request_id: 1, key: KEY, text: 'hi' });
  });

  it('rejects unknown types, including names that exist on Object.prototype', () => {
    for (const type of ['eval', 'SEND', 'send ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 5, null]) {
      rejects(fromWebview, { type, key: KEY, text: 'x' }, /\.type: unknown type/);
    }
    rejects(fromWebview, { key: KEY, text: 'x' }, /\.type: unknown type/);
  });

  it('rejects send with empty text, and over-long text', () => {
    rejects(fromWebview, { type: 'send', request_id: 1, key: KEY, text: '' }, /\.text: shorter than 1/);
    rejects(fromWebview, { type: 'send', request_id: 1, key: KEY, text: 'x'.repeat(100_001) }, /\.text: longer than 100000/);
    assert.ok(check(fromWebview, { type: 'send', request_id: 1, key: KEY, text: 'x'.repeat(100_000) }).ok);
  });

  it('rejects missing and mistyped fields', () => {
    rejects(fromWebview, { type: 'send', request_id: 1, key: KEY }, /\.text: is missing/);
    rejects(fromWebview, { type: 'send', request_id: 1, key: KEY, text: undefined }, /\.text: is missing/);
    rejects(fromWebview, { type: 'send', request_id: 1, text: 'hi' }, /\.key: is missing/);
    rejects(fromWebview, { type: 'send', request_id: 1, key: KEY, text: 42 }, /\.text: expected a string/);
    rejects(fromWebview, { type: 'send', request_id: 1, key: KEY, text: ['hi'] }, /\.text: expected a string/);
    rejects(fromWebview, { type: 'typing', key: KEY, typing: 'true' }, /\.typing: expected true or false/);
    rejects(fromWebview, { type: 'typing', key: KEY, typing: 1 }, /\.typing/);
    rejects(fromWebview, { type: 'request_action', key: KEY, action: 'delete' }, /\.action: expected one of/);
    rejects(fromWebview, { type: 'file_action', key: KEY, id: 'f', action: 'block' }, /\.action/);
    rejects(fromWebview, { type: 'open_link', url: 'x'.repeat(4097) }, /\.url: longer than/);
    rejects(fromWebview, { type: 'open_link', url: { href: 'https://example.org/' } }, /\.url: expected a string/);
  });

  it('rejects bad message ids', () => {
    for (const id of ['', 'a b', '../../etc', 'a;b', 'x'.repeat(65), 'ok\n', 7]) {
      rejects(fromWebview, { type: 'retry', key: KEY, id }, /\.id/);
      rejects(fromWebview, { type: 'file_action', key: KEY, id, action: 'accept' }, /\.id/);
    }
  });

  it('rejects keys that are not 64 hex digits', () => {
    for (const key of ['', KEY.slice(0, 63), KEY + '0', 'g'.repeat(64), ` ${KEY.slice(1)}`, `${KEY.slice(1)}\n`, '__proto__', 'constructor', 0, null]) {
      rejects(fromWebview, { type: 'seen', key }, /\.key/);
      rejects(fromWebview, { type: 'send', request_id: 1, key, text: 'hi' }, /\.key/);
    }
  });

  it('never copies a __proto__ key and never pollutes prototypes', () => {
    // JSON.parse makes "__proto__" an own property, as a hostile webview's postMessage could.
    const r = check(fromWebview, JSON.parse(`{"type":"send","request_id":1,"key":"${KEY}","text":"hi","__proto__":{"polluted":true,"type":"ready"}}`));
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'send', request_id: 1, key: KEY, text: 'hi' });
    assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
    assert.equal(Object.prototype.hasOwnProperty.call(r.value, '__proto__'), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // A type hidden behind an own "__proto__" key is not the message's type.
    rejects(fromWebview, JSON.parse('{"__proto__":{"type":"ready"}}'), /unknown type/);
  });

  it('rejects arrays and non-objects', () => {
    for (const v of [null, undefined, 'ready', 1, true, [], ['ready'], [{ type: 'ready' }]]) rejects(fromWebview, v, /expected an object/);
  });
});

describe('webview protocol: inherited fields', () => {
  it('does not let an inherited tag select a variant', () => {
    const sneaky = Object.create({ type: 'ready' }) as object;
    assert.equal(check(fromWebview, sneaky).ok, false);
    assert.equal(check(fromWebview, { type: 'ready' }).ok, true);
  });
});
