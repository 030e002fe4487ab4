// The terminal side of a toxic peer: toxic (the Debian curses Tox client) in a detached tmux
// session on a tmux server of its own (`tmux -L toxync-test-<random>`, socket under the
// peer's temp dir) with a temp HOME; first-run and password prompts answered; the screen read
// with `capture-pane -p`, keys sent with `send-keys` (`-l` for text). What toxic shows and how
// it is driven as a Tox client: toxic.ts.
//
// Safety: launch() refuses to run outside a loopback-only network namespace, and checks that
// the tmux server and toxic it started are in this process's namespace (/proc/PID/ns/net).
// No import side effects (every .ts under test/ is bundled as an entry).

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertInOwnNetNamespace, assertLoopbackOnly } from './netns';
import { tempDir } from './peer';
import { assertToxicInstalled, type SeedNode, shellQuote, type ToxicOptions, tmuxLiteral, toxicConfig, toxicNodesJson } from './toxicSetup';
import { sleep } from './wait';

export class ToxicTerminal {
  readonly name: string;
  readonly dir: string;
  /** Where toxic saves accepted files (its config's download_path). */
  readonly downloadDir: string;
  readonly socket = `toxync-test-${randomBytes(6).toString('hex')}`;
  private readonly env: NodeJS.ProcessEnv;
  private readonly cols: number;
  private readonly rows: number;
  private readonly connectTimeoutMs: number;
  protected pid: number | null = null;
  protected started = false;

  protected constructor(
    readonly seed: SeedNode,
    protected readonly opts: ToxicOptions,
  ) {
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

  protected path(name: string): string {
    return join(this.dir, name);
  }

  /** toxic's data file (after stop(), what toxic saved). */
  get profilePath(): string {
    return this.path('profile.tox');
  }

  protected async launch(): Promise<void> {
    assertLoopbackOnly(); // toxic inherits this process's (loopback-only) network namespace via tmux
    if (this.opts.profileFile) copyFileSync(this.opts.profileFile, this.path('profile.tox'));
    writeFileSync(this.path('nodes.json'), toxicNodesJson(this.seed));
    writeFileSync(this.path('toxic.conf'), toxicConfig(this.dir));
    const binary = this.opts.binary ?? 'toxic';
    assertToxicInstalled(binary);
    const sock = join(this.dir, `tmux-${process.getuid?.() ?? 0}`, this.socket);
    if (Buffer.byteLength(sock) > 100) throw new Error(`tmux socket path too long for a unix socket (${sock}): use a shorter TMPDIR`);
    writeFileSync(
      this.path('tmux.conf'),
      ['set -g default-shell /bin/sh', 'set -g remain-on-exit on', 'set -g status off', 'set -g history-limit 2000', ''].join('\n'),
    );
    const cmd = [
      `exec ${shellQuote(binary)}`,
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
    // 0.11.1 shows [Online]/[Offline] on the Home window's top line; 0.16.2 [UDP]/[TCP]/[Offline]
    await this.waitForText(/^ ?\[(Online|Offline|Away|Busy|UDP|TCP)\]/, 20_000, 'the Home window');
    if (!this.opts.offline) await this.waitForText(/^ ?\[(Online|UDP|TCP)\]/, this.connectTimeoutMs, 'toxic to connect to the DHT ([Online])', 200);
  }

  // ---- tmux plumbing ---------------------------------------------------------------

  protected tmux(args: string[]): Promise<string> {
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

  protected async paneDead(): Promise<boolean> {
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
      if (!this.isRunning() && (await this.paneDead()))
        throw new Error(`${this.name}: toxic exited while waiting for ${what}; screen:\n${s}\nstderr: ${this.stderrTail()}`);
      if (Date.now() >= deadline) break;
      await sleep(intervalMs);
    }
    throw new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${s}`);
  }

  /** Kills the tmux server (and toxic by its pid if it is still there). */
  protected async kill(): Promise<void> {
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
