// The pager wired into the chat and the encrypted store, without VS Code or a network: the
// real ChatModel fed hand-made node events, the real PagerController, and the state document
// (in memory, then a real Store on disk). What must hold: alerts only from sources; an alert
// leaves one short line in the conversation and a code never its digits; repeats are dropped;
// the mirror packet counts; plain alerts come back at unlock, codes never; locking forgets all.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Alert, type CodeAlert, encodeAlert, encodeAlertPacket, type PlainAlert } from '../../src/protocol/pagerAlert';
import { type ChatChange, ChatModel } from '../../src/core/chat/chatModel';
import { StoredPrefs } from '../../src/core/chat/prefs';
import { alertChatLine, PagerController } from '../../src/extension/pager/controller';
import type { StateAccess } from '../../src/extension/pager/sources';
import { StoreBinding } from '../../src/extension/storeBinding';
import type { FriendInfo } from '../../src/protocol/node';
import { fastKdf } from '../../src/core/store/crypto';
import { emptyState, type StateDoc } from '../../src/core/store/records';
import { sodium } from '../../src/core/store/sodium';
import { Store } from '../../src/core/store/store';
import { MemoryStore } from '../helpers/chat';
import { tempDir } from '../helpers/peer';
import { ManualTimers } from '../helpers/timers';
import { friendInfo, messageEvent, readyEvent } from '../helpers/events';

const CONTI = 'C'.repeat(64);
const BOB = 'B'.repeat(64);
const T0 = Date.UTC(2030, 0, 1);
const DIGITS = '48291375';

const friend = (key: string, no: number): FriendInfo => friendInfo(key, no, { name: `name-${no}` });

let n = 0;
const plain = (over: Partial<PlainAlert> = {}): PlainAlert => ({
  kind: 'alert',
  id: `a${++n}`,
  priority: 'warning',
  expiresAt: T0 + 600_000,
  link: '/ci/1',
  title: 'Build failed',
  body: 'run #812',
  ...over,
});
const code = (over: Partial<CodeAlert> = {}): CodeAlert => ({
  kind: 'code',
  id: `c${++n}`,
  priority: 'warning',
  expiresAt: T0 + 120_000,
  link: null,
  code: DIGITS,
  service: 'Conti',
  action: 'sign in',
  requestId: `r${n}`,
  ...over,
});

class MemoryState implements StateAccess {
  state: StateDoc = emptyState();
  writes = 0;
  updateState(change: (s: StateDoc) => void): void {
    change(this.state);
    this.writes++;
  }
}

function setup() {
  const clock = { t: T0 };
  const timers = new ManualTimers(clock);
  const model = new ChatModel(
    () => ({ request: (() => new Promise(() => {})) as never }),
    new StoredPrefs(new MemoryStore()),
    () => clock.t,
  );
  const changes: ChatChange[] = [];
  model.onChange((c) => changes.push(c));
  model.handle(readyEvent([friend(CONTI, 0), friend(BOB, 1)]));
  const pager = new PagerController(model, { now: () => clock.t, timers });
  const state = new MemoryState();
  pager.attach(state);
  const receive = (from: number, text: string) => model.handle(messageEvent(from, from === 0 ? CONTI : BOB, text));
  return { clock, timers, model, changes, pager, state, receive };
}

describe('pager wiring: chat model, controller and state document', () => {
  it('from a friend who is not a source, an alert is an ordinary message', () => {
    const { model, pager, receive } = setup();
    const text = encodeAlert(plain());
    receive(0, text);
    assert.equal(model.messages(CONTI).at(-1)?.text, text);
    assert.equal(pager.alerts.list().length, 0);
  });

  it('from a source: one short, quiet line in the chat, the alert in the store, repeats dropped', () => {
    const { model, pager, receive, changes } = setup();
    pager.setSource(CONTI, true);
    const a = plain({ title: 'Deploy done', priority: 'critical' });
    receive(0, encodeAlert(a));
    receive(0, encodeAlert(a)); // the sender re-sent it (no receipt seen)
    const lines = model.messages(CONTI);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.text, alertChatLine(a, false));
    assert.match(lines[0]!.text, /^🚨 Deploy done \(pager alert, in the status bar\)$/);
    assert.ok(!lines[0]!.text.includes('toxync/1'), 'no raw trailer in history');
    assert.equal(pager.alerts.list().length, 1);
    const append = changes.find((c) => c.kind === 'append');
    assert.ok(append?.kind === 'append' && append.quiet === true, 'no notification for the chat line');
    assert.equal(model.contacts.get(CONTI)!.unread, 0);
    // Bob is not a source: the same text from him stays his ordinary message.
    receive(1, encodeAlert(a));
    assert.equal(model.messages(BOB)[0]!.text, encodeAlert(a));
  });

  it('a code: the chat line and every later note carry no digit of it; copied / expired says how it ended', () => {
    const { model, pager, receive, timers } = setup();
    pager.setSource(CONTI, true);
    const c1 = code();
    const c2 = code();
    receive(0, encodeAlert(c1));
    receive(0, encodeAlert(c2));
    assert.equal(pager.alerts.list().length, 2);
    const e1 = pager.alerts.get(CONTI, c1.id)!;
    pager.markCopied(e1);
    timers.advance(120_000);
    assert.equal(pager.alerts.list().length, 0);
    const texts = model.messages(CONTI).map((m) => m.text);
    assert.deepEqual(texts, [
      '🔑 Code for Conti: sign in (in the status bar)',
      '🔑 Code for Conti: sign in (in the status bar)',
      'Code from name-0 for Conti: sign in (copied)',
      'Code from name-0 for Conti: sign in (expired)',
    ]);
    for (const t of texts) assert.ok(!/\d{6}/.test(t), t);
  });

  it('a code that expired on the way is a line saying so, never shown', () => {
    const { model, pager, receive } = setup();
    pager.setSource(CONTI, true);
    receive(0, encodeAlert(code({ expiresAt: T0 - 1000 })));
    assert.equal(pager.alerts.list().length, 0);
    assert.equal(model.messages(CONTI)[0]!.text, '🔑 Code for Conti: sign in (expired before it arrived)');
  });

  it('the mirror packet may come first: the text still gets its one line', () => {
    const { model, pager, receive } = setup();
    pager.setSource(CONTI, true);
    const a = plain();
    pager.nodeEvent({ event: 'custom_packet', friend: 0, lossless: true, data: encodeAlertPacket(a) });
    assert.equal(pager.alerts.list().length, 1);
    receive(0, encodeAlert(a));
    receive(0, encodeAlert(a));
    assert.equal(model.messages(CONTI).length, 1);
    // A packet from a friend who is not a source is nothing at all.
    pager.nodeEvent({ event: 'custom_packet', friend: 1, lossless: true, data: encodeAlertPacket(plain()) });
    assert.equal(pager.alerts.list().length, 1);
  });

  it('plain alerts on screen are kept in the state document; codes never, not even in part', () => {
    const { pager, receive, state, timers } = setup();
    pager.setSource(CONTI, true);
    const a = plain({ expiresAt: T0 + 60_000 });
    receive(0, encodeAlert(a));
    receive(0, encodeAlert(code()));
    assert.equal(state.state.alerts?.length, 1);
    assert.ok(!JSON.stringify(state.state).includes(DIGITS.slice(0, 6)));
    assert.deepEqual(state.state.friends, [{ key: CONTI, settings: { pager_source: true } }]);
    timers.advance(60_000); // the alert expires: gone from the document too
    assert.equal(state.state.alerts, undefined);
  });

  it('locking forgets everything and turns every source off; unlocking brings back the live plain alerts', () => {
    const { pager, receive, state, clock, model } = setup();
    pager.setSource(CONTI, true);
    const keep = plain({ expiresAt: T0 + 600_000 });
    const lapse = plain({ expiresAt: T0 + 30_000 });
    receive(0, encodeAlert(keep));
    receive(0, encodeAlert(lapse));
    receive(0, encodeAlert(code()));
    assert.equal(state.state.alerts?.length, 2);
    pager.detach();
    assert.equal(pager.alerts.list().length, 0);
    assert.equal(pager.isSource(CONTI), false);
    assert.throws(() => pager.setSource(CONTI, true), /locked/);
    receive(0, encodeAlert(plain()));
    assert.equal(pager.alerts.list().length, 0, 'no alerts while locked');

    clock.t += 60_000; // `lapse` expired while locked
    state.state.alerts!.push({ junk: true }, 'nonsense');
    const writes = state.writes;
    pager.attach(state);
    assert.deepEqual(
      pager.alerts.list().map((e) => e.alert.id),
      [keep.id],
    );
    assert.equal(state.writes, writes + 1, 'the pruned list is written back');
    assert.equal(state.state.alerts?.length, 1);
    // A repeat of the restored alert is dropped, not shown or written again.
    const before = model.messages(CONTI).length;
    receive(0, encodeAlert(keep));
    assert.equal(model.messages(CONTI).length, before);
  });

  it('turning a source off takes its alerts away and leaves later alerts as plain messages', () => {
    const { model, pager, receive } = setup();
    pager.setSource(CONTI, true);
    receive(0, encodeAlert(plain()));
    pager.setSource(CONTI, false);
    assert.equal(pager.alerts.list().length, 0);
    const text = encodeAlert(plain());
    receive(0, text);
    assert.equal(model.messages(CONTI).at(-1)!.text, text);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('pager wiring: the encrypted store on disk', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('source flags and plain alerts survive a lock; no code digit and no alert text is on disk', async () => {
    const dir = tempDir('pager-store');
    dirs.push(dir);
    const kdf = fastKdf(await sodium());
    const clock = { t: Date.now() };
    const model = new ChatModel(
      () => ({ request: (() => new Promise(() => {})) as never }),
      new StoredPrefs(new MemoryStore()),
      () => clock.t,
    );
    const pager = new PagerController(model, { now: () => clock.t });
    let binding = new StoreBinding(await Store.create(dir, { passphrase: 'pw-pw-pw-pw', keychain: false, kdf }), model, () => true, pager);
    model.handle(readyEvent([friend(CONTI, 0)]));
    pager.setSource(CONTI, true);
    const title = `Unusual title ${Math.random().toString(36).slice(2)}`;
    const a: Alert = { ...plain(), title, expiresAt: clock.t + 3_600_000 };
    const c: Alert = { ...code(), expiresAt: clock.t + 300_000 };
    for (const text of [encodeAlert(a), encodeAlert(c)]) model.handle(messageEvent(0, CONTI, text));
    assert.equal(pager.alerts.list().length, 2);
    binding.close(); // Lock

    assert.equal(pager.alerts.list().length, 0);
    const needles = [DIGITS, DIGITS.slice(0, 6), title, 'toxync/1', CONTI];
    for (const f of filesUnder(dir)) {
      const bytes = readFileSync(f);
      for (const needle of needles) assert.ok(!bytes.includes(Buffer.from(needle)), `${needle} in ${f}`);
    }

    binding = new StoreBinding(await Store.open(dir, { passphrase: 'pw-pw-pw-pw' }), model, () => true, pager);
    try {
      assert.equal(pager.isSource(CONTI), true);
      assert.deepEqual(
        pager.alerts.list().map((e) => (e.alert.kind === 'alert' ? e.alert.title : e.alert.kind)),
        [title],
      );
      const history = model.messages(CONTI).map((m) => m.text);
      assert.equal(history.length, 2);
      assert.ok(history.every((t) => !t.includes(DIGITS.slice(0, 6))));
    } finally {
      binding.close();
      pager.dispose();
      model.dispose();
    }
  });
});
