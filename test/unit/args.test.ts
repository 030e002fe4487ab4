import { strict as assert } from 'node:assert';
import { parseArgs, parseNodeSpec, parseProxy } from '../../src/cli/args';

const KEY = 'AB'.repeat(32);
const base = ['--profile', '/tmp/p', '--insecure-plain-profile'];

describe('toxync command line', () => {
  it('parses run with every flag', () => {
    const { command, config } = parseArgs([
      'run',
      ...base,
      '--bootstrap',
      `127.0.0.1:33445:${KEY}`,
      '--relay',
      `[::1]:3389:${KEY.toLowerCase()}`,
      '--udp',
      'off',
      '--local-discovery',
      'off',
      '--port',
      '0',
      '--tcp-port',
      '33446',
      '--accept-friends',
      '--echo',
      '--nodes',
      '/tmp/n.json',
    ]);
    assert.equal(command, 'run');
    assert.deepEqual(config.bootstrap, [{ host: '127.0.0.1', port: 33445, public_key: KEY }]);
    assert.deepEqual(config.relays, [{ host: '::1', port: 3389, public_key: KEY }]);
    assert.equal(config.udp, false);
    assert.equal(config.tcp_port, 33446);
    assert.equal(config.accept_friends && config.echo, true);
    assert.equal(config.nodes_file, '/tmp/n.json');
  });
  it('encrypted by default; a plain profile only when asked; never a passphrase on argv', () => {
    assert.equal(parseArgs(['run', '--profile', '/tmp/p']).config.insecure_plain_profile, false);
    assert.equal(parseArgs(['run', ...base]).config.insecure_plain_profile, true);
    assert.equal(parseArgs(['init', '--profile', '/tmp/p', '--passphrase-file', '/tmp/pw']).passphraseFile, '/tmp/pw');
    assert.throws(() => parseArgs(['run', '--profile', '/tmp/p', '--passphrase', 'hunter2']), /visible to every user/);
    assert.throws(() => parseArgs(['run', ...base, '--passphrase-file', '/tmp/pw']), /no passphrase/);
  });
  it('export and import need their file', () => {
    assert.equal(parseArgs(['export', '--profile', '/p', '--to', '/x.tox']).file, '/x.tox');
    assert.equal(parseArgs(['import', '--profile', '/p', '--from', '/x.tox']).file, '/x.tox');
    assert.throws(() => parseArgs(['export', '--profile', '/p']), /--to FILE is required/);
    assert.throws(() => parseArgs(['import', '--profile', '/p', '--to', '/x']), /only valid with "toxync export"/);
  });
  it('rejects malformed node specs, ports and options', () => {
    assert.throws(() => parseNodeSpec('--bootstrap', `127.0.0.1:33445:${KEY.slice(1)}`), /HOST:PORT:PUBLIC_KEY/);
    assert.throws(() => parseNodeSpec('--bootstrap', `127.0.0.1:70000:${KEY}`), /out of range/);
    assert.throws(() => parseArgs(['run', ...base, '--udp', 'maybe']), /on or off/);
    assert.throws(() => parseArgs(['run', ...base, '--port']), /needs a value/);
    assert.throws(() => parseArgs(['run', ...base, '--frobnicate']), /unknown option/);
    assert.throws(() => parseArgs(['launch', ...base]), /unknown command/);
    assert.throws(() => parseArgs(['id', ...base, '--echo']), /only valid with "toxync run"/);
  });
  it('node:util parseArgs underneath: --flag=value works; a bare "--", strays and argv passphrases in any spelling do not', () => {
    assert.equal(parseArgs(['run', '--profile=/tmp/p', '--port=0']).config.port, 0);
    assert.throws(() => parseArgs(['run', ...base, '--port', '-1']), /--port: "-1" is not a port number/);
    assert.throws(() => parseArgs(['run', ...base, '--']), /unknown option "--"/);
    assert.throws(() => parseArgs(['run', ...base, 'stray']), /unknown option "stray"/);
    assert.throws(() => parseArgs(['run', ...base, '--echo=yes']), /--echo takes no value/);
    assert.throws(() => parseArgs(['run', '--profile', '/tmp/p', '--passphrase=hunter2']), /visible to every user/);
    assert.throws(() => parseArgs(['run', '--profile', '/tmp/p', '--passphrase']), /visible to every user/);
  });
  it('fails closed with a proxy: UDP off, no hostnames, no LAN discovery', () => {
    const { config } = parseArgs(['run', ...base, '--proxy', 'socks5://127.0.0.1:9050', '--bootstrap', `127.0.0.1:33445:${KEY}`]);
    assert.equal(config.udp, false);
    assert.deepEqual(config.proxy, { type: 'socks5', host: '127.0.0.1', port: 9050 });
    assert.throws(() => parseArgs(['run', ...base, '--proxy', 'socks5://127.0.0.1:9050', '--udp', 'on']), /cannot be combined/);
    assert.throws(() => parseArgs(['run', ...base, '--proxy', 'socks5://127.0.0.1:9050', '--bootstrap', `tox.example.org:33445:${KEY}`]), /IP literals/);
    assert.throws(() => parseArgs(['run', ...base, '--proxy', 'socks5://127.0.0.1:9050', '--local-discovery', 'on']), /cannot be combined/);
  });
  it('--accept-files takes a folder, an optional byte cap and images-only', () => {
    assert.deepEqual(parseArgs(['run', ...base, '--accept-files', '/tmp/in']).config.accept_files, { dir: '/tmp/in' });
    const { config } = parseArgs([
      'run',
      ...base,
      '--accept-max-bytes',
      '1048576',
      '--accept-files',
      '/tmp/in',
      '--accept-images-only',
      '--avatar',
      '/tmp/me.png',
    ]);
    assert.deepEqual(config.accept_files, { dir: '/tmp/in', max_bytes: 1048576, images_only: true });
    assert.equal(config.avatar_file, '/tmp/me.png');
    assert.equal(parseArgs(['run', ...base]).config.accept_files, undefined, 'off unless asked');
    assert.throws(() => parseArgs(['run', ...base, '--accept-images-only']), /need --accept-files/);
    assert.throws(() => parseArgs(['run', ...base, '--accept-files', '/tmp/in', '--accept-max-bytes', '-1']), /not a number of bytes/);
    assert.throws(() => parseArgs(['id', ...base, '--accept-files', '/tmp/in']), /only valid with "toxync run"/);
  });
  it('parses proxy URLs strictly', () => {
    assert.deepEqual(parseProxy('http://[::1]:8080'), { type: 'http', host: '::1', port: 8080 });
    assert.deepEqual(parseProxy('socks5://localhost:9050'), { type: 'socks5', host: '127.0.0.1', port: 9050 });
    assert.throws(() => parseProxy('socks5://tor.example.org:9050'), /must be an IP address/);
    for (const bad of ['socks4://1.2.3.4:1', 'socks5://user:pw@host:1', 'socks5://host', 'socks5://host:0', 'http://h:1/path']) {
      assert.throws(() => parseProxy(bad), /--proxy/, bad);
    }
  });
});
