// Per-friend auto-accept rules for files, in the encrypted state document (StateDoc.friends
// [].settings.auto_accept). Off unless the user turns it on for that friend; a rule names
// the folder, a size cap and optionally "images only" (checked by magic bytes in the node).

import type { Store } from '../store/store';
import type { AutoAcceptRule } from './fileTransfers';

export interface FileRules {
  rule(key: string): AutoAcceptRule | null;
  setRule(key: string, rule: AutoAcceptRule | null): void;
}

export class StoreFileRules implements FileRules {
  /** `store`: the open store, or null while locked (then nothing is auto-accepted). */
  constructor(private readonly store: () => Store | null) {}

  rule(key: string): AutoAcceptRule | null {
    const r = this.store()?.state.friends.find((f) => f.key === key)?.settings.auto_accept;
    return r ? { folder: r.folder, maxBytes: r.max_bytes, imagesOnly: r.images_only } : null;
  }

  setRule(key: string, rule: AutoAcceptRule | null): void {
    const store = this.store();
    if (!store) throw new Error('your Tox profile is locked');
    store.updateState((s) => {
      let f = s.friends.find((x) => x.key === key);
      if (!f) s.friends.push((f = { key, settings: {} }));
      if (rule) f.settings.auto_accept = { folder: rule.folder, max_bytes: rule.maxBytes, images_only: rule.imagesOnly };
      else delete f.settings.auto_accept;
    });
  }
}
