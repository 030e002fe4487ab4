// A toxic (the Debian curses Tox client) instance driven through tmux: keystrokes in,
// screen text out. Each instance has its own tmux server on a socket inside its private
// temp directory (never a shared/default socket, so it can never attach to a tmux server
// running outside the benchmark's network namespace), its own HOME, profile, config and
// nodes file. Local discovery off (-L), IPv4 only (-4), node list updates off.

import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, netNamespace } from './proc';

export interface BootstrapNode {
  port: number;
  dhtKey: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ToxicPeer {
  readonly home: string;
  readonly downloadDir: string;
  private readonly socket: string;
  private readonly env: NodeJS.ProcessEnv;
  pid = 0;
  serverPid = 0;
  private started = false;

  constructor(
    readonly name: string,
    readonly dir: string,
    node: BootstrapNode,
  ) {
    this.home = join(dir, 'home');
    this.downloadDir = join(dir, 'downloads');
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.downloadDir, { recursive: true });
    this.socket = join(dir, 'tmux.sock');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: this.home, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    delete env.TMUX;
    delete env.TMUX_PANE;
    this.env = env;
    // toxic reads only the first line of its nodes file: one line of JSON, last_ping > 0.
    const nodes = {
      last_scan: Math.floor(Date.now() / 1000),
      last_refresh: Math.floor(Date.now() / 1000),
      nodes: [
        {
          ipv4: '127.0.0.1',
          ipv6: '-',
          port: node.port,
          tcp_ports: [],
          public_key: node.dhtKey,
          maintainer: 'toxync bench',
          location: 'LO',
          status_udp: true,
          status_tcp: false,
          version: '0',
          motd: '',
          last_ping: Math.floor(Date.now() / 1000),
        },
      ],
    };
    writeFileSync(join(dir, 'nodes.json'), JSON.stringify(nodes) + '\n');
    const silent = ['error', 'user_log_in', 'user_log_out', 'call_incoming', 'call_outgoing', 'generic_message', 'transfer_pending', 'transfer_completed'];
    writeFileSync(
      join(dir, 'toxic.conf'),
      [
        'ui = {',
        '  nodeslist_update_freq=0;',
        '  autosave_freq=0;',
        '  alerts=false;',
        '  bell_on_message=false;',
        '  bell_on_filetrans=false;',
        '  bell_on_filetrans_accept=false;',
        '  bell_on_invite=false;',
        '  mplex_away=false;',
        '  show_welcome_msg=false;',
        '  autolog=false;',
        '  native_colors=true;',
        '};',
        'tox = {',
        `  download_path="${this.downloadDir}/";`,
        '};',
        'sounds = {',
        ...silent.map((s) => `  ${s}="silent";`),
        '};',
        '',
      ].join('\n'),
    );
  }

  tmux(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-S', this.socket, ...args], { env: this.env, encoding: 'utf8', timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${this.name}: tmux ${args[0]} failed: ${err.message} ${stderr}`));
        else resolve(stdout);
      });
    });
  }

  async start(): Promise<void> {
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const cmd = `exec toxic -L -4 -f ${q(join(this.dir, 'profile.tox'))} -c ${q(join(this.dir, 'toxic.conf'))} -n ${q(join(this.dir, 'nodes.json'))} 2>${q(join(this.dir, 'toxic.stderr'))}`;
    this.started = true;
    await this.tmux(['-f', '/dev/null', 'new-session', '-d', '-x', '250', '-y', '50', '-s', 'main', cmd]);
    this.pid = Number((await this.tmux(['display-message', '-p', '-t', 'main', '#{pane_pid}'])).trim());
    this.serverPid = Number((await this.tmux(['display-message', '-p', '-t', 'main', '#{pid}'])).trim());
    // Belt and braces: toxic and its tmux server must share our loopback-only namespace.
    const mine = netNamespace('self');
    for (const pid of [this.serverPid, this.pid]) {
      if (!pid || netNamespace(pid) !== mine) {
        await this.stop();
        throw new Error(`${this.name}: process ${pid} is not in the benchmark's network namespace; stopped it`);
      }
    }
  }

  /** The visible screen, wrapped lines joined. */
  pane(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-J', '-t', 'main']);
  }

  /** Types `text` and Enter (one tmux call). */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', text, 'Enter']);
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', ...keys]);
  }

  /** Polls the screen until `re` matches; returns the match. */
  async waitFor(re: RegExp, timeoutMs: number, what: string, intervalMs = 50): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    for (;;) {
      if (this.pid && !alive(this.pid)) throw new Error(`${this.name}: toxic exited while waiting for ${what}`);
      text = await this.pane();
      const m = text.match(re);
      if (m) return m;
      if (Date.now() > deadline) {
        const screen = text.split('\n').filter((l) => l.trim() !== '').slice(-12).join('\n    ');
        throw new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; screen:\n    ${screen}`);
      }
      await sleep(intervalMs);
    }
  }

  /** Ends toxic and its tmux server; SIGKILLs either if it lingers. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    try {
      await this.tmux(['kill-server']);
    } catch {
      /* already gone */
    }
    for (const pid of [this.pid, this.serverPid]) {
      if (!pid) continue;
      for (let i = 0; i < 40 && alive(pid); i++) await sleep(50);
      if (alive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
      }
    }
  }
}
