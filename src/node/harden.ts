// The Tox node holds the profile's secret key in memory. A core dump would write it to disk, and
// a dumpable process lets any other process of the same user ptrace it or read /proc/<pid>/mem.
// So, first thing at start (before any savedata arrives): core size 0 (soft and hard, so it cannot
// be raised again) and not dumpable. Linux only; elsewhere there is nothing to do here yet.

import { bindLibc, PR_GET_DUMPABLE, PR_SET_DUMPABLE, RLIMIT_CORE } from '../tox/ffi';

export interface Hardening {
  coreLimit: 'zero' | 'failed';
  dumpable: 'off' | 'failed';
}

export function hardenProcess(): Hardening | null {
  if (process.platform !== 'linux') return null;
  const libc = bindLibc();
  const zero = Buffer.alloc(16); // struct rlimit { cur = 0, max = 0 }
  const coreLimit = libc.setrlimit(RLIMIT_CORE, zero) === 0 ? 'zero' : 'failed';
  const dumpable = libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) === 0 && libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) === 0 ? 'off' : 'failed';
  return { coreLimit, dumpable };
}
