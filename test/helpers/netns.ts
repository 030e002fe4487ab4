// Every test or benchmark that starts a Tox node runs in a network namespace whose only
// interface is loopback (scripts/test.sh and scripts/bench.sh enter one with `unshare -n`).
// This guard refuses to go on anywhere else, so no Tox node can ever send a packet beyond
// 127.0.0.1. It reads /proc/self/net/dev, which belongs to this process's network namespace
// (/sys/class/net would show the namespace that mounted /sys, i.e. the host's).

import { readlinkSync } from 'node:fs';

// The check itself is shared with `npm start` (tools/devhost/devNetns.ts).
export { assertLoopbackOnly, networkInterfaces } from '../../tools/devhost/devNetns';

/** The network namespace of a process (`net:[inode]`), from /proc/PID/ns/net. */
export function netNamespace(pid: number | 'self'): string {
  return readlinkSync(`/proc/${pid}/ns/net`);
}

/** Throws unless process `pid` (e.g. a child started through tmux) is in this process's network namespace. */
export function assertInOwnNetNamespace(pid: number, what: string): void {
  let theirs: string;
  try {
    theirs = netNamespace(pid);
  } catch (e) {
    throw new Error(`cannot read the network namespace of ${what} (pid ${pid}): ${e instanceof Error ? e.message : String(e)}`);
  }
  const mine = netNamespace('self');
  if (theirs !== mine) throw new Error(`${what} (pid ${pid}) is in network namespace ${theirs}, not in this process's ${mine}`);
}
