// libsodium (the sumo build: the plain libsodium-wrappers has no crypto_pwhash / Argon2id).
// It is WebAssembly and must be initialised once, asynchronously, before any call; every
// user of the store awaits `sodium()` first and then uses the returned module synchronously.
//
// Required on first use, not imported: it is ~2 MB of JavaScript and base64 wasm, and the
// extension host should not parse it at activation (most starts never touch the store before
// the user opens Tox). The dist/ bundles keep it in a file of its own, dist/sodium.js
// (scripts/build.mjs rewrites this require); test and bench bundles carry it inline.

export type Sodium = typeof import('libsodium-wrappers-sumo');

let ready: Promise<Sodium> | null = null;

export function sodium(): Promise<Sodium> {
  ready ??= (async () => {
    // The module fills in its functions only once it is ready, so it is used as the object
    // it exports, never destructured early.
    const m = require('libsodium-wrappers-sumo') as Sodium;
    await m.ready;
    return m;
  })();
  return ready;
}
