// Getting the data key of the encrypted store, with the user: first-run choice between the OS
// keychain (VS Code SecretStorage) and a passphrase, unlocking, and what to do when the
// keychain lost the key. Never stores a key anywhere silently: the keychain only after the
// user chose it (or the `toxync.keyStorage` setting says so), the passphrase never.

import * as vscode from 'vscode';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/store/storeErrors';
import { Store } from '../core/store/store';
import type { KeyValueStore } from '../core/chat/prefs';
import { StoredPrefs } from '../core/chat/prefs';
import { inputText, noticeText } from './surfaceText';
import { errorCode } from './logText';

export const SECRET_KEY = 'toxync.dataKey';
export const MIN_PASSPHRASE = 8;

export type KeyStorage = 'ask' | 'keychain' | 'passphrase';

const KEYCHAIN_TRADEOFF = 'No passphrase to type; anyone who can use your unlocked OS account (or, in a browser, this browser profile) can read your messages.';
const PASSPHRASE_TRADEOFF = 'Asked at every start; without it, a seized or stolen disk reveals nothing — and if you forget it, your profile is gone.';

export interface UnlockDeps {
  secrets: vscode.SecretStorage;
  globalState: KeyValueStore;
  log: vscode.LogOutputChannel;
  keyStorage: KeyStorage;
  /** The folder of the plain profile kept before encryption existed (migrated, then removed). */
  legacyProfileDir: string;
}

export async function askPassphrase(prompt: string, confirm: boolean): Promise<string | undefined> {
  const first = await vscode.window.showInputBox({
    title: 'Tox',
    prompt: inputText(prompt, 400),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      confirm && v.length < MIN_PASSPHRASE ? `At least ${MIN_PASSPHRASE} characters.` : v.length === 0 ? 'Enter the passphrase.' : undefined,
  });
  if (first === undefined || !confirm) return first;
  const again = await vscode.window.showInputBox({
    title: 'Tox',
    prompt: 'Enter the same passphrase again.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v !== first ? 'The passphrases differ.' : undefined),
  });
  return again === undefined ? undefined : first;
}

/** Whether SecretStorage actually stores and returns a value here. */
async function keychainWorks(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel): Promise<boolean> {
  const probe = 'toxync.probe';
  try {
    await secrets.store(probe, 'ok');
    const back = await secrets.get(probe);
    await secrets.delete(probe);
    return back === 'ok';
  } catch (e) {
    log.warn(`SecretStorage is not usable: ${errorCode(e)}`);
    return false;
  }
}

async function storeKey(d: UnlockDeps, store: Store): Promise<void> {
  const key = store.exportKey();
  try {
    await d.secrets.store(SECRET_KEY, Buffer.from(key).toString('base64'));
  } finally {
    key.fill(0);
  }
}

/** First start: choose how the key is kept, create the store, migrate the old plain profile. */
async function createStore(dir: string, d: UnlockDeps): Promise<Store | null> {
  const keychainOk = await keychainWorks(d.secrets, d.log);
  const web = vscode.env.uiKind === vscode.UIKind.Web;
  let choice: 'keychain' | 'passphrase' | undefined = d.keyStorage === 'ask' ? undefined : d.keyStorage;
  if (choice === 'keychain' && !keychainOk) {
    void vscode.window.showWarningMessage('VS Code’s secret storage does not work here (no OS keyring?), so toxync needs a passphrase instead.');
    choice = 'passphrase';
  }
  if (!choice) {
    const items: (vscode.QuickPickItem & { v: 'keychain' | 'passphrase' })[] = [
      {
        v: 'passphrase',
        label: '$(lock) Protect with a passphrase',
        description: web || !keychainOk ? 'recommended here' : '',
        detail: PASSPHRASE_TRADEOFF,
      },
    ];
    if (keychainOk)
      items.push({
        v: 'keychain',
        label: '$(key) Keep the key in VS Code’s secret storage',
        description: web ? 'browser storage in this setup' : 'OS keychain',
        detail: KEYCHAIN_TRADEOFF,
      });
    if (keychainOk && !web) items.reverse(); // the keychain is the default where it is a real OS keychain
    const pick = await vscode.window.showQuickPick(items, {
      title: keychainOk
        ? 'Tox: how should your messages be protected on this device?'
        : 'Tox: VS Code’s secret storage does not work here — choose a passphrase',
      placeHolder: 'Your Tox profile, history and contacts are encrypted; this decides where the key lives.',
      ignoreFocusOut: true,
    });
    choice = pick?.v;
  }
  if (!choice) return null;
  let passphrase: string | null = null;
  if (choice === 'passphrase') {
    const p = await askPassphrase('Choose a passphrase for your Tox profile (at least 8 characters).', true);
    if (p === undefined) return null;
    passphrase = p;
  }
  const store = await Store.create(dir, { passphrase, keychain: choice === 'keychain' });
  if (choice === 'keychain') {
    try {
      await storeKey(d, store);
    } catch (e) {
      // The key would exist nowhere: drop the brand-new (empty) store rather than keep it unopenable.
      store.close();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
  await migrateLegacy(store, d);
  return store;
}

/** Moves what the unencrypted versions kept (profile.tox, aliases, block list) into the store
 *  and deletes the plaintext. */
async function migrateLegacy(store: Store, d: UnlockDeps): Promise<void> {
  const plain = join(d.legacyProfileDir, 'profile.tox');
  if (existsSync(plain)) {
    store.writeProfile(readFileSync(plain));
    rmSync(plain, { force: true });
    d.log.info('moved the unencrypted profile into the encrypted store');
  }
  const old = new StoredPrefs(d.globalState);
  const blocked = old.blocked();
  const aliases: { key: string; alias: string }[] = [];
  const raw = d.globalState.get<unknown>('toxync.aliases');
  if (raw && typeof raw === 'object')
    for (const k of Object.keys(raw)) {
      const a = old.alias(k);
      if (a) aliases.push({ key: k, alias: a });
    }
  if (blocked.length || aliases.length) {
    store.updateState((s) => {
      s.blocked = [...new Set([...s.blocked, ...blocked])];
      s.aliases = [...s.aliases.filter((a) => !aliases.some((b) => b.key === a.key)), ...aliases];
    });
  }
  await d.globalState.update('toxync.aliases', undefined);
  await d.globalState.update('toxync.blocked', undefined);
  await d.globalState.update('toxync.plainProfileConsent', undefined);
}

async function unlockWithPassphrase(dir: string, d: UnlockDeps, why: string): Promise<Store | null> {
  for (;;) {
    const p = await askPassphrase(why, false);
    if (p === undefined) return null;
    try {
      return await Store.open(dir, { passphrase: p });
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== 'WRONG_PASSPHRASE') throw e;
      why = 'Wrong passphrase. Try again (nothing was changed).';
    }
  }
}

/**
 * Opens (or, the first time, creates) the store. `explicitUnlock`: after "Tox: Lock", the
 * passphrase is required even if the keychain has the key. Returns null if the user backed out.
 */
export async function openStore(dir: string, d: UnlockDeps, explicitUnlock: boolean): Promise<Store | null> {
  if (!Store.exists(dir)) return createStore(dir, d);
  const info = Store.vaultInfo(dir)!;
  if (info.keychain && !(explicitUnlock && info.passphrase)) {
    const b64 = await d.secrets.get(SECRET_KEY).then(
      (v) => v,
      () => undefined,
    );
    if (b64) {
      const key = new Uint8Array(Buffer.from(b64, 'base64'));
      try {
        return await Store.open(dir, { key });
      } catch (e) {
        if (!(e instanceof StoreError) || e.code !== 'WRONG_KEY') throw e;
        d.log.warn('the key in SecretStorage does not belong to this profile');
      } finally {
        key.fill(0);
      }
    }
    if (!info.passphrase) return lostKey(dir, d);
    const store = await unlockWithPassphrase(dir, d, 'VS Code’s secret storage no longer has the key of your Tox profile. Enter your passphrase to unlock it.');
    if (store) await storeKey(d, store); // put it back for the next start
    return store;
  }
  if (!info.passphrase) return lostKey(dir, d);
  return unlockWithPassphrase(dir, d, 'Enter the passphrase of your Tox profile.');
}

/** The key was only in the keychain, and the keychain lost it: say so plainly; offer a new
 *  profile, keeping the unreadable one aside (never deleting it). */
async function lostKey(dir: string, d: UnlockDeps): Promise<Store | null> {
  const fresh = 'Start a new profile';
  const pick = await vscode.window.showErrorMessage(
    'Your Tox profile cannot be opened: its key was kept only in VS Code’s secret storage, which no longer has it.',
    {
      modal: true,
      detail: `The encrypted profile stays in ${noticeText(dir, 400)}. If the secret storage comes back (e.g. the OS keyring is unlocked), restart VS Code. Otherwise you can start a new profile; the old one is kept aside, not deleted.`,
    },
    fresh,
  );
  if (pick !== fresh) return null;
  const aside = `${dir}.unreadable-${Date.now()}`;
  renameSync(dir, aside);
  d.log.warn('moved the unreadable store aside (next to the profile folder)');
  return createStore(dir, d);
}

/** The store's repairs at open, for the user (never silent). */
export function describeRepairs(store: Store): string | null {
  const r = store.report;
  const parts: string[] = [];
  for (const x of r.damaged)
    parts.push(
      `a damaged conversation file: ${x.recovered} records recovered${x.skipped ? `, ${x.skipped} unreadable` : ''}${x.lostBytes ? `, ${x.lostBytes} bytes lost` : ''} (the damaged file is kept as ${x.keptAs})`,
    );
  if (r.stateDamagedKeptAs)
    parts.push(`the contacts settings file was damaged and is kept as ${r.stateDamagedKeptAs}; aliases, blocks and pending requests start empty`);
  return parts.length ? `toxync repaired its encrypted store: ${parts.join('; ')}.` : null;
}
