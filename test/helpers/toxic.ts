// toxic (the Debian curses Tox client, 0.11.1) as a reference peer, driven through tmux.
//
// Each ToxicPeer runs toxic inside a detached tmux session on its own tmux server
// (`tmux -L toxync-test-<random>`, socket under the peer's temp dir), with a temp HOME, a
// generated config (no sounds, bells, logging, autosave or nodes-list downloads; downloads
// and chat logs go to the temp dir) and a one-line nodes file naming only the given
// loopback seed node. toxic runs with -L (no LAN discovery) and -4.
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

import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assertInOwnNetNamespace, assertLoopbackOnly } from './netns';
import { tempDir } from './peer';
import { sleep } from './wait';

export interface SeedNode {
  udpPort: number;
  dhtKey: string;
}

export interface ToxicOptions {
  /** Shown in error messages. */
  name?: string;
  cols?: number;
  rows?: number;
  /** How long start() waits for toxic to connect to the DHT; 45 s unless told. */
  connectTimeoutMs?: number;
  /** Start from this Tox data file (copied in) instead of creating a new one. */
  profileFile?: string;
  /** The data file's password (toxencryptsave): typed at toxic's prompt; for a new file,
   *  toxic is told to encrypt it with this password. */
  password?: string;
  /** `-o`: do not connect to the DHT (enough to read or write a profile). */
  offline?: boolean;
}

/** Throws unless tmux and toxic are installed. */
export function assertToxicInstalled(): void {
  for (const [tool, flag] of [['tmux', '-V'], ['toxic', '-v']] as const) {
    if (spawnSync(tool, [flag], { stdio: 'ignore' }).error) throw new Error(`${tool} is not installed (scripts/setup.sh installs tmux and toxic)`);
  }
}


function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text as one literal argument of `tmux send-keys`: a trailing ";" would end the tmux command. */
function tmuxLiteral(text: string): string {
  return text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text;
}

/** A one-line nodes.tox.chat-style JSON naming only the seed node (toxic reads only line 1). */
export function toxicNodesJson(seed: SeedNode): string {
  const now = Math.floor(Date.now() / 1000);
  const node = {
    ipv4: '127.0.0.1',
    ipv6: '-',
    port: seed.udpPort,
    tcp_ports: [],
    public_key: seed.dhtKey,
    maintainer: 'toxync tests',
    location: 'LO',
    status_udp: true,
    status_tcp: false,
    version: '',
    motd: '',
    last_ping: now,
  };
  return JSON.stringify({ last_scan: now, last_refresh: now, nodes: [node] }) + '\n';
}

export function toxicConfig(dir: string): string {
  const q = (s: string) => JSON.stringify(s);
  const silent = ['error', 'self_log_in', 'self_log_out', 'user_log_in', 'user_log_out', 'call_incoming', 'call_outgoing', 'generic_message', 'transfer_pending', 'transfer_completed'];
  return [
    'ui = {',
    '  timestamps = false; alerts = false; native_colors = true;',
    '  bell_on_message = false; bell_on_filetrans = false; bell_on_filetrans_accept = false; bell_on_invite = false;',
    '  autolog = false; show_welcome_msg = false; show_connection_msg = true;',
    '  nodeslist_update_freq = 0;', // never download the public nodes list
    '  autosave_freq = 0; mplex_away = false; history_size = 700;',
    '};',
    'tox = {',
    `  download_path = ${q(join(dir, 'downloads') + '/')};`,
    `  chatlogs_path = ${q(join(dir, 'logs') + '/')};`,
    '};',
    'sounds = {',
    ...silent.map((k) => `  ${k} = "silent";`),
    '};',
    '',
  ].join('\n');
}

export class ToxicPeer {
  readonly name: string;
  readonly dir: string;
  /** Where toxic saves accepted files (its config's download_path). */
  readonly downloadDir: string;
  readonly socket = `toxync-test-${randomBytes(6).toString('hex')}`;
  private readonly env: NodeJS.ProcessEnv;
  private readonly cols: number;
  private readonly rows: number;
  private readonly connectTimeoutMs: number;
  private pid: number | null = null;
  private id: string | null = null;
  private started = false;

  private constructor(readonly seed: SeedNode, private readonly opts: ToxicOptions) {
    this.name = opts.name ?? 'toxic';
    this.cols = opts.cols ?? 220;
    this.rows = opts.rows ?? 60;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 45_000;
    this.dir = tempDir(`toxic-${this.name}`);
    this.downloadDir = join(this.dir, 'downloads');
    for (const d of ['home', 'config', 'data', 'cache', 'run', 'downloads', 'logs']) mkdirSync(join(this.dir, d));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    this.env = {
      ...env,
      HOME: join(this.dir, 'home'),
      XDG_CONFIG_HOME: join(this.dir, 'config'),
      XDG_DATA_HOME: join(this.dir, 'data'),
      XDG_CACHE_HOME: join(this.dir, 'cache'),
      XDG_RUNTIME_DIR: join(this.dir, 'run'),
      TMUX_TMPDIR: this.dir, // the tmux socket lives (and dies) with the temp dir
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      ALSOFT_DRIVERS: 'null', // OpenAL: no PulseAudio/ALSA device probing
      TERM: 'xterm-256color',
      SHELL: '/bin/sh',
    };
  }

  /** Starts toxic and waits until it is DHT-connected ("[Online]" on the Home window). */
  static async start(seed: SeedNode, opts: ToxicOptions = {}): Promise<ToxicPeer> {
    const peer = new ToxicPeer(seed, opts);
    try {
      await peer.launch();
    } catch (e) {
      await peer.stop().catch(() => undefined);
      peer.cleanup();
      throw e;
    }
    return peer;
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  /** toxic's data file (after stop(), what toxic saved). */
  get profilePath(): string {
    return this.path('profile.tox');
  }

  private async launch(): Promise<void> {
    assertLoopbackOnly(); // toxic inherits this process's (loopback-only) network namespace via tmux
    if (this.opts.profileFile) copyFileSync(this.opts.profileFile, this.path('profile.tox'));
    writeFileSync(this.path('nodes.json'), toxicNodesJson(this.seed));
    writeFileSync(this.path('toxic.conf'), toxicConfig(this.dir));
    assertToxicInstalled();
    const sock = join(this.dir, `tmux-${process.getuid?.() ?? 0}`, this.socket);
    if (Buffer.byteLength(sock) > 100) throw new Error(`tmux socket path too long for a unix socket (${sock}): use a shorter TMPDIR`);
    writeFileSync(this.path('tmux.conf'), ['set -g default-shell /bin/sh', 'set -g remain-on-exit on', 'set -g status off', 'set -g history-limit 2000', ''].join('\n'));
    const cmd = [
      'exec toxic',
      `-f ${shellQuote(this.path('profile.tox'))}`,
      `-c ${shellQuote(this.path('toxic.conf'))}`,
      `-n ${shellQuote(this.path('nodes.json'))}`,
      '-L -4',
      ...(this.opts.offline ? ['-o'] : []),
      `2>${shellQuote(this.path('toxic.stderr'))}`,
    ].join(' ');
    // A fresh server on a socket of our own (in our own TMUX_TMPDIR): it is started by this
    // process, so it and toxic run in this process's network namespace.
    await this.tmux(['-f', this.path('tmux.conf'), 'new-session', '-d', '-s', 'main', '-x', String(this.cols), '-y', String(this.rows), cmd]);
    this.started = true;
    const [panePid, serverPid] = (await this.tmux(['display-message', '-p', '-t', 'main', '#{pane_pid} #{pid}'])).trim().split(' ').map(Number);
    this.pid = panePid || null;
    // belt and braces: the tmux server and toxic must share this loopback-only namespace
    assertInOwnNetNamespace(serverPid ?? 0, `${this.name}'s tmux server`);
    assertInOwnNetNamespace(panePid ?? 0, `${this.name}'s toxic`);
    const pw = this.opts.password;
    if (this.opts.profileFile) {
      if (pw !== undefined) {
        await this.waitForText(/Enter password \(q to quit\)/, 10_000, 'the password prompt');
        await this.line(pw);
      }
    } else {
      await this.waitForText(/Would you like to encrypt it\?/, 10_000, 'the first-run encryption prompt');
      if (pw === undefined) await this.keys('n', 'Enter');
      else {
        await this.keys('y', 'Enter');
        await this.waitForText(/Enter a new password/, 10_000, 'the new-password prompt');
        await this.line(pw);
        await this.waitForText(/Enter password again/, 10_000, 'the password confirmation');
        await this.line(pw);
      }
    }
    await this.waitForText(/^ ?\[(Online|Offline|Away|Busy)\]/, 20_000, 'the Home window');
    if (!this.opts.offline) await this.waitForText(/^ ?\[Online\]/, this.connectTimeoutMs, 'toxic to connect to the DHT ([Online])', 200);
  }

  // ---- tmux plumbing ---------------------------------------------------------------

  private tmux(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-L', this.socket, ...args], { env: this.env, timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${this.name}: tmux ${args.join(' ')}: ${err.message} ${stderr}`));
        else resolve(stdout);
      });
    });
  }

  /** The visible screen, one string, trailing blanks trimmed. */
  async screen(): Promise<string> {
    const out = await this.tmux(['capture-pane', '-p', '-t', 'main']);
    return out
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  }

  private async paneDead(): Promise<boolean> {
    try {
      return (await this.tmux(['display-message', '-p', '-t', 'main', '#{pane_dead}'])).trim() === '1';
    } catch {
      return true;
    }
  }

  /** toxic's process id (for /proc figures such as CPU time); null before start or after stop. */
  get processId(): number | null {
    return this.pid;
  }

  /** Whether toxic's process (the pane's, by pid) is still running (not gone, not a zombie). */
  isRunning(): boolean {
    if (this.pid === null) return false;
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) (\S)/.exec(stat);
      return m !== null && m[1] === 'toxic' && m[2] !== 'Z';
    } catch {
      return false;
    }
  }

  private stderrTail(): string {
    try {
      return readFileSync(this.path('toxic.stderr'), 'utf8').slice(-2000);
    } catch {
      return '';
    }
  }

  /** Named keys (Enter, C-p, Down, ...), as tmux send-keys understands them. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', ...keys]);
  }

  /** Literal text (no Enter). */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', '--', tmuxLiteral(text)]);
  }

  /** Types a line and presses Enter, in one tmux call. */
  async line(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', '--', tmuxLiteral(text), ';', 'send-keys', '-t', 'main', 'Enter']);
  }

  /** Polls the screen every `intervalMs` until `re` matches; rejects with the screen after `timeoutMs`. */
  async waitForText(re: RegExp, timeoutMs = 30_000, what = String(re), intervalMs = 100): Promise<RegExpMatchArray> {
    const flags = re.flags.includes('m') ? re.flags : re.flags + 'm';
    const rx = new RegExp(re.source, flags.replace('g', ''));
    let m: RegExpMatchArray | null = null;
    await this.waitForScreen((s) => (m = s.match(rx)) !== null, timeoutMs, what, intervalMs);
    return m!;
  }

  /** Polls the screen every `intervalMs` until `pred` holds; rejects with the screen after `timeoutMs`. */
  async waitForScreen(pred: (screen: string) => boolean, timeoutMs = 30_000, what = 'screen condition', intervalMs = 100): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let s = '';
    for (;;) {
      s = await this.screen();
      if (pred(s)) return s;
      // a /proc read while toxic runs; tmux is asked only when it may have gone (or is not yet exec'd)
      if (!this.isRunning() && (await this.paneDead())) throw new Error(`${this.name}: toxic exited while waiting for ${what}; screen:\n${s}\nstderr: ${this.stderrTail()}`);
      if (Date.now() >= deadline) break;
      await sleep(intervalMs);
    }
    throw new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${s}`);
  }

  // ---- windows -----------------------------------------------------------------------

  private static topLine(screen: string): string {
    return screen.split('\n')[0] ?? '';
  }

  static isHome(screen: string): boolean {
    const top = ToxicPeer.topLine(screen);
    return /^ ?\[(Online|Offline|Away|Busy)\] /.test(top) && !/\{[0-9A-F]{6}\}$/.test(top);
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
    const m = await this.waitForText(new RegExp(`^Friend request with the message '${escapeRegExp(message)}'\\n^Type "/accept (\\d+)"`), timeoutMs, `a friend request saying '${message}'`);
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
      if (Date.now() >= deadline) throw new Error(`${this.name}: friend ${publicKey.slice(0, 8)} not online in toxic after ${timeoutMs} ms; screen:\n${await this.screen()}`);
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
    await this.tmux(['kill-server']).catch(() => undefined);
    if (this.pid !== null) {
      // kill-server hangs toxic up; if it lingers, end it by its pid
      if (this.isRunning()) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      this.pid = null;
    }
    this.started = false;
  }

  cleanup(): void {
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
