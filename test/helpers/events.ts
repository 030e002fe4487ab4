// Typed builders for the node's events and the records inside them, for unit tests that drive
// the chat model, the file model or the pager by hand. Defaults are a plausible online friend
// and self; a test overrides only the fields it is about, so the literal shows its point.

import type { EventOf, FriendInfo, SelfInfo } from '../../src/protocol/node';

/** Friend `no` with public key `key`: online over UDP, no name, never seen offline. */
export function friendInfo(key: string, no: number, over: Partial<FriendInfo> = {}): FriendInfo {
  return { friend: no, public_key: key, name: '', status_message: '', status: 'online', connection: 'udp', last_online: null, ...over };
}

/** This node ('A…' keys), online over UDP, with `friends`. */
export function selfInfo(friends: FriendInfo[], over: Partial<SelfInfo> = {}): SelfInfo {
  return {
    address: 'A'.repeat(76),
    public_key: 'A'.repeat(64),
    dht_id: 'D'.repeat(64),
    udp_port: 1,
    tcp_port: null,
    name: 'me',
    status_message: '',
    status: 'online',
    nospam: 1,
    connection: 'udp',
    friends,
    ...over,
  };
}

/** A (re)started node's `ready`: its self info and friend list. */
export function readyEvent(friends: FriendInfo[], over: Partial<SelfInfo> = {}): EventOf<'ready'> {
  return { event: 'ready', ...selfInfo(friends, over) };
}

/** A normal text message from friend `no` (key `key`). */
export function messageEvent(no: number, key: string, text: string, over: Partial<EventOf<'message'>> = {}): EventOf<'message'> {
  return { event: 'message', friend: no, public_key: key, type: 'normal', text, ...over };
}

/** The read receipt for `messageId` sent to friend `no`. */
export function receiptEvent(no: number, messageId: number, dedup?: string): EventOf<'receipt'> {
  return { event: 'receipt', friend: no, message_id: messageId, ...(dedup !== undefined ? { dedup } : {}) };
}

/** Friend `no` (key `key`) went offline ('none') or came online over 'tcp' or 'udp'. */
export function connectionEvent(no: number, key: string, status: EventOf<'friend_connection'>['status']): EventOf<'friend_connection'> {
  return { event: 'friend_connection', friend: no, public_key: key, status };
}
