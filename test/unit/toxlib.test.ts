// The libtoxcore we ship (native-prebuilds/, built by scripts/build-libtoxcore.sh): it is the one
// that loads, it is >= 0.2.23, it has no A/V code, our enum tables match its own names, and the
// options we rely on take effect. Positive controls use Debian's system libtoxcore 0.2.18
// (scripts/setup.sh installs it for toxic), which has toxav built in.

import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import { packageRoot } from '../../src/sys/packageRoot';
import { TOX_ERR, ToxError } from '../../src/tox/errors';
import { TOX_GROUP_ENUMS } from '../../src/tox/groupEnums';
import { loadLibtoxcore } from '../../src/tox/loader';
import { Tox } from '../../src/tox/tox';

const SYSTEM_LIB = '/usr/lib/x86_64-linux-gnu/libtoxcore.so.2';
const BUNDLED = join(packageRoot(), 'native-prebuilds', 'linux-x64', 'libtoxcore.so.2');

function hasFunc(path: string, decl: string): boolean {
  try {
    koffi.load(path).func(decl);
    return true;
  } catch {
    return false;
  }
}

describe('shipped libtoxcore', () => {
  it('is the bundled build, version >= 0.2.23', () => {
    const l = loadLibtoxcore();
    assert.equal(l.path, BUNDLED);
    const [major, minor, patch] = l.version.split('.').map(Number) as [number, number, number];
    assert.ok(major > 0 || minor > 2 || (minor === 2 && patch >= 23), `loaded ${l.version}`);
  });

  it('has no toxav (toxav_iterate cannot be found); the system 0.2.18 has it', function () {
    assert.equal(hasFunc(BUNDLED, 'void toxav_iterate(void *av)'), false);
    assert.equal(hasFunc(BUNDLED, 'void tox_iterate(void *tox, void *user_data)'), true);
    if (!existsSync(SYSTEM_LIB)) this.skip();
    assert.equal(hasFunc(SYSTEM_LIB, 'void toxav_iterate(void *av)'), true, 'positive control: Debian libtoxcore has toxav');
  });

  it('every Tox_Err_* and group enum table matches the library tox_*_to_string names', () => {
    const lib = koffi.load(BUNDLED);
    const tables: Record<string, readonly string[]> = { ...TOX_ERR, ...TOX_GROUP_ENUMS };
    let checked = 0;
    for (const [name, values] of Object.entries(tables)) {
      const toString = lib.func(`const char *${name.toLowerCase()}_to_string(int value)`);
      values.forEach((v, i) => assert.equal(toString(i), v, `${name}[${i}]`));
      // One past the end is not a constant: the table is complete.
      assert.doesNotMatch(String(toString(values.length)), /^TOX_/, `${name} has more values than we list`);
      checked++;
    }
    assert.ok(checked >= 50, `checked ${checked} enums`);
  });

  it('a proxied Tox resolves no hostname: the wrapper refuses names, and toxcore with experimental_disable_dns does too', () => {
    const native = loadLibtoxcore();
    // Our choke point (src/tox/hostguard.ts) stops the name before the FFI.
    assert.throws(
      () => Tox.create(native, { udp: false, localDiscovery: false, proxy: { type: 'socks5', host: 'localhost', port: 1080 } }).dispose(),
      (e: unknown) => e instanceof Error && (e as { code?: unknown }).code === 'host_not_ip_literal',
    );
    // Defence in depth, through the raw API: the library itself, with DNS disabled as the wrapper
    // sets it whenever a proxy is set, refuses the name; the positive control (DNS left on)
    // resolves the very same host.
    const { lib } = native;
    const attempt = (disableDns: boolean): string => {
      const err = new Int32Array(1);
      const opts = lib.tox_options_new(err);
      const host = Buffer.from('localhost\0');
      lib.tox_options_set_udp_enabled(opts, false);
      lib.tox_options_set_local_discovery_enabled(opts, false);
      lib.tox_options_set_experimental_disable_dns(opts, disableDns);
      lib.tox_options_set_proxy_type(opts, 2);
      lib.tox_options_set_proxy_host(opts, host);
      lib.tox_options_set_proxy_port(opts, 1080);
      const tox = lib.tox_new(opts, err) as bigint | null;
      lib.tox_options_free(opts);
      if (tox !== null) lib.tox_kill(tox);
      return TOX_ERR.Tox_Err_New[err[0]!]!;
    };
    assert.equal(attempt(true), 'TOX_ERR_NEW_PROXY_BAD_HOST');
    assert.equal(attempt(false), 'TOX_ERR_NEW_OK');
  });
});
