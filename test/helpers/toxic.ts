// toxic (the Debian curses Tox client, 0.11.1) as a reference peer, driven through tmux.
//
// The process, tmux and screen plumbing: toxicTerminal.ts; its config and nodes file:
// toxicSetup.ts. toxic runs with -L (no LAN discovery) and -4.
//
// The screen is read with `capture-pane -p`; keys go in with `send-keys` (`-l` for text).
// What toxic 0.11.1 shows, as found by driving it:
//  - a new profile asks "Would you like to encrypt it? Y/n (q to quit)": answered "n", Enter;
//  - windows are tabs cycled with Ctrl+P: [Home] [Contacts] [one per open chat]. The Home
//    window's top line is " [Online] <nick> | <note>" ([Offline] until DHT-connected); the
//    Contacts window starts with "Press the h key for help", then "Online: N/M", one row per
//    friend (the selected one prefixed " > "; offline friends show "Last seen: ..."), and
//    "Public key: <64 hex>" of the selected friend at the bottom; Up/Down select, Enter opens
//    (or focuses) that friend's chat window. A chat window's top line ends with "{<first 6
//    hex of the friend's key>}". Typing in Contacts navigates instead of typing text;
//    commands typed in a chat window fall back to global commands.
//  - /myid prints the 76-hex Tox ID on a line of its own;
//  - a friend request prints "Friend request with the message '<msg>'" and
//    `Type "/accept N" or "/decline N"`; "/accept N" answers "Friend request accepted.";
//  - toxic 0.11.1 splits command arguments at spaces (quotes do not group words) and /add
//    strips the first and last character of its message argument: `/add ID "hi there"` sends "h".
//    So a friend request message from toxic must be one word (no spaces); add() refuses others.
//  - an incoming message opens (but does not focus) that friend's chat window; messages show
//    as " - <name>: <text>"; one's own as " - <nick>: <text>".
//  - files: "/sendfile PATH" in a chat window offers a file; the receiver's chat window shows
//    "Type '/savefile N' to accept the file transfer."; "/savefile N" answers "Saving file [N]
//    as: '<download_path><name>'"; at the end the sides show "File '<name>' successfully
//    sent." / "... received."; failures read "File transfer ... failed..." or "... was aborted.".
//    "/clear" empties the focused window.
//  - tmux treats an argument ending in ";" as a command separator, so a trailing ";" of typed
//    text is sent escaped ("\;").
//
// Safety: start() refuses to run outside a loopback-only network namespace, and checks that
// the tmux server and toxic it started are in this process's namespace (/proc/PID/ns/net).

import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { escapeRegExp, type SeedNode, type ToxicOptions } from './toxicSetup';
import { ToxicTerminal } from './toxicTerminal';
import { sleep } from './wait';

export { assertToxicInstalled } from './toxicSetup';

export class ToxicPeer extends ToxicTerminal {
  private id: string | null = null;

  protected constructor(seed: SeedNode, opts: ToxicOptions) {
    super(seed, opts);
  }

  /** Starts toxic and waits until it is DHT-connected ("[Online]" on the Home window). */
  static start(seed: SeedNode, opts: ToxicOptions = {}): Promise<ToxicPeer> {
    return ToxicPeer.launched(new ToxicPeer(seed, opts));
  }

  /** Launches a constructed peer; on failure stops it and removes its files. */
  protected static async launched<T extends ToxicPeer>(peer: T): Promise<T> {
    try {
      await peer.launch();
    } catch (e) {
      await peer.stop().catch(() => undefined);
      peer.cleanup();
      throw e;
    }
    return peer;
  }

  // ---- windows -----------------------------------------------------------------------

  private static topLine(screen: string): string {
    return screen.split('\n')[0] ?? '';
  }

  static isHome(screen: string): boolean {
    const top = ToxicPeer.topLine(screen);
    return /^ ?\[(Online|Offline|Away|Busy|UDP|TCP)\] /.test(top) && !/\{[0-9A-F]{6}\}$/.test(top);
  }

  static isContacts(screen: string): boolean {
    return /Press the h key for help/.test(ToxicPeer.topLine(screen));
  }

  static isChatWith(screen: string, publicKey: string): boolean {
    return ToxicPeer.topLine(screen).endsWith(`{${publicKey.slice(0, 6).toUpperCase()}}`);
  }

  /** Cycles the tabs with Ctrl+P until `pred` holds for the screen; false if no tab does. */
  async focus(pred: (screen: string) => boolean, what: string, mustFind = true): Promise<boolean> {
    let s = await this.screen();
    const first = ToxicPeer.topLine(s);
    for (let i = 0; i < 32; i++) {
      if (pred(s)) return true;
      const before = ToxicPeer.topLine(s);
      await this.keys('C-p');
      // wait for the redraw (every tab's top line differs from its neighbours')
      const deadline = Date.now() + 2000;
      do {
        await sleep(50);
        s = await this.screen();
      } while (ToxicPeer.topLine(s) === before && Date.now() < deadline);
      if (ToxicPeer.topLine(s) === first) break; // back where we started: every tab seen
    }
    if (mustFind) throw new Error(`${this.name}: no toxic window is ${what}; screen:\n${s}`);
    return false;
  }

  focusHome(): Promise<boolean> {
    return this.focus(ToxicPeer.isHome, 'the Home window');
  }

  focusContacts(): Promise<boolean> {
    return this.focus(ToxicPeer.isContacts, 'the Contacts window');
  }

  /** In Contacts, moves the selection to the friend with this key; returns the screen. */
  private async selectContact(publicKey: string): Promise<string> {
    await this.focusContacts();
    const want = new RegExp(`^ ?Public key: ${publicKey.toUpperCase()}$`, 'm');
    let s = await this.screen();
    const total = Number(/Online: \d+\/(\d+)/.exec(s)?.[1] ?? '0');
    for (let i = 0; i <= total; i++) {
      if (want.test(s)) return s;
      const before = s;
      await this.keys('Down');
      const deadline = Date.now() + 2000;
      do {
        await sleep(50);
        s = await this.screen();
      } while (s === before && Date.now() < deadline);
    }
    throw new Error(`${this.name}: ${publicKey} is not in toxic's contacts; screen:\n${s}`);
  }

  /** Opens (or focuses) the chat window with this friend. */
  async openChat(publicKey: string): Promise<void> {
    if (await this.focus((s) => ToxicPeer.isChatWith(s, publicKey), 'a chat window', false)) return;
    await this.selectContact(publicKey);
    await this.keys('Enter');
    await this.waitForScreen((s) => ToxicPeer.isChatWith(s, publicKey), 5000, `the chat window with ${publicKey.slice(0, 6)}`);
  }

  // ---- Tox actions ---------------------------------------------------------------

  /** toxic's Tox ID (76 hex), read from /myid on the Home window. */
  async toxId(): Promise<string> {
    if (this.id) return this.id;
    await this.focusHome();
    await this.line('/myid');
    const m = await this.waitForText(/^([0-9A-F]{76})$/, 5000, 'the /myid output');
    this.id = m[1]!;
    return this.id;
  }

  /** The public key part (64 hex) of toxic's Tox ID. */
  async publicKey(): Promise<string> {
    return (await this.toxId()).slice(0, 64);
  }

  private count(screen: string, re: RegExp): number {
    return screen.match(new RegExp(re.source, 'gm'))?.length ?? 0;
  }

  /** Sends a friend request (`/add ID "message"`). toxic 0.11.1 only sends one-word messages intact. */
  async add(toxId: string, message: string): Promise<void> {
    if (/\s|"/.test(message) || message.length === 0) throw new Error('toxic 0.11.1 can only send a one-word friend request message (no spaces or quotes)');
    await this.focusHome();
    const ok = /^Friend request sent\.$/;
    const before = this.count(await this.screen(), ok);
    await this.line(`/add ${toxId} "${message}"`);
    await this.waitForScreen((s) => this.count(s, ok) > before, 5000, '"Friend request sent."');
  }

  /** Waits for a friend request with this message on the Home window; returns its request number. */
  async waitForRequest(message: string, timeoutMs = 30_000): Promise<number> {
    await this.focusHome();
    const m = await this.waitForText(
      new RegExp(`^Friend request with the message '${escapeRegExp(message)}'\\n^Type "/accept (\\d+)"`),
      timeoutMs,
      `a friend request saying '${message}'`,
    );
    return Number(m[1]);
  }

  /** `/accept N` on the Home window. */
  async accept(requestNumber: number): Promise<void> {
    await this.focusHome();
    const ok = /^Friend request accepted\.$/;
    const before = this.count(await this.screen(), ok);
    await this.line(`/accept ${requestNumber}`);
    await this.waitForScreen((s) => this.count(s, ok) > before, 5000, '"Friend request accepted."');
  }

  /** Whether the Contacts window shows this friend online (the selected row has no "Last seen"). */
  async isOnline(publicKey: string): Promise<boolean> {
    const s = await this.selectContact(publicKey);
    const row = s.split('\n').find((l) => l.startsWith(' > '));
    return row !== undefined && !/Last seen/.test(row);
  }

  /** Waits until toxic's Contacts window shows this friend online. */
  async waitForOnline(publicKey: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.isOnline(publicKey)) return;
      if (Date.now() >= deadline)
        throw new Error(`${this.name}: friend ${publicKey.slice(0, 8)} not online in toxic after ${timeoutMs} ms; screen:\n${await this.screen()}`);
      await sleep(250);
    }
  }

  /** Types a message in the chat window with this friend and waits until toxic shows it. */
  async send(publicKey: string, text: string): Promise<void> {
    await this.openChat(publicKey);
    const mine = new RegExp(`^ ?- [^\\n]*?: ${escapeRegExp(text)}$`);
    const before = this.count(await this.screen(), mine);
    await this.line(text);
    await this.waitForScreen((s) => this.count(s, mine) > before, 5000, `toxic to show the sent message '${text}'`);
  }

  /** Waits until the chat window with this friend shows a message line ending in `text`. */
  async waitForMessage(publicKey: string, text: string, timeoutMs = 30_000): Promise<string> {
    const re = new RegExp(`^ ?- ([^\\n]*?): ${escapeRegExp(text)}$`, 'm');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // toxic opens the chat window when the first message arrives; until then there is none
      if (await this.focus((s) => ToxicPeer.isChatWith(s, publicKey), 'a chat window', false)) {
        const m = (await this.screen()).match(re);
        if (m) return m[0];
      }
      if (Date.now() >= deadline) throw new Error(`${this.name}: message '${text}' not shown after ${timeoutMs} ms; screen:\n${await this.screen()}`);
      await sleep(200);
    }
  }

  // ---- files -------------------------------------------------------------------

  /** `/clear` in the chat window with this friend, so that earlier file lines are not taken for new ones. */
  async clearChat(publicKey: string): Promise<void> {
    await this.openChat(publicKey);
    await this.line('/clear');
    await this.waitForScreen((s) => !/^ ?(- |Type '\/savefile |File )/m.test(s), 5000, 'the chat window to clear');
  }

  /**
   * Offers a file to this friend (`/sendfile PATH` in their chat window). Resolves to the
   * moment (performance.now()) just before the command's keys went to tmux.
   */
  async sendFile(publicKey: string, path: string): Promise<number> {
    await this.openChat(publicKey);
    const issuedAt = performance.now();
    await this.line(`/sendfile ${path}`);
    return issuedAt;
  }

  /**
   * Waits (polling every 20 ms) for a file offer in this friend's chat window, accepts it at once
   * with `/savefile N` and waits for "Saving file [N] as: '<path>'". Call clearChat() before the
   * offer can arrive, or an older offer on the screen is taken. Returns the file number, the
   * moment (performance.now()) the offer was seen and where toxic writes the file.
   */
  async acceptFileOffer(publicKey: string, timeoutMs = 30_000): Promise<{ file: number; seenAt: number; path: string }> {
    await this.openChat(publicKey);
    const offer = await this.waitForText(/Type '\/savefile (\d+)'/, timeoutMs, 'a file offer', 20);
    const seenAt = performance.now();
    const file = Number(offer[1]);
    await this.line(`/savefile ${file}`);
    const saving = await this.waitForText(new RegExp(`Saving file \\[${file}\\] as: '([^']+)'`), 10_000, 'the save confirmation', 20);
    return { file, seenAt, path: saving[1]! };
  }

  /** Waits until this friend's chat window says the file was sent or received; `file` is the offered name or the sender's path to it. */
  async waitForFileDone(publicKey: string, file: string, direction: 'sent' | 'received', timeoutMs = 10_000): Promise<void> {
    await this.openChat(publicKey);
    await this.waitForText(new RegExp(`File '${escapeRegExp(basename(file))}' successfully ${direction}\\.`), timeoutMs, `"successfully ${direction}"`);
  }

  /** The lines of the focused window reporting a failed or aborted file transfer. */
  async fileTransferFailures(): Promise<string[]> {
    return (await this.screen()).split('\n').filter((l) => /File transfer.*(failed|was aborted)/.test(l));
  }

  // ---- teardown ------------------------------------------------------------------

  /** /exit, then kills the tmux server (and toxic by its pid if it is still there). */
  async stop(): Promise<void> {
    if (this.started && !(await this.paneDead())) {
      try {
        // /exit is a global command: it works from Home and chat windows, not from Contacts
        await this.focus((s) => !ToxicPeer.isContacts(s), 'not the Contacts window');
        await this.line('/exit');
        // the pane dies when toxic closes its terminal, which can be before toxic has exited
        const deadline = Date.now() + 5000;
        while ((!(await this.paneDead()) || this.isRunning()) && Date.now() < deadline) await sleep(50);
      } catch {
        // fall through to kill-server
      }
    }
    await this.kill();
  }
}
