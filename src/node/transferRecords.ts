// Where a node keeps the transfers that must survive a disconnect or a restart of either
// side (the records resume works from). Like ProfileIO, the node sees only this interface:
// the extension's node process gets its records with `start` and sends every change back as
// a `transfers` event (the host keeps them in the encrypted store); the CLI with a store
// writes them into the store itself (store/transfers.ts); a plain CLI profile keeps them in
// a plain file next to its plain profile. Records are written when a transfer starts, ends
// or fails — never per chunk: the `.part` file's length is the progress.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { array, check } from '../protocol/guard';
import { transferRecord, type TransferRecord } from '../protocol/node';
import { writeFileAtomic } from '../sys/atomicWrite';

export interface TransferJournal {
  load(): TransferRecord[];
  save(all: TransferRecord[]): void;
}

const records = array(transferRecord, { max: 10_000 });

/** How long an unfinished transfer can still resume. After that its record goes, and an
 *  incoming one's `.part` file with it: without the record nothing could resume into it,
 *  and the file offered again simply starts over under a fresh name. */
export const RECORD_TTL_MS = 30 * 24 * 3600 * 1000;
/** Records kept at most (newest first): far below what `start` accepts (10,000). */
export const MAX_RECORDS = 1000;

/** Splits loaded records into those still kept and those expired (too old, or over the
 *  count). A record dated in the future (a clock set back) counts as new. */
export function expireRecords(
  all: readonly TransferRecord[],
  now: number,
  ttl = RECORD_TTL_MS,
  max = MAX_RECORDS,
): { keep: TransferRecord[]; expired: TransferRecord[] } {
  const fresh = all.filter((r) => r.created >= now - ttl).sort((a, b) => b.created - a.created);
  const keep = fresh.slice(0, max);
  const kept = new Set(keep);
  return { keep, expired: all.filter((r) => !kept.has(r)) };
}

/** Nothing persists (a node without a place to keep them). */
export class MemoryTransfers implements TransferJournal {
  constructor(private all: TransferRecord[] = []) {}
  load(): TransferRecord[] {
    return this.all;
  }
  save(all: TransferRecord[]): void {
    this.all = all;
  }
}

/** The host keeps them: the initial list came with `start`, changes go back as events. */
export class HostTransfers implements TransferJournal {
  constructor(
    private readonly initial: TransferRecord[],
    private readonly send: (all: TransferRecord[]) => void,
  ) {}
  load(): TransferRecord[] {
    return this.initial;
  }
  save(all: TransferRecord[]): void {
    this.send(all);
  }
}

export const PLAIN_TRANSFERS = 'transfers.json';

/** `--insecure-plain-profile`: as unprotected as the profile beside it. */
export class PlainTransfers implements TransferJournal {
  constructor(private readonly dir: string) {}
  private get path(): string {
    return join(this.dir, PLAIN_TRANSFERS);
  }
  load(): TransferRecord[] {
    if (!existsSync(this.path)) return [];
    try {
      const r = check(records, JSON.parse(readFileSync(this.path, 'utf8')));
      return r.ok ? r.value : [];
    } catch {
      return []; // unreadable: transfers start over rather than the node not starting
    }
  }
  save(all: TransferRecord[]): void {
    writeFileAtomic(this.path, Buffer.from(JSON.stringify(all)));
  }
}
