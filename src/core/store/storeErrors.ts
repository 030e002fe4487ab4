// Typed store errors: the UI and the CLI tell the user what happened and what is safe to do,
// by `code`, never by parsing messages.

export type StoreErrorCode =
  /** The passphrase does not unwrap the data key. Nothing was changed. */
  | 'WRONG_PASSPHRASE'
  /** The key (from SecretStorage or elsewhere) does not belong to this store. */
  | 'WRONG_KEY'
  /** No way to unlock is set up: no passphrase, and the caller has no key. */
  | 'NO_KEY'
  /** A store file is damaged or not a toxync file. */
  | 'CORRUPT'
  /** The store is from a newer toxync. */
  | 'UNSUPPORTED_VERSION'
  /** The store was locked (its key wiped) while this was being done. */
  | 'LOCKED'
  /** Another process has the store open. */
  | 'BUSY';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
