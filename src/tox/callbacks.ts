// libtoxcore's callbacks, qTox-style: one thin trampoline per event kind per process,
// registered with koffi once and shared by every Tox instance (dispatching on the Tox*).
// Each copies the bytes out at once — toxcore reuses the memory after the callback — and
// decodes them; invalid UTF-8 becomes U+FFFD.

import koffi, { type TypeObject } from 'koffi';
import { toHex, PUBLIC_KEY_SIZE } from '../sys/toxAddress';
import { protos } from './ffi';
import { groupTrampolines } from './groupCallbacks';
import { CONNECTIONS, CONTROLS, type Handlers, MESSAGE_TYPES, type Native, STATUSES, toNumber, type ToxEvents, UNKNOWN_FILE_SIZE } from './types';

/** What a trampoline delivers to: the Tox instance that owns the Tox*. */
export interface CallbackTarget {
  handlers: Handlers;
  onHandlerError(kind: string, e: unknown): void;
}

const instances = new Map<bigint, CallbackTarget>();
let trampolines: { register(ptr: bigint): void; unregisterAll(): void } | null = null;

function dispatch<K extends keyof ToxEvents>(ptr: bigint, kind: K, ...args: Parameters<ToxEvents[K]>): void {
  const tox = instances.get(ptr);
  if (!tox) return;
  // An exception thrown here would propagate out of tox_iterate and skip the rest of that
  // iteration's callbacks (measured): contain it and report it to the instance instead.
  try {
    const h = tox.handlers[kind] as ((...a: Parameters<ToxEvents[K]>) => void) | undefined;
    h?.(...args);
  } catch (e) {
    tox.onHandlerError(kind, e);
  }
}

function makeTrampolines(native: Native) {
  const { lib, libc } = native;
  const copy = (p: unknown, len: number | bigint): Buffer => {
    const n = toNumber(len);
    if (n <= 0 || p === null) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(n);
    libc.memcpy(out, p, n);
    return out;
  };
  const text = (p: unknown, len: number | bigint) => copy(p, len).toString('utf8');
  // File chunks (up to ~30,000 a second) are copied into one reused buffer instead of a new
  // one each: the handler gets a view that is valid only during its call and copies what it
  // keeps (FileEngine gathers them into its 1 MiB block at once).
  const scratch = Buffer.allocUnsafe(65536);
  const chunk = (p: unknown, len: number | bigint): Buffer => {
    const n = toNumber(len);
    if (n <= 0 || p === null) return Buffer.alloc(0);
    if (n > scratch.length) return copy(p, n);
    libc.memcpy(scratch, p, n);
    return scratch.subarray(0, n);
  };
  const pick = <T>(table: readonly T[], i: number, fallback: T): T => table[i] ?? fallback;

  const table: [string, string, (...a: never[]) => void][] = [
    [
      'tox_callback_self_connection_status',
      'tox_self_connection_status_cb',
      (t: bigint, c: number) => dispatch(t, 'selfConnectionStatus', pick(CONNECTIONS, c, 'none')),
    ],
    ['tox_callback_friend_name', 'tox_friend_name_cb', (t: bigint, f: number, p: unknown, l: number) => dispatch(t, 'friendName', f, text(p, l))],
    [
      'tox_callback_friend_status_message',
      'tox_friend_status_message_cb',
      (t: bigint, f: number, p: unknown, l: number) => dispatch(t, 'friendStatusMessage', f, text(p, l)),
    ],
    ['tox_callback_friend_status', 'tox_friend_status_cb', (t: bigint, f: number, s: number) => dispatch(t, 'friendStatus', f, pick(STATUSES, s, 'online'))],
    [
      'tox_callback_friend_connection_status',
      'tox_friend_connection_status_cb',
      (t: bigint, f: number, c: number) => dispatch(t, 'friendConnectionStatus', f, pick(CONNECTIONS, c, 'none')),
    ],
    ['tox_callback_friend_typing', 'tox_friend_typing_cb', (t: bigint, f: number, on: boolean) => dispatch(t, 'friendTyping', f, !!on)],
    ['tox_callback_friend_read_receipt', 'tox_friend_read_receipt_cb', (t: bigint, f: number, id: number) => dispatch(t, 'friendReadReceipt', f, id)],
    [
      'tox_callback_friend_request',
      'tox_friend_request_cb',
      (t: bigint, pk: unknown, p: unknown, l: number) => dispatch(t, 'friendRequest', toHex(copy(pk, PUBLIC_KEY_SIZE)), text(p, l)),
    ],
    [
      'tox_callback_friend_message',
      'tox_friend_message_cb',
      (t: bigint, f: number, ty: number, p: unknown, l: number) => dispatch(t, 'friendMessage', f, pick(MESSAGE_TYPES, ty, 'normal'), text(p, l)),
    ],
    [
      'tox_callback_file_recv_control',
      'tox_file_recv_control_cb',
      (t: bigint, f: number, n: number, c: number) => dispatch(t, 'fileRecvControl', f, n, pick(CONTROLS, c, 'cancel')),
    ],
    [
      'tox_callback_file_chunk_request',
      'tox_file_chunk_request_cb',
      (t: bigint, f: number, n: number, pos: number | bigint, l: number) => dispatch(t, 'fileChunkRequest', f, n, toNumber(pos), toNumber(l)),
    ],
    [
      'tox_callback_file_recv',
      'tox_file_recv_cb',
      (t: bigint, f: number, n: number, kind: number, size: number | bigint, p: unknown, l: number) =>
        // koffi hands UINT64_MAX ("unknown size, streaming") over as -1: compare as unsigned.
        dispatch(t, 'fileRecv', f, n, kind, BigInt.asUintN(64, BigInt(size)) === UNKNOWN_FILE_SIZE ? null : toNumber(size), text(p, l)),
    ],
    [
      'tox_callback_file_recv_chunk',
      'tox_file_recv_chunk_cb',
      (t: bigint, f: number, n: number, pos: number | bigint, p: unknown, l: number) => dispatch(t, 'fileRecvChunk', f, n, toNumber(pos), chunk(p, l)),
    ],
    [
      'tox_callback_friend_lossy_packet',
      'tox_friend_lossy_packet_cb',
      (t: bigint, f: number, p: unknown, l: number) => dispatch(t, 'friendLossyPacket', f, copy(p, l)),
    ],
    [
      'tox_callback_friend_lossless_packet',
      'tox_friend_lossless_packet_cb',
      (t: bigint, f: number, p: unknown, l: number) => dispatch(t, 'friendLosslessPacket', f, copy(p, l)),
    ],
    ...groupTrampolines({ dispatch, copy, text, pick }),
  ];
  const registered = table.map(([setter, proto, fn]) => {
    const type = (protos as Record<string, TypeObject>)[proto];
    if (!type) throw new Error(`ffi.ts has no prototype ${proto}`);
    return { setter, handle: koffi.register(fn as (...a: unknown[]) => unknown, koffi.pointer(type)) };
  });
  const fns = lib as unknown as Record<string, (...a: unknown[]) => unknown>;
  return {
    register(ptr: bigint) {
      for (const r of registered) fns[r.setter]!(ptr, r.handle);
    },
    unregisterAll() {
      for (const r of registered) koffi.unregister(r.handle);
    },
  };
}

/** Routes `ptr`'s callbacks to `target`; registers the trampolines on first use. */
export function attachCallbacks(native: Native, ptr: bigint, target: CallbackTarget): void {
  if (!trampolines) trampolines = makeTrampolines(native);
  instances.set(ptr, target);
  trampolines.register(ptr);
}

/** Call after tox_kill: the last instance gone releases the koffi callback slots. */
export function detachCallbacks(ptr: bigint): void {
  instances.delete(ptr);
  if (instances.size === 0 && trampolines) {
    trampolines.unregisterAll();
    trampolines = null;
  }
}
