// Where the CLI gets passphrases: a file (--passphrase-file) or the environment
// (TOXYNC_PASSPHRASE). Never argv: every user on the machine can read a command line.

import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './args';

export function readPassphrase(file: string | undefined, env: NodeJS.ProcessEnv, warn: (m: string) => void): string {
  if (file) {
    const mode = statSync(file).mode;
    if (mode & 0o077) warn('the passphrase file is readable by other users (chmod 600 it)');
    // One trailing newline is the file's line end, not part of the passphrase.
    const p = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (!p) throw new UsageError(`${file} is empty`);
    return p;
  }
  const p = env.TOXYNC_PASSPHRASE;
  if (p) return p;
  throw new UsageError('the profile is encrypted: set TOXYNC_PASSPHRASE or pass --passphrase-file FILE (or --insecure-plain-profile for an unencrypted one)');
}
