// The wrapper's vocabulary: tox.h's enums as string unions (in tox.h's numeric order), the
// event signatures, and the native handles. Shared by tox.ts and callbacks.ts.

import type { Libc, ToxLib } from './ffi';
import type { ToxGroupEvents } from './groupTypes';

export type Connection = 'none' | 'tcp' | 'udp';
export type UserStatus = 'online' | 'away' | 'busy';
export type MessageType = 'normal' | 'action';
export type FileControl = 'resume' | 'pause' | 'cancel';
export type ProxyType = 'http' | 'socks5';

export const CONNECTIONS: readonly Connection[] = ['none', 'tcp', 'udp'];
export const STATUSES: readonly UserStatus[] = ['online', 'away', 'busy'];
export const MESSAGE_TYPES: readonly MessageType[] = ['normal', 'action'];
export const CONTROLS: readonly FileControl[] = ['resume', 'pause', 'cancel'];
export const PROXY_TYPES: Record<ProxyType, number> = { http: 1, socks5: 2 };

export const FILE_KIND_DATA = 0;
export const SAVEDATA_TYPE_TOX_SAVE = 1;
/** tox.h: a file_size of UINT64_MAX means "unknown size / streaming". */
export const UNKNOWN_FILE_SIZE = 0xffffffffffffffffn;

export interface ToxOptions {
  ipv6?: boolean;
  udp?: boolean;
  localDiscovery?: boolean;
  holePunching?: boolean;
  dhtAnnouncements?: boolean;
  proxy?: { type: ProxyType; host: string; port: number };
  startPort?: number;
  endPort?: number;
  /** > 0 makes this node a TCP relay others can connect to. */
  tcpPort?: number;
  savedata?: Uint8Array;
}

/** Events, with peer bytes already copied and decoded (invalid UTF-8 becomes U+FFFD). */
export interface ToxEvents extends ToxGroupEvents {
  selfConnectionStatus(status: Connection): void;
  friendName(friend: number, name: string): void;
  friendStatusMessage(friend: number, text: string): void;
  friendStatus(friend: number, status: UserStatus): void;
  friendConnectionStatus(friend: number, status: Connection): void;
  friendTyping(friend: number, typing: boolean): void;
  friendReadReceipt(friend: number, messageId: number): void;
  friendRequest(publicKey: string, message: string): void;
  friendMessage(friend: number, type: MessageType, text: string): void;
  fileRecvControl(friend: number, file: number, control: FileControl): void;
  /** length 0 means the transfer is complete. Answer synchronously (toxcore expects it). */
  fileChunkRequest(friend: number, file: number, position: number, length: number): void;
  /** size null = unknown (streaming). `name` is the sender's raw name: untrusted. */
  fileRecv(friend: number, file: number, kind: number, size: number | null, name: string): void;
  /** data.length 0 means the transfer is complete. `data` is valid only during the call
   *  (a reused buffer): copy what you keep. */
  fileRecvChunk(friend: number, file: number, position: number, data: Buffer): void;
  friendLossyPacket(friend: number, data: Buffer): void;
  friendLosslessPacket(friend: number, data: Buffer): void;
}

export type Handlers = { [K in keyof ToxEvents]?: ToxEvents[K] };

export interface Native {
  lib: ToxLib;
  libc: Libc;
}

/** uint64 values arrive as number when safe, bigint otherwise. */
export function toNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}
