// The editor side of pager alerts without VS Code: the alert store (sources, duplicates,
// expiry timers, do not disturb), the status-bar and quick-pick presentation, and the
// clipboard that forgets a code.

import { strict as assert } from 'node:assert';
import { type Alert, type CodeAlert, encodeAlert, encodeAlertPacket, type PlainAlert } from '../../src/protocol/pagerAlert';
import { type AlertChange, AlertStore, codeHistoryLine } from '../../src/extension/pager/alertStore';
import { ManualTimers } from '../helpers/timers';
import { CodeClipboard } from '../../src/extension/pager/clipboard';
import { PagerSources } from '../../src/extension/pager/sources';
import { age, alertActions, alertPickItems, countdown, ERROR_BACKGROUND, pagerStatusView, WARNING_BACKGROUND } from '../../src/extension/pager/statusView';
import { labelText } from '../../src/extension/surfaceText';
import { emptyState, type StateDoc } from '../../src/core/store/records';
import { tick } from '../helpers/wait';

const CONTI = 'C'.repeat(64);
const STRANGER = 'D'.repeat(64);
const T0 = Date.UTC(2030, 0, 1);

let n = 0;
const plain = (over: Partial<PlainAlert> = {}): PlainAlert => ({
  kind: 'alert',
  id: `a${++n}`,
  priority: 'info',
  expiresAt: T0 + 60_000,
  link: '/ci/1',
  title: 'Build failed',
  body: 'details',
  ...over,
});
const code = (over: Partial<CodeAlert> = {}): CodeAlert => ({
  kind: 'code',
  id: `c${++n}`,
  priority: 'warning',
  expiresAt: T0 + 125_000,
  link: null,
  code: '482913',
  service: 'Conti',
  action: 'sign in',
  requestId: `r${n}`,
  ...over,
});

function setup(max?: number) {
  const clock = { t: T0 };
  const timers = new ManualTimers(clock);
  const store = new AlertStore({ isPagerSource: (k) => k === CONTI, now: () => clock.t, timers, ...(max ? { max } : {}) });
  const changes: AlertChange[] = [];
  store.onChange((c) => changes.push(c));
  const offer = (a: Alert, key = CONTI) => store.offer(key, 'Conti bot', encodeAlert(a));
  return { clock, timers, store, changes, offer };
}

describe('pager: alert store', () => {
  it('recognises alerts only from pager sources; everything else is a plain message', () => {
    const { store, offer } = setup();
    assert.deepEqual(offer(plain(), STRANGER), { kind: 'plain' });
    assert.deepEqual(store.offer(CONTI, 'Conti bot', 'just chatting'), { kind: 'plain' });
    assert.deepEqual(store.offer(CONTI, 'Conti bot', encodeAlert(plain()).replace('toxync/1', 'toxync/9')), { kind: 'plain' });
    assert.equal(store.list().length, 0);
    const r = offer(plain());
    assert.equal(r.kind, 'added');
    assert.equal(store.list().length, 1);
  });

  it('asks for a notification for critical alerts only, with or without do not disturb', () => {
    const { store, offer } = setup();
    const notify = (a: Alert) => {
      const r = offer(a);
      return r.kind === 'added' && r.notify;
    };
    assert.equal(notify(plain({ priority: 'info' })), false);
    assert.equal(notify(plain({ priority: 'warning' })), false);
    assert.equal(notify(plain({ priority: 'critical' })), true);
    store.setDnd(true);
    assert.equal(notify(plain({ priority: 'critical' })), true);
    assert.equal(notify(plain({ priority: 'warning' })), false);
  });

  it('drops repeats (a resend after a reconnect), even after dismissal, and alerts already expired', () => {
    const { store, offer, clock } = setup();
    const a = plain();
    offer(a);
    assert.deepEqual(offer(a), { kind: 'ignored', reason: 'duplicate' });
    store.dismiss(CONTI, a.id);
    assert.deepEqual(offer(a), { kind: 'ignored', reason: 'duplicate' });
    assert.deepEqual(offer(plain({ expiresAt: clock.t })), { kind: 'ignored', reason: 'expired' });
    // The same id from another source is another alert.
    const other = new AlertStore({ isPagerSource: () => true, now: () => clock.t, timers: new ManualTimers(clock) });
    other.offer(CONTI, 'x', encodeAlert(a));
    assert.equal(other.offer(STRANGER, 'y', encodeAlert(a)).kind, 'added');
    other.dispose();
  });

  it('removes alerts at expiry; every timer is cleared or fires, exactly once', () => {
    const { store, offer, timers, changes } = setup();
    const a = plain({ expiresAt: T0 + 10_000 });
    const b = plain({ expiresAt: T0 + 20_000 });
    const c = plain({ expiresAt: T0 + 30_000 });
    const d = plain({ expiresAt: T0 + 40_000 });
    [a, b, c, d].forEach((x) => offer(x));
    assert.equal(timers.live.size, 4);
    timers.advance(10_000);
    assert.deepEqual(
      store.list().map((e) => e.alert.id),
      [d.id, c.id, b.id],
    );
    assert.ok(store.dismiss(CONTI, b.id));
    assert.equal(store.dismiss(CONTI, b.id), false, 'a second dismiss does nothing');
    store.clear();
    assert.equal(timers.live.size, 0);
    assert.equal(timers.cleared.length, 3, 'b, c and d cleared; a fired');
    timers.advance(60_000);
    assert.deepEqual(
      changes.filter((x) => x.kind === 'removed').map((x) => (x.kind === 'removed' ? `${x.entry.alert.id}:${x.why}` : '')),
      [`${a.id}:expired`, `${b.id}:dismissed`, `${c.id}:cleared`, `${d.id}:cleared`],
    );
    offer(plain());
    store.dispose();
    store.dispose();
    assert.equal(timers.live.size, 0);
    assert.equal(offer(plain()).kind, 'ignored', 'a disposed store takes nothing');
  });

  it('keeps the newest alerts when full', () => {
    const { store, offer, timers } = setup(3);
    const ids = Array.from({ length: 5 }, () => plain()).map((a) => (offer(a), a.id));
    assert.deepEqual(
      store.list().map((e) => e.alert.id),
      ids.slice(2).reverse(),
    );
    assert.equal(timers.live.size, 3);
  });

  it('takes alerts from the packet mirror, but never turns packets into plain messages', () => {
    const { store } = setup();
    assert.equal(store.offerPacket(CONTI, 'Conti bot', encodeAlertPacket(plain()))?.kind, 'added');
    assert.equal(store.offerPacket(CONTI, 'Conti bot', 'a0ff'), null);
    assert.equal(store.offerPacket(STRANGER, 'x', encodeAlertPacket(plain())), null);
  });

  it('shows the source as one safe line and leaves no code digits in history lines', () => {
    const { store, clock } = setup();
    const r = store.offer(CONTI, 'Conti\n\u202Ebot', encodeAlert(code()));
    assert.ok(r.kind === 'added');
    assert.equal(r.entry.source, 'Conti ⟦U+202E⟧bot');
    const line = codeHistoryLine(r.entry, 'expired');
    assert.equal(line, 'Code from Conti ⟦U+202E⟧bot for Conti: sign in (expired)');
    assert.ok(!line.includes('482913'));
    void clock;
  });
});

describe('pager: status bar and quick pick', () => {
  const entries = (alerts: Alert[], receivedAt = T0) => alerts.map((alert) => ({ key: CONTI, source: 'Conti bot', alert, receivedAt })).reverse();

  it('is hidden with nothing to show, and shows a bell and a count otherwise', () => {
    const none = pagerStatusView([], T0, false);
    assert.equal(none.visible, false);
    assert.equal(none.refreshInMs, null);
    const v = pagerStatusView(entries([plain(), plain()]), T0, false);
    assert.equal(v.visible, true);
    assert.equal(v.text, '$(bell-dot) 2');
    assert.equal(v.background, null);
  });

  it('uses theme colours: warning, then error for critical (never custom colours)', () => {
    assert.equal(pagerStatusView(entries([plain({ priority: 'warning' }), plain()]), T0, false).background, WARNING_BACKGROUND);
    assert.equal(pagerStatusView(entries([plain({ priority: 'warning' }), plain({ priority: 'critical' })]), T0, false).background, ERROR_BACKGROUND);
    assert.equal(WARNING_BACKGROUND, 'statusBarItem.warningBackground');
    assert.equal(ERROR_BACKGROUND, 'statusBarItem.errorBackground');
  });

  it('under do not disturb: a slashed bell, and only critical alerts colour it', () => {
    const quiet = pagerStatusView(entries([plain({ priority: 'warning' })]), T0, true);
    assert.equal(quiet.text, '$(bell-slash) 1');
    assert.equal(quiet.background, null);
    assert.match(quiet.tooltipLines[0]!, /Do not disturb/);
    assert.equal(pagerStatusView(entries([plain({ priority: 'critical' })]), T0, true).background, ERROR_BACKGROUND);
    assert.equal(pagerStatusView([], T0, true).visible, true, 'DND stays visible so it is not forgotten');
  });

  it('counts a code down, soonest first, without showing its digits or peer text', () => {
    const v = pagerStatusView(entries([code({ expiresAt: T0 + 125_000, service: '$(zap) Evil' }), code({ expiresAt: T0 + 65_000 }), plain()]), T0 + 500, false);
    assert.equal(v.text, '$(key) 1:05 $(bell-dot) 1');
    assert.ok(!v.text.includes('482913') && !v.tooltipLines.join('\n').includes('482913'));
    assert.ok(!v.text.includes('Evil'));
    assert.match(v.tooltipLines.join('\n'), /Code for \$\(zap\) Evil: sign in, from Conti bot, expires in 2:05/);
    assert.equal(v.refreshInMs, 500);
    assert.equal(v.background, WARNING_BACKGROUND);
  });

  it('lists the latest five alerts in the tooltip, with age', () => {
    const list = entries(Array.from({ length: 7 }, (_, i) => plain({ title: `alert ${i}`, expiresAt: T0 + 3_600_000 })));
    const v = pagerStatusView(list, T0 + 90_000, false);
    assert.equal(v.tooltipLines.filter((l) => l.startsWith('[info]')).length, 5);
    assert.match(v.tooltipLines[0]!, /^\[info\] alert 6, from Conti bot, 1 min ago$/);
    assert.match(v.tooltipLines.join('\n'), /…and 2 more/);
  });

  it('ignores expired entries even before the store removes them', () => {
    assert.equal(pagerStatusView(entries([plain({ expiresAt: T0 })]), T0, false).visible, false);
  });

  it('quick pick rows: title, source and age; icon syntax in peer text defused', () => {
    const list = entries([plain({ title: '$(check) all good', priority: 'critical', expiresAt: T0 + 3_600_000 }), code()]);
    assert.equal(alertPickItems(list, T0 + 200_000).length, 1, 'the code expired');
    const rows2 = alertPickItems(list, T0 + 30_000);
    assert.equal(rows2[0]!.label, '$(key) Code for Conti: sign in');
    assert.equal(rows2[0]!.detail, 'expires in 1:35');
    assert.equal(rows2[1]!.label, '$(error) $ (check) all good');
    assert.equal(rows2[1]!.description, 'Conti bot · just now');
    assert.equal(labelText('$(a)$(b)'), '$ (a)$ (b)');
  });

  it('offers Open only for links the policy would open or ask about', () => {
    const policy = { contiBaseUrl: 'https://conti.example.org/', trustedHosts: [] };
    const e = (a: Alert) => ({ key: CONTI, source: 's', alert: a, receivedAt: T0 });
    assert.deepEqual(alertActions(e(plain({ link: '/ci/1' })), policy), ['open', 'copy-text', 'dismiss']);
    assert.deepEqual(alertActions(e(plain({ link: 'https://example.com/' })), policy), ['open', 'copy-text', 'dismiss']);
    assert.deepEqual(alertActions(e(plain({ link: 'command:toxync.start' })), policy), ['copy-text', 'dismiss']);
    assert.deepEqual(alertActions(e(plain({ link: null })), policy), ['copy-text', 'dismiss']);
    assert.deepEqual(alertActions(e(code()), policy), ['copy-code', 'dismiss']);
  });

  it('formats countdowns and ages', () => {
    assert.equal(countdown(0), '0:00');
    assert.equal(countdown(1), '0:01');
    assert.equal(countdown(600_000), '10:00');
    assert.equal(age(59_000), 'just now');
    assert.equal(age(3 * 3_600_000), '3 h ago');
    assert.equal(age(2 * 86_400_000), '2 d ago');
  });
});

describe('pager: copying a code', () => {
  class FakeClipboard {
    text = '';
    readText = async () => this.text;
    writeText = async (t: string) => void (this.text = t);
  }
  const setupClip = () => {
    const clock = { t: T0 };
    const timers = new ManualTimers(clock);
    const clip = new FakeClipboard();
    return { clock, timers, clip, guard: new CodeClipboard(clip, () => clock.t, timers) };
  };

  it('clears the clipboard after 30 s if it still holds the code', async () => {
    const { timers, clip, guard } = setupClip();
    await guard.copy('482913', T0 + 300_000);
    assert.equal(clip.text, '482913');
    timers.advance(29_999);
    await tick();
    assert.equal(clip.text, '482913');
    timers.advance(1);
    await tick();
    assert.equal(clip.text, '');
  });

  it('clears at expiry when that is sooner, and leaves what the user copied since alone', async () => {
    const { timers, clip, guard } = setupClip();
    await guard.copy('111111', T0 + 5_000);
    timers.advance(5_000);
    await tick();
    assert.equal(clip.text, '');
    await guard.copy('222222', T0 + 300_000);
    clip.text = 'my own text';
    timers.advance(30_000);
    await tick();
    assert.equal(clip.text, 'my own text');
  });

  it('a second copy replaces the first timer; dispose wipes a code still there', async () => {
    const { timers, clip, guard } = setupClip();
    await guard.copy('111111', T0 + 300_000);
    await guard.copy('222222', T0 + 300_000);
    assert.equal(timers.live.size, 1);
    await guard.dispose();
    assert.equal(clip.text, '');
    assert.equal(timers.live.size, 0);
  });
});

describe('pager: sources toggle', () => {
  it('is off by default, kept per public key in the state document, and re-checked on read', () => {
    const doc = {
      state: emptyState(),
      updateState(change: (s: StateDoc) => void) {
        change(this.state);
      },
    };
    const s = new PagerSources(doc);
    assert.equal(s.isSource(CONTI), false);
    s.set(CONTI.toLowerCase(), true);
    assert.equal(s.isSource(CONTI), true);
    assert.deepEqual([...doc.state.friends], [{ key: CONTI, settings: { pager_source: true } }]);
    doc.state.friends.push({ key: STRANGER.toLowerCase(), settings: { pager_source: true } });
    doc.state.friends.push({ key: 'E'.repeat(64), settings: {} });
    assert.deepEqual(s.list(), [CONTI, STRANGER]);
    s.set(CONTI, false);
    assert.deepEqual(s.list(), [STRANGER]);
    // Off leaves no entry behind that names the friend for nothing.
    assert.equal(
      doc.state.friends.some((f) => f.key === CONTI),
      false,
    );
    assert.throws(() => s.set('nope', true), RangeError);
  });
});
