// The typed wrapper over libtoxcore: one Tox instance, its options, and its events.
// Every call that has a Tox_Err_* out-param throws a ToxError naming the function and the
// enum constant; every argument is validated here before it crosses the FFI.
// Events arrive through callbacks.ts.

import { ADDRESS_SIZE, PUBLIC_KEY_SIZE, parsePublicKey, parseToxId, toHex } from '../sys/toxAddress';
import { attachCallbacks, detachCallbacks } from './callbacks';
import { check, type ToxErrEnum } from './errors';
import type { ToxLib } from './ffi';
import { requireIpLiteralWhenProxied } from './hostguard';
import { ToxGroups } from './toxGroups';
import { splitMessage } from './split';
import {
  CONNECTIONS,
  CONTROLS,
  type Connection,
  type FileControl,
  type Handlers,
  MESSAGE_TYPES,
  type MessageType,
  type Native,
  PROXY_TYPES,
  SAVEDATA_TYPE_TOX_SAVE,
  STATUSES,
  toNumber,
  type ToxEvents,
  type ToxOptions,
  UNKNOWN_FILE_SIZE,
  type UserStatus,
} from './types';
import { bytesArg, u16, u32, u64, utf8 } from './validate';

export * from './types';
export * from './groupTypes';

const EMPTY = Buffer.alloc(0);

// ---- the instance --------------------------------------------------------------------

export class Tox {
  /** @internal read by the trampolines */
  handlers: Handlers = {};
  private ptr: bigint | null;
  private readonly err = new Int32Array(1);
  private readonly lib: ToxLib;
  readonly maxMessageLength: number;
  /** The NGC group API (tox_group_*), on the same instance. */
  readonly groups: ToxGroups;
  /** Called when an event handler throws; the error never reaches libtoxcore. */
  handlerError: (kind: string, e: unknown) => void = () => {};

  private constructor(
    native: Native,
    ptr: bigint,
    /** Created with a proxy: hosts must be IP literals (hostguard.ts). */ readonly proxied = false,
  ) {
    this.lib = native.lib;
    this.ptr = ptr;
    this.maxMessageLength = this.lib.tox_max_message_length();
    this.groups = new ToxGroups(this.lib, () => this.p);
  }

  static create(native: Native, options: ToxOptions = {}): Tox {
    const { lib } = native;
    const err = new Int32Array(1);
    const opts = lib.tox_options_new(err);
    check('tox_options_new', 'Tox_Err_Options_New', err[0]!);
    // Buffers handed to the options are kept referenced until tox_new returns: toxcore stores
    // the raw pointers (a JS string proxy host dangles — measured).
    const keep: Buffer[] = [];
    try {
      lib.tox_options_set_ipv6_enabled(opts, options.ipv6 ?? false);
      lib.tox_options_set_udp_enabled(opts, options.udp ?? true);
      lib.tox_options_set_local_discovery_enabled(opts, options.localDiscovery ?? false);
      lib.tox_options_set_hole_punching_enabled(opts, options.holePunching ?? true);
      lib.tox_options_set_dht_announcements_enabled(opts, options.dhtAnnouncements ?? true);
      // Always on: the profile keeps the NGC groups we are in across restarts (the groups issue).
      lib.tox_options_set_experimental_groups_persistence(opts, true);
      if (options.proxy) {
        requireIpLiteralWhenProxied('proxy host', options.proxy.host, true);
        // Defence in depth behind our own IP-literal checks: a proxied toxcore resolves no name locally.
        lib.tox_options_set_experimental_disable_dns(opts, true);
        const host = utf8('proxy host', options.proxy.host, 255, false);
        const hostZ = Buffer.concat([host, Buffer.from([0])]);
        keep.push(hostZ);
        lib.tox_options_set_proxy_type(opts, PROXY_TYPES[options.proxy.type]);
        if (!lib.tox_options_set_proxy_host(opts, hostZ)) throw new Error('tox_options_set_proxy_host failed (out of memory)');
        lib.tox_options_set_proxy_port(opts, u16('proxy port', options.proxy.port));
      }
      if (options.startPort !== undefined) lib.tox_options_set_start_port(opts, u16('start port', options.startPort));
      if (options.endPort !== undefined) lib.tox_options_set_end_port(opts, u16('end port', options.endPort));
      if (options.tcpPort !== undefined) lib.tox_options_set_tcp_port(opts, u16('TCP port', options.tcpPort));
      if (options.savedata && options.savedata.length > 0) {
        const data = Buffer.from(options.savedata);
        keep.push(data);
        lib.tox_options_set_savedata_type(opts, SAVEDATA_TYPE_TOX_SAVE);
        if (!lib.tox_options_set_savedata_data(opts, data, data.length)) throw new Error('tox_options_set_savedata_data failed (out of memory)');
      }
      const ptr = lib.tox_new(opts, err) as bigint | null;
      check('tox_new', 'Tox_Err_New', err[0]!);
      if (ptr === null) throw new Error('tox_new returned NULL without an error code');
      const tox = new Tox(native, ptr, options.proxy !== undefined);
      attachCallbacks(native, ptr, tox);
      return tox;
    } finally {
      lib.tox_options_free(opts);
      keep.length = 0;
    }
  }

  /** @internal */
  onHandlerError(kind: string, e: unknown): void {
    try {
      this.handlerError(kind, e);
    } catch {
      /* a broken error reporter must not break tox_iterate either */
    }
  }

  private get p(): bigint {
    if (this.ptr === null) throw new Error('Tox instance used after dispose');
    return this.ptr;
  }

  private call<T>(fn: string, errEnum: ToxErrEnum, f: (err: Int32Array) => T): T {
    this.err[0] = 0;
    const r = f(this.err);
    check(fn, errEnum, this.err[0]!);
    return r;
  }

  on<K extends keyof ToxEvents>(kind: K, handler: ToxEvents[K]): void {
    this.handlers[kind] = handler as Handlers[K];
  }

  get disposed(): boolean {
    return this.ptr === null;
  }

  dispose(): void {
    if (this.ptr === null) return;
    const ptr = this.ptr;
    this.ptr = null;
    this.handlers = {};
    this.lib.tox_kill(ptr);
    detachCallbacks(ptr);
  }

  // :: loop
  iterate(): void {
    this.lib.tox_iterate(this.p, null);
  }
  iterationInterval(): number {
    return this.lib.tox_iteration_interval(this.p);
  }

  // :: savedata
  savedata(): Buffer {
    const n = toNumber(this.lib.tox_get_savedata_size(this.p));
    const out = Buffer.alloc(n);
    this.lib.tox_get_savedata(this.p, out);
    return out;
  }

  // :: network
  bootstrap(host: string, port: number, publicKey: string): void {
    requireIpLiteralWhenProxied('host', host, this.proxied);
    const h = Buffer.concat([utf8('host', host, 255, false), Buffer.from([0])]);
    const pk = parsePublicKey(publicKey);
    this.call('tox_bootstrap', 'Tox_Err_Bootstrap', (e) => this.lib.tox_bootstrap(this.p, h, u16('port', port), pk, e));
  }
  addTcpRelay(host: string, port: number, publicKey: string): void {
    requireIpLiteralWhenProxied('host', host, this.proxied);
    const h = Buffer.concat([utf8('host', host, 255, false), Buffer.from([0])]);
    const pk = parsePublicKey(publicKey);
    this.call('tox_add_tcp_relay', 'Tox_Err_Bootstrap', (e) => this.lib.tox_add_tcp_relay(this.p, h, u16('port', port), pk, e));
  }
  selfConnectionStatus(): Connection {
    return CONNECTIONS[this.lib.tox_self_get_connection_status(this.p)] ?? 'none';
  }
  udpPort(): number | null {
    const port = this.lib.tox_self_get_udp_port(this.p, this.err);
    return this.err[0] === 0 ? port : null; // TOX_ERR_GET_PORT_NOT_BOUND is a state, not a failure
  }
  tcpPort(): number | null {
    const port = this.lib.tox_self_get_tcp_port(this.p, this.err);
    return this.err[0] === 0 ? port : null;
  }
  dhtId(): string {
    const out = Buffer.alloc(PUBLIC_KEY_SIZE);
    this.lib.tox_self_get_dht_id(this.p, out);
    return toHex(out);
  }

  // :: self
  address(): string {
    const out = Buffer.alloc(ADDRESS_SIZE);
    this.lib.tox_self_get_address(this.p, out);
    return toHex(out);
  }
  publicKey(): string {
    const out = Buffer.alloc(PUBLIC_KEY_SIZE);
    this.lib.tox_self_get_public_key(this.p, out);
    return toHex(out);
  }
  nospam(): number {
    return this.lib.tox_self_get_nospam(this.p);
  }
  setNospam(nospam: number): void {
    this.lib.tox_self_set_nospam(this.p, u32('nospam', nospam));
  }
  /** Reads a size-then-fill string getter. Size 0 skips the fill: koffi passes an empty
   *  Buffer as NULL, which toxcore's friend getters refuse with ..._NULL. */
  private sizedText(size: number | bigint, fill: (out: Buffer) => void): string {
    const n = toNumber(size);
    if (n === 0) return '';
    const out = Buffer.alloc(n);
    fill(out);
    return out.toString('utf8');
  }
  name(): string {
    return this.sizedText(this.lib.tox_self_get_name_size(this.p), (out) => this.lib.tox_self_get_name(this.p, out));
  }
  setName(name: string): void {
    const b = utf8('name', name, this.lib.tox_max_name_length());
    this.call('tox_self_set_name', 'Tox_Err_Set_Info', (e) => this.lib.tox_self_set_name(this.p, b, b.length, e));
  }
  statusMessage(): string {
    return this.sizedText(this.lib.tox_self_get_status_message_size(this.p), (out) => this.lib.tox_self_get_status_message(this.p, out));
  }
  setStatusMessage(text: string): void {
    const b = utf8('status message', text, this.lib.tox_max_status_message_length());
    this.call('tox_self_set_status_message', 'Tox_Err_Set_Info', (e) => this.lib.tox_self_set_status_message(this.p, b, b.length, e));
  }
  status(): UserStatus {
    return STATUSES[this.lib.tox_self_get_status(this.p)] ?? 'online';
  }
  setStatus(status: UserStatus): void {
    const i = STATUSES.indexOf(status);
    if (i < 0) throw new RangeError(`status must be one of ${STATUSES.join(', ')}`);
    this.lib.tox_self_set_status(this.p, i);
  }

  // :: friends
  friendAdd(toxId: string, message: string): number {
    const addr = parseToxId(toxId);
    const msg = utf8('friend request message', message, this.lib.tox_max_friend_request_length(), false);
    return this.call('tox_friend_add', 'Tox_Err_Friend_Add', (e) => this.lib.tox_friend_add(this.p, addr, msg, msg.length, e));
  }
  friendAddNorequest(publicKey: string): number {
    const pk = parsePublicKey(publicKey);
    return this.call('tox_friend_add_norequest', 'Tox_Err_Friend_Add', (e) => this.lib.tox_friend_add_norequest(this.p, pk, e));
  }
  friendDelete(friend: number): void {
    this.call('tox_friend_delete', 'Tox_Err_Friend_Delete', (e) => this.lib.tox_friend_delete(this.p, u32('friend', friend), e));
  }
  friendByPublicKey(publicKey: string): number {
    const pk = parsePublicKey(publicKey);
    return this.call('tox_friend_by_public_key', 'Tox_Err_Friend_By_Public_Key', (e) => this.lib.tox_friend_by_public_key(this.p, pk, e));
  }
  friendExists(friend: number): boolean {
    return this.lib.tox_friend_exists(this.p, u32('friend', friend));
  }
  friendList(): number[] {
    const n = toNumber(this.lib.tox_self_get_friend_list_size(this.p));
    const out = new Uint32Array(n);
    if (n > 0) this.lib.tox_self_get_friend_list(this.p, out);
    return Array.from(out);
  }
  friendPublicKey(friend: number): string {
    const out = Buffer.alloc(PUBLIC_KEY_SIZE);
    this.call('tox_friend_get_public_key', 'Tox_Err_Friend_Get_Public_Key', (e) => this.lib.tox_friend_get_public_key(this.p, u32('friend', friend), out, e));
    return toHex(out);
  }
  /** Unix seconds, or null when never seen online. */
  friendLastOnline(friend: number): number | null {
    const t = toNumber(
      this.call('tox_friend_get_last_online', 'Tox_Err_Friend_Get_Last_Online', (e) => this.lib.tox_friend_get_last_online(this.p, u32('friend', friend), e)),
    );
    return t > 0 && t < 0xffffffffffff ? t : null;
  }
  friendName(friend: number): string {
    const f = u32('friend', friend);
    const size = this.call('tox_friend_get_name_size', 'Tox_Err_Friend_Query', (e) => this.lib.tox_friend_get_name_size(this.p, f, e));
    return this.sizedText(size, (out) => this.call('tox_friend_get_name', 'Tox_Err_Friend_Query', (e) => this.lib.tox_friend_get_name(this.p, f, out, e)));
  }
  friendStatusMessage(friend: number): string {
    const f = u32('friend', friend);
    const size = this.call('tox_friend_get_status_message_size', 'Tox_Err_Friend_Query', (e) => this.lib.tox_friend_get_status_message_size(this.p, f, e));
    return this.sizedText(size, (out) =>
      this.call('tox_friend_get_status_message', 'Tox_Err_Friend_Query', (e) => this.lib.tox_friend_get_status_message(this.p, f, out, e)),
    );
  }
  friendStatus(friend: number): UserStatus {
    const s = this.call('tox_friend_get_status', 'Tox_Err_Friend_Query', (e) => this.lib.tox_friend_get_status(this.p, u32('friend', friend), e));
    return STATUSES[s] ?? 'online';
  }
  friendConnectionStatus(friend: number): Connection {
    const c = this.call('tox_friend_get_connection_status', 'Tox_Err_Friend_Query', (e) =>
      this.lib.tox_friend_get_connection_status(this.p, u32('friend', friend), e),
    );
    return CONNECTIONS[c] ?? 'none';
  }
  friendTyping(friend: number): boolean {
    return this.call('tox_friend_get_typing', 'Tox_Err_Friend_Query', (e) => this.lib.tox_friend_get_typing(this.p, u32('friend', friend), e));
  }
  setTyping(friend: number, typing: boolean): void {
    this.call('tox_self_set_typing', 'Tox_Err_Set_Typing', (e) => this.lib.tox_self_set_typing(this.p, u32('friend', friend), !!typing, e));
  }

  // :: messages
  /** Sends one Tox message (≤ maxMessageLength bytes). Returns its message id for the receipt. */
  sendMessagePart(friend: number, type: MessageType, part: Buffer): number {
    if (part.length === 0 || part.length > this.maxMessageLength) throw new RangeError(`message part must be 1..${this.maxMessageLength} bytes`);
    const t = MESSAGE_TYPES.indexOf(type);
    if (t < 0) throw new RangeError('message type must be normal or action');
    return this.call('tox_friend_send_message', 'Tox_Err_Friend_Send_Message', (e) =>
      this.lib.tox_friend_send_message(this.p, u32('friend', friend), t, part, part.length, e),
    );
  }
  /** Splits UTF-8-safely at tox_max_message_length() and sends every part; returns their ids. */
  sendMessage(friend: number, text: string, type: MessageType = 'normal'): number[] {
    if (typeof text !== 'string' || text.length === 0) throw new RangeError('message must not be empty');
    return splitMessage(text, this.maxMessageLength).map((part) => this.sendMessagePart(friend, type, part));
  }

  // :: files
  fileControl(friend: number, file: number, control: FileControl): void {
    const c = CONTROLS.indexOf(control);
    if (c < 0) throw new RangeError('file control must be resume, pause or cancel');
    this.call('tox_file_control', 'Tox_Err_File_Control', (e) => this.lib.tox_file_control(this.p, u32('friend', friend), u32('file', file), c, e));
  }
  fileSeek(friend: number, file: number, position: number): void {
    this.call('tox_file_seek', 'Tox_Err_File_Seek', (e) =>
      this.lib.tox_file_seek(this.p, u32('friend', friend), u32('file', file), u64('position', position), e),
    );
  }
  fileId(friend: number, file: number): string {
    const out = Buffer.alloc(this.lib.tox_file_id_length());
    this.call('tox_file_get_file_id', 'Tox_Err_File_Get', (e) => this.lib.tox_file_get_file_id(this.p, u32('friend', friend), u32('file', file), out, e));
    return toHex(out);
  }
  /** size null = unknown/streaming. fileId (32 bytes) lets a transfer resume later. */
  fileSend(friend: number, kind: number, size: number | null, name: string, fileId?: Uint8Array): number {
    const n = utf8('file name', name, this.lib.tox_max_filename_length());
    const id = fileId ? bytesArg('file id', fileId, 32) : null;
    if (id && id.length !== this.lib.tox_file_id_length()) throw new RangeError('file id must be 32 bytes');
    const sz = size === null ? UNKNOWN_FILE_SIZE : u64('file size', size);
    return this.call('tox_file_send', 'Tox_Err_File_Send', (e) =>
      this.lib.tox_file_send(this.p, u32('friend', friend), u32('kind', kind), sz, id, n, n.length, e),
    );
  }
  /** Called for every chunk of every transfer (~30,000 a second at full speed), so it avoids
   *  the per-call closure and the BigInt of u64(): a safe-integer position goes to koffi as a
   *  plain number, which it converts to uint64_t itself. */
  fileSendChunk(friend: number, file: number, position: number, data: Uint8Array): void {
    const d = data.length === 0 ? EMPTY : bytesArg('chunk', data, 65536);
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError('position must be a non-negative safe integer');
    this.err[0] = 0;
    this.lib.tox_file_send_chunk(this.p, u32('friend', friend), u32('file', file), position, d, d.length, this.err);
    check('tox_file_send_chunk', 'Tox_Err_File_Send_Chunk', this.err[0]!);
  }

  // :: custom packets
  sendLossyPacket(friend: number, data: Uint8Array): void {
    const d = bytesArg('packet', data, this.lib.tox_max_custom_packet_size());
    this.call('tox_friend_send_lossy_packet', 'Tox_Err_Friend_Custom_Packet', (e) =>
      this.lib.tox_friend_send_lossy_packet(this.p, u32('friend', friend), d, d.length, e),
    );
  }
  sendLosslessPacket(friend: number, data: Uint8Array): void {
    const d = bytesArg('packet', data, this.lib.tox_max_custom_packet_size());
    this.call('tox_friend_send_lossless_packet', 'Tox_Err_Friend_Custom_Packet', (e) =>
      this.lib.tox_friend_send_lossless_packet(this.p, u32('friend', friend), d, d.length, e),
    );
  }
}
