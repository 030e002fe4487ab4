// Process-tree bookkeeping for the hosts we start (code-server, its extension host and
// watcher, Tox nodes): everything is stopped by PID, never by name, and waited for, so a
// stop leaves no orphan behind and a namespace can be torn down cleanly.

import { readdirSync, readFileSync } from 'node:fs';

/** Fields 3… of /proc/PID/stat (state, ppid, …), or null if the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  const f = statFields(pid);
  return f ? Number(f[1]) : null;
}

/** Every live descendant of `pid` (children, grandchildren, …). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** The command line of `pid` (NUL-separated arguments joined by spaces), or '' if it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export function alive(pid: number): boolean {
  // A zombie still answers signal 0 until its parent reaps it; it has exited all the same.
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until none of `pids` is alive; returns those still alive after `timeoutMs`. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  let left = pids.filter(alive);
  while (left.length && Date.now() < end) {
    await sleep(50);
    left = left.filter(alive);
  }
  return left;
}

/**
 * Stops `pid` and everything it started: records the tree first (children may be re-parented
 * once their parent exits), sends SIGTERM to the root, waits, then SIGKILLs what is left.
 */
export async function stopTree(pid: number, graceMs = 5000): Promise<void> {
  const tree = [pid, ...descendants(pid)];
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const left = await waitGone(tree, graceMs);
  for (const p of left) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  await waitGone(left, 2000);
}
