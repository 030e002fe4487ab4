// toxic 0.16.2 with NGC group chats (built against our libtoxcore by scripts/build-toxic.sh) as a
// third-party group peer, driven through tmux like ToxicPeer (toxic.ts), whose friend and chat
// driving it inherits. What toxic 0.16.2 shows, as found by driving it:
//  - the Home window's top line reads " [UDP] <nick> ..." / " [TCP] ..." once DHT-connected
//    (" [Offline] ..." before): no "[Online]" any more;
//  - "/group NAME" (Home) creates a public group and opens its window; toxic splits command
//    arguments at spaces, so NAME is one word here. "/join CHATID [PASSWORD]" (Home) joins one;
//  - a group window has a peer list on the right, separated by "│": its first row reads
//    "Connecting..." while alone, "Peers: N" with others; the window's top line shows the topic;
//  - windows are tabs on the bottom line: "[Home] [Contacts] [<n> <group name>] ...", the focused
//    one drawn bold (so it is found in `capture-pane -e` output, which carries the attributes);
//  - "/chatid" in a group window prints the 64-hex chat ID (upper case) on a line of its own;
//  - messages show as " - <nick>: <text>" (timestamps off), one's own too; "/nick NAME" on Home
//    sets the name a new group sees, in a group window the group nick;
//  - a group invite from a friend shows in that friend's chat window (only if it is open) as
//    '<name> has invited you to join group chat "<group name>"'; "/gaccept [PASSWORD]" there joins.
//    "/invite N" in a friend's chat window invites them to group number N (the tab's number);
//    "/privacy private" in a group window (founder) makes the group private.
// No import side effects (every .ts under test/ is bundled as an entry).

import { ToxicPeer } from './toxic';
import { escapeRegExp, ngcToxicBinary, type SeedNode, type ToxicOptions } from './toxicSetup';
import { sleep } from './wait';

/** A group window's text without the peer list on its right (cut at the last " │"/" ├"/" ┴"). */
export function groupChatText(screen: string): string {
  return screen
    .split('\n')
    .map((l) => l.replace(/ *[│├┴][^│├┴]*$/, '').trimEnd())
    .join('\n');
}

/**
 * The focused tab's label ("Home", "Contacts", "0 mygroup", ...) from a `capture-pane -e` line: the
 * tab whose "[" is drawn bold. SGR 1 turns bold on; 0, 22 or an empty SGR turn it off.
 */
export function activeTabLabel(escapedLine: string): string | null {
  let bold = false;
  let label: string | null = null;
  let inTab = false;
  const parts = escapedLine.split(/(\x1b\[[0-9;]*m)/);
  for (const part of parts) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (sgr) {
      const codes = sgr[1] === '' ? ['0'] : sgr[1]!.split(';');
      for (const c of codes) {
        if (c === '1') bold = true;
        else if (c === '0' || c === '22') bold = false;
      }
      continue;
    }
    for (const ch of part) {
      if (ch === '[' && !inTab) {
        inTab = bold;
        if (inTab) label = '';
      } else if (ch === ']' && inTab) {
        return label;
      } else if (inTab) label += ch;
    }
  }
  return null;
}

export class ToxicGroupPeer extends ToxicPeer {
  /** Starts toxic 0.16.2 (built on first use) and waits until it is DHT-connected. */
  static override start(seed: SeedNode, opts: ToxicOptions = {}): Promise<ToxicGroupPeer> {
    return ToxicPeer.launched(new ToxicGroupPeer(seed, { ...opts, binary: ngcToxicBinary() }));
  }

  /** The focused window's tab label. */
  async activeTab(): Promise<string | null> {
    const out = await this.tmux(['capture-pane', '-p', '-e', '-t', 'main']);
    const lines = out.replace(/\n+$/, '').split('\n');
    return activeTabLabel(lines[lines.length - 1] ?? '');
  }

  private static isGroupTab(label: string | null, name: string): boolean {
    return label !== null && new RegExp(`^\\d+ ${escapeRegExp(name)}$`).test(label);
  }

  /** Cycles the tabs with Ctrl+P until the group window named `name` is focused. */
  async focusGroup(name: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = new Set<string>();
      for (let i = 0; i < 32; i++) {
        const tab = await this.activeTab();
        if (ToxicGroupPeer.isGroupTab(tab, name)) return;
        if (tab !== null && seen.has(tab)) break; // every tab seen
        if (tab !== null) seen.add(tab);
        await this.keys('C-p');
        const t = Date.now() + 2000;
        while ((await this.activeTab()) === tab && Date.now() < t) await sleep(50);
      }
      // a joined group's window is named once toxic has the group's state
      if (Date.now() >= deadline) throw new Error(`${this.name}: no group window named '${name}'; screen:\n${await this.screen()}`);
      await sleep(250);
    }
  }

  /** `/nick NAME` on the Home window: the name groups created or joined afterwards see. */
  async setNick(nick: string): Promise<void> {
    if (/\s/.test(nick)) throw new Error('toxic splits command arguments at spaces: use a one-word nick');
    await this.focusHome();
    await this.line(`/nick ${nick}`);
    await this.waitForScreen((s) => s.split('\n')[0]!.includes(` ${nick}`), 5000, `the nick ${nick} on the Home window`);
  }

  /** `/group NAME` (a public group); returns its chat ID, read with `/chatid` in its window. */
  async createGroup(name: string): Promise<string> {
    if (/\s/.test(name)) throw new Error('toxic splits command arguments at spaces: use a one-word group name');
    await this.focusHome();
    await this.line(`/group ${name}`);
    await this.focusGroup(name);
    return this.chatId();
  }

  /** The focused group window's chat ID (`/chatid`). */
  async chatId(): Promise<string> {
    await this.line('/chatid');
    let id = '';
    await this.waitForScreen(
      (s) => {
        id = /^([0-9A-F]{64})$/m.exec(groupChatText(s))?.[1] ?? '';
        return id !== '';
      },
      5000,
      'the /chatid output',
    );
    return id;
  }

  /** `/join CHATID [PASSWORD]` on Home; waits for the group window named `name` (the founder's name for it). */
  async joinGroup(chatId: string, name: string, password?: string): Promise<void> {
    await this.focusHome();
    await this.line(`/join ${chatId}${password === undefined ? '' : ` ${password}`}`);
    await this.focusGroup(name, 30_000);
  }

  /** Like waitForText, on the window's text without the peer list (groupChatText). */
  private async waitForChatText(re: RegExp, timeoutMs: number, what: string): Promise<void> {
    await this.waitForScreen((s) => re.test(groupChatText(s)), timeoutMs, what);
  }

  /** The group number toxic shows in the focused group's tab label ("[<n> <name>]"). */
  async groupNumber(name: string): Promise<number> {
    const bar = (await this.screen()).split('\n').pop() ?? '';
    const m = new RegExp(`\\[(\\d+) ${escapeRegExp(name)}\\]`).exec(bar);
    if (!m) throw new Error(`${this.name}: no tab for group '${name}' in: ${bar}`);
    return Number(m[1]);
  }

  /** `/privacy private` in the group window (founder only). */
  async makePrivate(name: string): Promise<void> {
    await this.focusGroup(name);
    await this.line('/privacy private');
    await this.waitForChatText(/^Privacy state has been set to private\.$/m, 5000, 'the privacy change');
  }

  /** `/invite N` in the chat window with this friend (their window must be open, e.g. after a message from them). */
  async inviteToGroup(friendPublicKey: string, name: string): Promise<void> {
    const n = await this.groupNumber(name);
    await this.focus((s) => ToxicPeer.isChatWith(s, friendPublicKey), 'the chat window with the friend');
    await this.line(`/invite ${n}`);
    await this.waitForChatText(new RegExp(`^Invited contact to Group ${n}\\.$`, 'm'), 5000, 'the invite confirmation');
  }

  /** Waits for a group invite in the chat window with this friend, accepts it (`/gaccept`) and waits for the group window. */
  async acceptGroupInvite(friendPublicKey: string, name: string, timeoutMs = 30_000): Promise<void> {
    await this.focus((s) => ToxicPeer.isChatWith(s, friendPublicKey), 'the chat window with the friend');
    await this.waitForText(new RegExp(`has invited you to join group chat "${escapeRegExp(name)}"`), timeoutMs, `the invite to ${name}`);
    await this.line('/gaccept');
    await this.focusGroup(name, 30_000);
  }

  /** Waits until the group window shows at least `n` peers (itself included) in its peer list. */
  async waitForPeers(name: string, n: number, timeoutMs = 30_000): Promise<void> {
    await this.focusGroup(name);
    await this.waitForScreen((s) => Number(/│Peers: (\d+)/.exec(s)?.[1] ?? '1') >= n, timeoutMs, `${n} peers in ${name}`, 200);
  }

  /** Types a message in the group window and waits until toxic shows it as its own line. */
  async sendGroup(name: string, text: string): Promise<void> {
    await this.focusGroup(name);
    const mine = new RegExp(`^ ?- [^\\n]*?: ${escapeRegExp(text)}$`, 'gm');
    const count = (s: string) => groupChatText(s).match(mine)?.length ?? 0;
    const before = count(await this.screen());
    await this.line(text);
    await this.waitForScreen((s) => count(s) > before, 5000, `toxic to show the sent group message '${text}'`);
  }

  /** Waits until the group window shows a message line ending in `text`; returns the sender's name as shown. */
  async waitForGroupMessage(name: string, text: string, timeoutMs = 30_000): Promise<string> {
    await this.focusGroup(name);
    const re = new RegExp(`^ ?- ([^\\n]*?): ${escapeRegExp(text)}$`, 'm');
    let sender = '';
    await this.waitForScreen(
      (s) => {
        const m = re.exec(groupChatText(s));
        sender = m?.[1] ?? '';
        return m !== null;
      },
      timeoutMs,
      `the group message '${text}'`,
      200,
    );
    return sender;
  }
}
