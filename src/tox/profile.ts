// Where a node's Tox savedata lives on disk, and how it gets there safely.
// Encryption at rest is its own issue; until then a plain profile exists only when the
// caller explicitly asks for it (`--insecure-plain-profile`), never by default.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic';

export const PLAIN_PROFILE = 'profile.tox';

export class PlainProfile {
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
