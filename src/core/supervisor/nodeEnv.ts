// The environment a forked Tox node gets: only the variables it, or the runtime it runs on, reads.
// Everything else the extension host or CLI inherited (tokens, TOXYNC_PASSPHRASE, NODE_OPTIONS
// that could --require code into the process holding the secret key, LD_* that could swap its
// libraries) stays out.

/** Read by the node: src/tox/loader.ts (TOXYNC_LIBTOXCORE), src/node/nodeCore.ts (TOXYNC_LOOP).
 *  ELECTRON_RUN_AS_NODE: in desktop VS Code, fork() runs the Electron binary, which starts a whole
 *  VS Code instead of Node without it. SystemRoot: Windows needs it for sockets and crypto.
 *  Nothing else: PATH, HOME, LANG were here for a while, for message loss that was the heartbeat's
 *  (docs/decisions.md). */
export const NODE_ENV_ALLOWLIST: readonly string[] = ['TOXYNC_LIBTOXCORE', 'TOXYNC_LOOP', 'ELECTRON_RUN_AS_NODE', 'SystemRoot'];

export function nodeEnv(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of NODE_ENV_ALLOWLIST) {
    const v = from[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}
