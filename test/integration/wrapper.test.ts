// The typed wrapper against the real libtoxcore, in this process: errors carry the right
// enum names, arguments are refused before they reach C, savedata round-trips.

import { strict as assert } from 'node:assert';
import { ToxError } from '../../src/tox/errors';
import { candidates, LibraryLoadError, loadLibtoxcore } from '../../src/tox/loader';
import { Tox } from '../../src/tox/tox';
import { assertLoopbackOnly } from '../helpers/netns';

// No sockets at all: UDP off, no TCP server. These tests need no network.
const quiet = { udp: false, localDiscovery: false, tcpPort: 0 } as const;

describe('Tox wrapper (real libtoxcore, in process)', () => {
  const opened: Tox[] = [];
  const make = (savedata?: Uint8Array) => {
    const t = Tox.create(loadLibtoxcore(), { ...quiet, ...(savedata ? { savedata } : {}) });
    opened.push(t);
    return t;
  };
  before(() => assertLoopbackOnly());
  afterEach(() => opened.splice(0).forEach((t) => t.dispose()));

  it('loads libtoxcore 0.2.x and reports where from', () => {
    const lib = loadLibtoxcore();
    assert.match(lib.version, /^0\.2\.\d+$/);
    assert.ok(lib.path.length > 0);
  });

  it('tries the explicit path first and explains every failed attempt', () => {
    const list = candidates('/nonexistent/libtoxcore.so.2');
    assert.equal(list[0]!.source, 'toxync.libtoxcorePath setting');
    assert.ok(list.some((c) => c.source === 'bundled prebuild'));
    assert.equal(list[list.length - 1]!.source, 'system library');
    const err = new LibraryLoadError([{ source: 'x', path: '/a', error: 'file not found' }]);
    assert.match(err.message, /\/a → file not found/);
    assert.match(err.message, /toxync\.libtoxcorePath/);
  });

  it('maps tox_friend_send_message to an unknown friend to TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND', () => {
    const t = make();
    assert.throws(
      () => t.sendMessage(7, 'hello'),
      (e: unknown) => {
        assert.ok(e instanceof ToxError);
        assert.equal(e.fn, 'tox_friend_send_message');
        assert.equal(e.code, 'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND');
        return true;
      },
    );
  });

  it('maps other failures to their enum names', () => {
    const t = make();
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (e instanceof ToxError) return e.code;
        throw e;
      }
      throw new Error('expected a ToxError');
    };
    assert.equal(
      code(() => t.friendAdd(t.address(), 'me?')),
      'TOX_ERR_FRIEND_ADD_OWN_KEY',
    );
    assert.equal(
      code(() => t.friendDelete(3)),
      'TOX_ERR_FRIEND_DELETE_FRIEND_NOT_FOUND',
    );
    assert.equal(
      code(() => t.friendPublicKey(3)),
      'TOX_ERR_FRIEND_GET_PUBLIC_KEY_FRIEND_NOT_FOUND',
    );
    assert.equal(
      code(() => t.fileControl(0, 0, 'resume')),
      'TOX_ERR_FILE_CONTROL_FRIEND_NOT_FOUND',
    );
    assert.equal(
      code(() => t.friendByPublicKey('00'.repeat(32))),
      'TOX_ERR_FRIEND_BY_PUBLIC_KEY_NOT_FOUND',
    );
    const other = make();
    const f = t.friendAdd(other.address(), 'hi');
    assert.equal(
      code(() => t.friendAdd(other.address(), 'again')),
      'TOX_ERR_FRIEND_ADD_ALREADY_SENT',
    );
    assert.equal(
      code(() => t.sendMessage(f, 'not online yet')),
      'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_CONNECTED',
    );
  });

  it('refuses bad arguments before they cross the FFI', () => {
    const t = make();
    assert.throws(() => t.friendAdd('12'.repeat(38), 'x'), { name: 'RangeError', message: /checksum/ });
    assert.throws(() => t.friendAdd(t.address().slice(2), 'x'), { name: 'RangeError', message: /76 hex/ });
    assert.throws(() => t.friendAdd(make().address(), ''), { name: 'RangeError', message: /must not be empty/ });
    assert.throws(() => t.setName('n'.repeat(129)), { name: 'RangeError', message: /129 bytes; the limit is 128/ });
    assert.throws(() => t.setName('é'.repeat(65)), { name: 'RangeError', message: /130 bytes/ });
    assert.throws(() => t.setNospam(-1), RangeError);
    assert.throws(() => t.sendMessage(-1, 'x'), RangeError);
    assert.throws(() => t.sendMessage(0, ''), RangeError);
    assert.throws(() => t.bootstrap('127.0.0.1', 70000, '00'.repeat(32)), RangeError);
    assert.throws(() => t.sendLosslessPacket(0, new Uint8Array(0)), RangeError);
  });

  it('keeps the Tox ID, name and friends across a savedata round-trip', () => {
    const a = make();
    const b = make();
    a.setName('Alice ✓');
    a.setStatusMessage('testing');
    a.setNospam(0x01020304);
    const fb = a.friendAddNorequest(b.publicKey());
    const data = a.savedata();
    const again = make(data);
    assert.equal(again.address(), a.address());
    assert.equal(again.name(), 'Alice ✓');
    assert.equal(again.statusMessage(), 'testing');
    assert.equal(again.nospam(), 0x01020304);
    assert.deepEqual(again.friendList(), [fb]);
    assert.equal(again.friendPublicKey(fb), b.publicKey());
  });

  it('throws on any use after dispose, and dispose is idempotent', () => {
    const t = Tox.create(loadLibtoxcore(), quiet);
    t.dispose();
    t.dispose();
    assert.throws(() => t.address(), /after dispose/);
    assert.throws(() => t.iterate(), /after dispose/);
  });
});
