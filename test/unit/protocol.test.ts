import { strict as assert } from 'node:assert';
import { check } from '../../src/protocol/guard';
import { command, event, resultGuards } from '../../src/protocol/node';

describe('node protocol guards', () => {
  it('accepts a valid command and drops unknown fields', () => {
    const r = check(command, { cmd: 'send', friend: 0, text: 'hi', id: 3, evil: '<script>' });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { cmd: 'send', friend: 0, text: 'hi', id: 3 });
  });
  it('rejects unknown commands, missing and mistyped fields with the path', () => {
    const cases: [unknown, RegExp][] = [
      [{ cmd: 'rm -rf' }, /unknown cmd/],
      [{ cmd: 'send', friend: 0 }, /\.text: is missing/],
      [{ cmd: 'send', friend: -1, text: 'x' }, /\.friend: out of range/],
      [{ cmd: 'send', friend: 1.5, text: 'x' }, /\.friend: expected an integer/],
      [{ cmd: 'send', friend: 0, text: '' }, /\.text: shorter than 1/],
      [{ cmd: 'set_status', status: 'invisible' }, /\.status: expected one of/],
      [{ cmd: 'custom_packet', friend: 0, lossless: true, data: 'xyz' }, /\.data: has an invalid format/],
      [['send'], /expected an object/],
      [null, /expected an object/],
      [{ cmd: '__proto__' }, /unknown cmd/],
    ];
    for (const [input, msg] of cases) {
      const r = check(command, input);
      assert.equal(r.ok, false, JSON.stringify(input));
      if (!r.ok) assert.match(r.error, msg);
    }
  });
  it('file commands: accept into a path or a folder, control by number or file_id, ids are 64 lower-case hex', () => {
    const id = 'ab'.repeat(32);
    assert.ok(check(command, { cmd: 'file_accept', friend: 0, file: 65536, dir: '/tmp/in', max_bytes: 10, require_image: true }).ok);
    assert.ok(check(command, { cmd: 'file_control', friend: 0, file_id: id, control: 'cancel' }).ok);
    assert.ok(check(command, { cmd: 'file_discard', friend: 0, file_id: id, direction: 'recv' }).ok);
    assert.equal(check(command, { cmd: 'file_discard', friend: 0, file_id: id.toUpperCase(), direction: 'recv' }).ok, false);
    assert.equal(check(command, { cmd: 'file_accept', friend: 0, file: 1, dir: '' }).ok, false);
    assert.ok(check(command, { cmd: 'set_avatar' }).ok, 'no path and no data: remove the avatar');
    assert.equal(check(command, { cmd: 'set_avatar', data: 'not base64!' }).ok, false);
    assert.ok(check(resultGuards.send_file, { file: null, file_id: id }).ok, 'null: waits for the friend');
    assert.ok(check(event, { event: 'file_error', friend: 0, file: 1, direction: 'recv', message: 'x', code: 'ENOSPC', partial: '/a.part' }).ok);
    assert.equal(check(event, { event: 'avatar', friend: 0, public_key: 'D'.repeat(64), data: 'AA==', hash: null, mime: 'image/svg+xml' }).ok, false);
  });
  it('checks results per command', () => {
    assert.ok(check(resultGuards.send, { message_ids: [1, 2] }).ok);
    assert.equal(check(resultGuards.send, { message_ids: ['1'] }).ok, false);
  });
  it('checks events from the node, including nested friend lists', () => {
    const ready = {
      event: 'ready',
      address: 'A'.repeat(76),
      public_key: 'B'.repeat(64),
      dht_id: 'C'.repeat(64),
      udp_port: 33445,
      tcp_port: null,
      name: '',
      status_message: '',
      status: 'online',
      nospam: 1,
      connection: 'none',
      friends: [{ friend: 0, public_key: 'D'.repeat(64), name: 'x', status_message: '', status: 'away', connection: 'udp', last_online: null }],
    };
    assert.ok(check(event, ready).ok);
    const bad = { ...ready, friends: [{ ...ready.friends[0], connection: 'carrier-pigeon' }] };
    const r = check(event, bad);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, /friends\[0\]\.connection/);
  });
});
