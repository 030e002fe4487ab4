// The group (NGC) part of the typed wrapper against the real libtoxcore, in this process:
// tox.h's limits, arguments refused before they reach C (byte lengths, not characters),
// typed ToxErrors with the Tox_Err_Group_* names, and a group kept in the savedata.

import { strict as assert } from 'node:assert';
import { ToxError } from '../../src/tox/errors';
import { loadLibtoxcore } from '../../src/tox/loader';
import { Tox } from '../../src/tox/tox';
import { assertLoopbackOnly } from '../helpers/netns';

// No sockets at all: UDP off, no TCP server. A group can be created offline.
const quiet = { udp: false, localDiscovery: false, tcpPort: 0 } as const;

describe('Tox wrapper: group chats (real libtoxcore, in process)', () => {
  const opened: Tox[] = [];
  const make = (savedata?: Uint8Array) => {
    const t = Tox.create(loadLibtoxcore(), { ...quiet, ...(savedata ? { savedata } : {}) });
    opened.push(t);
    return t;
  };
  before(() => assertLoopbackOnly());
  afterEach(() => opened.splice(0).forEach((t) => t.dispose()));

  it('reads tox.h limits from the library (1372, 512, 128, 48, 32)', () => {
    const g = make().groups;
    assert.equal(g.limits.message, 1372);
    assert.equal(g.limits.topic, 512);
    assert.equal(g.limits.part, 128);
    assert.equal(g.limits.groupName, 48);
    assert.equal(g.limits.password, 32);
  });

  it('refuses over-long or empty arguments by UTF-8 byte length, before the FFI', () => {
    const t = make();
    const g = t.groups;
    const group = g.new('public', 'g', 'me');
    // 24 × 'é' is 48 bytes (allowed), 25 is 50: characters are not what counts.
    assert.doesNotThrow(() => g.new('public', 'é'.repeat(24), 'me'));
    assert.throws(() => g.new('public', 'é'.repeat(25), 'me'), /group name is 50 bytes; the limit is 48/);
    assert.throws(() => g.new('public', '', 'me'), RangeError);
    assert.throws(() => g.new('public', 'g', ''), RangeError);
    assert.throws(() => g.new('public', 'g', 'n'.repeat(129)), /nick is 129 bytes/);
    assert.throws(() => g.new('secret' as never, 'g', 'me'), /privacy state must be one of public, private/);
    assert.throws(() => g.join('ab', 'me'), /chat id must be 64 hex/);
    assert.throws(() => g.join('A'.repeat(64), 'me', 'p'.repeat(33)), /password is 33 bytes; the limit is 32/);
    assert.throws(() => g.setTopic(group, '€'.repeat(171)), /topic is 513 bytes/);
    assert.throws(() => g.leave(group, 'x'.repeat(129)), /part message is 129 bytes/);
    assert.throws(() => g.sendMessagePart(group, 'normal', Buffer.alloc(1373, 0x61)), /message part must be 1..1372 bytes/);
    assert.throws(() => g.sendMessage(group, ''), /must not be empty/);
    assert.throws(() => g.setPeerLimit(group, 70_000), /peer limit must be an integer 0..65535/);
    assert.throws(() => g.setRole(group, -1, 'user'), /peer must be an integer/);
    assert.throws(() => g.inviteAccept(0, new Uint8Array(0), 'me'), /invite must be 1..4096 bytes/);
  });

  it('maps toxcore failures to typed errors named after the Tox_Err_Group_* constants', () => {
    const g = make().groups;
    const expect = (f: () => unknown, fn: string, code: string) =>
      assert.throws(f, (e: unknown) => e instanceof ToxError && e.fn === fn && e.code === code, `${fn} → ${code}`);
    expect(() => g.leave(7), 'tox_group_leave', 'TOX_ERR_GROUP_LEAVE_GROUP_NOT_FOUND');
    expect(() => g.topic(7), 'tox_group_get_topic_size', 'TOX_ERR_GROUP_STATE_QUERY_GROUP_NOT_FOUND');
    expect(() => g.selfRole(7), 'tox_group_self_get_role', 'TOX_ERR_GROUP_SELF_QUERY_GROUP_NOT_FOUND');
    expect(() => g.byId('00'.repeat(32)), 'tox_group_by_id', 'TOX_ERR_GROUP_BY_ID_NOT_FOUND');
    const group = g.new('private', 'solo', 'me');
    expect(() => g.peerName(group, 12345), 'tox_group_peer_get_name_size', 'TOX_ERR_GROUP_PEER_QUERY_PEER_NOT_FOUND');
    expect(() => g.kickPeer(group, g.selfPeerId(group)), 'tox_group_kick_peer', 'TOX_ERR_GROUP_KICK_PEER_SELF');
    expect(() => g.inviteFriend(group, 3), 'tox_group_invite_friend', 'TOX_ERR_GROUP_INVITE_FRIEND_FRIEND_NOT_FOUND');
    expect(() => g.inviteAccept(0, Buffer.from('abcd', 'hex'), 'me'), 'tox_group_invite_accept', 'TOX_ERR_GROUP_INVITE_ACCEPT_BAD_INVITE');
  });

  it('a new group reports its state; it is kept in the savedata with its name, topic, password and our role', () => {
    const t = make();
    const g = t.groups;
    const group = g.new('public', 'Ops ✓', 'Alice ✓');
    const chatId = g.chatId(group);
    assert.match(chatId, /^[0-9A-F]{64}$/);
    assert.equal(g.byId(chatId.toLowerCase()), group);
    assert.deepEqual(g.list(), [group]);
    assert.equal(g.name(group), 'Ops ✓');
    assert.equal(g.selfName(group), 'Alice ✓');
    assert.equal(g.selfRole(group), 'founder');
    assert.equal(g.privacyState(group), 'public');
    assert.equal(g.topic(group), '');
    assert.equal(g.password(group), '');
    g.setTopic(group, 'Tuesdays 🚀');
    g.setPassword(group, 'sesame ✓');
    g.setPeerLimit(group, 42);
    const selfKey = g.selfPublicKey(group);

    const again = make(t.savedata()).groups;
    const [restored] = again.list();
    assert.equal(again.list().length, 1);
    assert.equal(again.chatId(restored!), chatId);
    assert.equal(again.name(restored!), 'Ops ✓');
    assert.equal(again.topic(restored!), 'Tuesdays 🚀');
    assert.equal(again.password(restored!), 'sesame ✓');
    assert.equal(again.peerLimit(restored!), 42);
    assert.equal(again.selfRole(restored!), 'founder');
    assert.equal(again.selfPublicKey(restored!), selfKey);
    // Positive control: a group we left is not kept — once tox_iterate has deleted it
    // (tox_group_leave only flags it: until then it is still listed and saved).
    again.leave(restored!, 'bye');
    assert.deepEqual(again.list(), [restored]);
    opened[1]!.iterate();
    assert.deepEqual(again.list(), []);
    assert.deepEqual(make(opened[1]!.savedata()).groups.list(), []);
  });
});
