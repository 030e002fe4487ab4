// The node's group chats (NGC): serves the tox_group_* commands of the protocol
// (protocol/nodeGroups.ts) and turns toxcore's group callbacks into protocol events.
// toxcore 0.2.23 has no "list the peers of a group" call, so the peers we are connected to
// are tracked here from peer_join / peer_exit (after a restart they join again as the
// group reconnects). Group state lives in the savedata (groups persistence is on), so every
// change of it is saved.

import type { Command, NodeEvent, ResultOf } from '../protocol/node';
import type { GroupInfo, GroupPeerInfo, groupCommandShapes } from '../protocol/nodeGroups';
import type { Tox } from '../tox/tox';

export type GroupCommand = Extract<Command, { cmd: keyof typeof groupCommandShapes }>;
type GroupResult = ResultOf<GroupCommand['cmd']>;

/** tox.h: UINT32_MAX stands for "no peer" (e.g. a topic synced from the group state). */
const NO_PEER = 0xffffffff;
/** Used when neither the command nor the profile gives a nick: toxcore refuses an empty one. */
const DEFAULT_NICK = 'Tox User';

export interface GroupHost {
  emit(e: NodeEvent): void;
  /** Saves the profile at once (a command changed the group list or its state). */
  saveNow(): void;
  /** Saves the profile soon (state a peer changed: topic, roles, peers to reconnect to). */
  markDirty(): void;
  /** Wakes the loop so a queued packet leaves now. */
  kick(): void;
}

export class GroupCore {
  /** group -> peer -> its public key, for the peers currently in the group with us. */
  private readonly peers = new Map<number, Map<number, string>>();
  /** Groups left but still in toxcore: tox_group_leave only flags a group, the next
   *  tox_iterate deletes it, so a save before that would keep (and rejoin) it. */
  private readonly leaving = new Set<number>();

  constructor(
    private readonly tox: Tox,
    private readonly host: GroupHost,
  ) {
    this.wire();
  }

  private get g() {
    return this.tox.groups;
  }

  private peerSet(group: number): Map<number, string> {
    let m = this.peers.get(group);
    if (!m) this.peers.set(group, (m = new Map()));
    return m;
  }

  /** The peer's key from toxcore, else the last one we saw (a peer that just left or was kicked). */
  private peerKey(group: number, peer: number): string | undefined {
    try {
      return this.g.peerPublicKey(group, peer);
    } catch {
      return this.peers.get(group)?.get(peer);
    }
  }

  private peerName(group: number, peer: number): string {
    try {
      return this.g.peerName(group, peer);
    } catch {
      return '';
    }
  }

  private wire(): void {
    const t = this.tox;
    const { emit } = this.host;
    const dirty = () => this.host.markDirty();
    t.on('groupInvite', (friend, invite, group_name) => {
      emit({ event: 'group_invite', friend, public_key: t.friendPublicKey(friend), invite: invite.toString('hex'), group_name });
    });
    t.on('groupSelfJoin', (group) => {
      emit({ event: 'group_self_join', group, chat_id: this.g.chatId(group) });
      this.host.saveNow();
    });
    t.on('groupJoinFail', (group, reason) => emit({ event: 'group_join_fail', group, reason }));
    t.on('groupPeerJoin', (group, peer) => {
      const public_key = this.g.peerPublicKey(group, peer);
      this.peerSet(group).set(peer, public_key);
      let role: GroupInfo['self_role'] | undefined;
      try {
        role = this.g.peerRole(group, peer);
      } catch {
        /* the role arrives with the moderation state; absent until then */
      }
      emit({ event: 'group_peer_join', group, peer, name: this.peerName(group, peer), public_key, ...(role ? { role } : {}) });
      dirty(); // the saved group keeps peers to reconnect to
    });
    t.on('groupPeerExit', (group, peer, exit_type, name, message) => {
      const public_key = this.peerKey(group, peer);
      this.peers.get(group)?.delete(peer);
      emit({ event: 'group_peer_exit', group, peer, exit_type, name, ...(public_key ? { public_key } : {}), message });
      dirty();
    });
    t.on('groupPeerName', (group, peer, name) => {
      const public_key = this.peerKey(group, peer);
      emit({ event: 'group_peer_name', group, peer, name, ...(public_key ? { public_key } : {}) });
    });
    t.on('groupPeerStatus', (group, peer, status) => emit({ event: 'group_peer_status', group, peer, status }));
    t.on('groupTopic', (group, peer, topic) => {
      emit({ event: 'group_topic', group, peer: peer === NO_PEER ? null : peer, topic });
      dirty();
    });
    t.on('groupPrivacyState', (group, privacy) => {
      emit({ event: 'group_privacy_state', group, privacy });
      dirty();
    });
    t.on('groupPeerLimit', (group, limit) => {
      emit({ event: 'group_peer_limit', group, limit });
      dirty();
    });
    // The password itself never leaves the node in an event: whether there is one is enough.
    t.on('groupPassword', (group, password) => {
      emit({ event: 'group_password', group, has_password: password.length > 0 });
      dirty();
    });
    t.on('groupMessage', (group, peer, type, text, message_id) => {
      const public_key = this.peerKey(group, peer);
      if (!public_key) return; // a message from a peer toxcore no longer knows: no sender to name
      emit({ event: 'group_message', group, peer, public_key, name: this.peerName(group, peer), type, text, message_id });
    });
    t.on('groupPrivateMessage', (group, peer, type, text) => {
      const public_key = this.peerKey(group, peer);
      if (!public_key) return;
      emit({ event: 'group_private_message', group, peer, public_key, name: this.peerName(group, peer), type, text });
    });
    t.on('groupModeration', (group, source, target, mod_event) => {
      dirty();
      // toxcore also fires this with no source and no target (UINT32_MAX) when a whole
      // moderator or sanctions list arrives in a sync: nothing names a peer, so no event; the
      // roles it brought show in `groups`.
      if (source === NO_PEER || target === NO_PEER) return;
      const target_public_key = this.peerKey(group, target);
      emit({ event: 'group_moderation', group, source, target, ...(target_public_key ? { target_public_key } : {}), mod_event });
    });
  }

  private nick(nick: string | undefined): string {
    if (nick !== undefined) return nick;
    const own = this.tox.name();
    return own.length > 0 ? own : DEFAULT_NICK;
  }

  /** Runs one group command; throws on failure (the node turns it into an `error` event). */
  execute(cmd: GroupCommand): GroupResult {
    const g = this.g;
    const changed = <T extends GroupResult>(r: T): T => (this.host.saveNow(), r);
    switch (cmd.cmd) {
      case 'group_new': {
        const group = g.new(cmd.privacy, cmd.name, this.nick(cmd.nick));
        this.peers.delete(group);
        this.leaving.delete(group);
        return changed({ group, chat_id: g.chatId(group) });
      }
      case 'group_join': {
        const group = g.join(cmd.chat_id, this.nick(cmd.nick), cmd.password);
        this.peers.delete(group);
        this.host.kick();
        return changed({ group });
      }
      case 'group_invite_friend':
        g.inviteFriend(cmd.group, cmd.friend);
        this.host.kick();
        return {};
      case 'group_invite_accept': {
        const group = g.inviteAccept(cmd.friend, Buffer.from(cmd.invite, 'hex'), this.nick(cmd.nick), cmd.password);
        this.peers.delete(group);
        this.host.kick();
        return changed({ group });
      }
      case 'group_send_message': {
        const message_ids = g.sendMessage(cmd.group, cmd.text, cmd.action ? 'action' : 'normal');
        this.host.kick();
        return { message_ids };
      }
      case 'group_send_private_message': {
        const message_ids = g.sendPrivateMessage(cmd.group, cmd.peer, cmd.text, cmd.action ? 'action' : 'normal');
        this.host.kick();
        return { message_ids };
      }
      case 'group_leave':
        g.leave(cmd.group, cmd.message ?? '');
        this.peers.delete(cmd.group);
        this.leaving.add(cmd.group);
        this.host.kick(); // afterIterate saves once toxcore has deleted it
        return {};
      case 'group_set_topic':
        g.setTopic(cmd.group, cmd.topic);
        this.host.kick();
        return changed({});
      case 'group_set_password':
        g.setPassword(cmd.group, cmd.password);
        this.host.kick();
        return changed({});
      case 'group_set_peer_limit':
        g.setPeerLimit(cmd.group, cmd.limit);
        this.host.kick();
        return changed({});
      case 'group_set_privacy_state':
        g.setPrivacyState(cmd.group, cmd.privacy);
        this.host.kick();
        return changed({});
      case 'group_set_role':
        g.setRole(cmd.group, cmd.peer, cmd.role);
        this.host.kick();
        return changed({});
      case 'group_kick_peer':
        g.kickPeer(cmd.group, cmd.peer);
        this.host.kick();
        return changed({});
      case 'groups':
        return { groups: this.list() };
    }
  }

  /** Call after every tox_iterate: groups left are gone from toxcore now, and from the profile. */
  afterIterate(): void {
    if (this.leaving.size === 0) return;
    this.leaving.clear();
    this.host.saveNow();
  }

  /** Before the last save of a node shutting down: one iteration deletes groups just left. */
  settle(): void {
    if (this.leaving.size > 0) this.tox.iterate();
    this.leaving.clear();
  }

  /** Every group in the profile with its state and the peers we are connected to. */
  list(): GroupInfo[] {
    const g = this.g;
    const groups = g.list().filter((group) => !this.leaving.has(group));
    return groups.map((group) => {
      const peers: GroupPeerInfo[] = [];
      const known = this.peerSet(group);
      for (const [peer, key] of known) {
        try {
          peers.push({
            peer,
            public_key: g.peerPublicKey(group, peer),
            name: g.peerName(group, peer),
            role: g.peerRole(group, peer),
            status: g.peerStatus(group, peer),
            connection: g.peerConnectionStatus(group, peer),
          });
        } catch {
          // Gone without an exit event (e.g. our own disconnect): forget it.
          if (known.get(peer) === key) known.delete(peer);
        }
      }
      return {
        group,
        chat_id: g.chatId(group),
        name: g.name(group),
        privacy: g.privacyState(group),
        topic: g.topic(group),
        connected: g.isConnected(group),
        self_peer: g.selfPeerId(group),
        self_public_key: g.selfPublicKey(group),
        self_role: g.selfRole(group),
        self_name: g.selfName(group),
        peer_limit: g.peerLimit(group),
        has_password: g.password(group).length > 0,
        peers,
      };
    });
  }
}
