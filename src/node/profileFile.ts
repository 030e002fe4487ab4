// Where a node's Tox savedata lives. The node sees only this interface: the CLI hands it the
// encrypted store's profile (store/), the extension's node process a HostProfile (the host
// keeps the encrypted store and the key; the node never holds a data key). A plain file
// exists only when the caller explicitly asks for it (`--insecure-plain-profile`).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../sys/atomicWrite';

export const PLAIN_PROFILE = 'profile.tox';

export interface ProfileIO {
  load(): Uint8Array | null;
  save(savedata: Uint8Array): void;
}

/** The savedata came with `start`; every save goes back to the host as a `savedata` event. */
export class HostProfile implements ProfileIO {
  constructor(
    private readonly initial: Uint8Array | null,
    private readonly send: (savedata: Uint8Array) => void,
  ) {}
  load(): Uint8Array | null {
    return this.initial;
  }
  save(savedata: Uint8Array): void {
    this.send(savedata);
  }
}

export class PlainProfile implements ProfileIO {
  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, PLAIN_PROFILE);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  load(): Buffer | null {
    return this.exists() ? readFileSync(this.path) : null;
  }

  save(savedata: Uint8Array): void {
    writeFileAtomic(this.path, savedata);
  }
}
