// libsodium (the sumo build: the plain libsodium-wrappers has no crypto_pwhash / Argon2id).
// It is WebAssembly and must be initialised once, asynchronously, before any call; every
// user of the store awaits `sodium()` first and then uses the returned module synchronously.

// `import … = require`, not `import * as`: the module fills in its functions only once it is
// ready, and a bundler's namespace copy made at import time would miss them.
import sodiumModule = require('libsodium-wrappers-sumo');

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | null = null;

export function sodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
