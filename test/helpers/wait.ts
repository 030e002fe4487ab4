// The one copy of the tests' waiting helpers. Every wait has a timeout and says what it waited
// for, so a hung test fails with a sentence instead of mocha's bare "timeout exceeded".

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves after the current I/O callbacks ran (lets queued promise chains settle). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Pending = null | undefined | false;

/**
 * Polls `probe` every `everyMs` until it returns something other than null, undefined or false,
 * and resolves with that; rejects naming `what` after `timeoutMs`.
 */
export async function until<T>(what: string, timeoutMs: number, probe: () => T | Pending | Promise<T | Pending>, everyMs = 20): Promise<Exclude<T, Pending>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v as Exclude<T, Pending>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Like `until`, but checks when `subscribe`'s source fires instead of polling: `pick` sees each
 * emitted value (and is tried once at the start with none) and resolves the wait with the
 * first result other than null, undefined or false. `subscribe` returns its unsubscribe.
 */
export function untilEmitted<E, T>(
  what: string,
  timeoutMs: number,
  subscribe: (listener: (value: E) => void) => () => void,
  pick: (value: E | undefined) => T | Pending,
): Promise<Exclude<T, Pending>> {
  return new Promise((resolve, reject) => {
    let done = false;
    let off = (): void => {};
    const finish = (v: Exclude<T, Pending>): void => {
      done = true;
      clearTimeout(timer);
      off();
      resolve(v);
    };
    const timer = setTimeout(() => {
      done = true;
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const check = (value: E | undefined): void => {
      if (done) return;
      const v = pick(value);
      if (v !== null && v !== undefined && v !== false) finish(v as Exclude<T, Pending>);
    };
    off = subscribe(check);
    if (done) off();
    else check(undefined);
  });
}
