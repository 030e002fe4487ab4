// What activate() returns to tests, and only when VS Code runs the extension in test mode
// (ExtensionMode.Test: an extensionTestsPath was given). Read-only views of what the user
// sees, so extension-host tests can check the UI state without reaching into internals.

import type { ServiceState } from './toxService';

export interface ToxyncTestApi {
  /** The supervised node's state, as the status bar shows it. */
  serviceState(): ServiceState;
  /** The status-bar item's current text (with its $(icon) codes). */
  statusBarText(): string;
  /** Where the encrypted store lives (tests scan it for plaintext). */
  storeDir(): string;
  /** Whether SecretStorage holds the profile's data key. */
  keyInSecretStorage(): Promise<boolean>;
  /** Derives a throwaway passphrase key (Argon2id, minimum cost) the way an unlock does, in a
   *  worker thread of the installed dist/kdfWorker.js; resolves to its length in bytes. */
  passphraseKeyBytes(): Promise<number>;
}
