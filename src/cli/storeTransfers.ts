// The CLI's TransferJournal when it runs with an encrypted store: the records live in the
// state document (StateDoc.transfers), encrypted like everything else in it.

import type { TransferRecord } from '../protocol/node';
import type { TransferJournal } from '../node/transferRecords';
import type { Store } from '../core/store/store';

export class StoreTransfers implements TransferJournal {
  constructor(private readonly store: Store) {}
  load(): TransferRecord[] {
    return (this.store.state.transfers ?? []).map((r) => ({ ...r }));
  }
  save(all: TransferRecord[]): void {
    this.store.updateState((s) => (s.transfers = all.map((r) => ({ ...r }))));
  }
}
