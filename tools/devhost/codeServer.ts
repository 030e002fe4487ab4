// One code-server instance (the VS Code host for `npm start`, the extension-host tests and
// the e2e tests): its own HOME, TMPDIR, user-data and extensions folders, settings that
// contact nothing, the packaged .vsix installed, listening on 127.0.0.1 or a unix socket.
// Stopped by PID with its whole process tree (extension host, file watcher, Tox node).

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/sys/packageRoot';
import { stopTree } from './procs';

const run = promisify(execFile);

/** code-server's entry script, installed by tools/code-server/install.sh. */
export function codeServerEntry(): string {
  const entry = join(packageRoot(), 'tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server is not installed (${entry} is missing): run bash tools/code-server/install.sh`);
  return entry;
}

export interface HostDirs {
  root: string;
  home: string;
  tmp: string;
  userData: string;
  extensions: string;
  workspace: string;
}

/** Creates the per-instance folders under `root`. Keep `root` short: unix socket paths are capped at 108 bytes. */
export function hostDirs(root: string): HostDirs {
  const d: HostDirs = {
    root,
    home: join(root, 'home'),
    tmp: join(root, 't'),
    userData: join(root, 'ud'),
    extensions: join(root, 'ext'),
    workspace: join(root, 'ws'),
  };
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true, mode: 0o700 });
  return d;
}

/** code-server's environment: its own home and temp, and no extension gallery to contact. */
export function hostEnv(d: HostDirs, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: d.home,
    TMPDIR: d.tmp,
    XDG_CONFIG_HOME: join(d.home, '.config'),
    XDG_DATA_HOME: join(d.home, '.local', 'share'),
    XDG_CACHE_HOME: join(d.home, '.cache'),
    XDG_RUNTIME_DIR: d.tmp,
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

/**
 * Writes the same settings as User and Machine settings: toxync's network settings are
 * machine-scoped, and code-server's extension host is a "remote" one, which reads those
 * from the Machine file.
 */
export function writeSettings(d: HostDirs, settings: Record<string, unknown>): void {
  for (const scope of ['User', 'Machine']) {
    mkdirSync(join(d.userData, scope), { recursive: true });
    writeFileSync(join(d.userData, scope, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  }
}

const COMMON_FLAGS = ['--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];

function dirFlags(d: HostDirs): string[] {
  return ['--user-data-dir', d.userData, '--extensions-dir', d.extensions];
}

/** Installs a .vsix with code-server's own installer; returns the unpacked extension folder. */
export async function installVsix(d: HostDirs, vsix: string): Promise<string> {
  await run(process.execPath, [codeServerEntry(), ...dirFlags(d), '--install-extension', vsix, '--force'], {
    env: hostEnv(d),
    timeout: 120_000,
  });
  const folder = readdirSync(d.extensions).find((n) => n.startsWith('toxync.toxync-'));
  if (!folder) throw new Error(`code-server did not unpack ${vsix} into ${d.extensions}`);
  return join(d.extensions, folder);
}

export type Listen = { port: number } | { socket: string };

export interface CodeServer {
  proc: ChildProcess;
  /** Everything code-server printed (its log), for failure messages. */
  output: string[];
  stop(): Promise<void>;
}

/** Starts code-server and resolves once it listens (~1 s). */
export async function startCodeServer(
  d: HostDirs,
  listen: Listen,
  opts: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): Promise<CodeServer> {
  const where = 'port' in listen ? ['--bind-addr', `127.0.0.1:${listen.port}`] : ['--socket', listen.socket, '--socket-mode', '600'];
  const cfg = join(d.root, 'config.yaml');
  // An explicit config file, so code-server neither reads nor writes ~/.config/code-server.
  writeFileSync(cfg, 'auth: none\ncert: false\n');
  const proc = spawn(process.execPath, [codeServerEntry(), ...where, ...COMMON_FLAGS, ...dirFlags(d), '--config', cfg, d.workspace], {
    env: hostEnv(d, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const cs: CodeServer = {
    proc,
    output,
    stop: async () => {
      if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) await stopTree(proc.pid);
    },
  };
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => fail(new Error('code-server did not start listening within 60 s')), 60_000);
    const fail = (e: Error) => {
      clearTimeout(t);
      reject(new Error(`${e.message}; its output: ${output.slice(-15).join(' | ')}`));
    };
    const onLine = (line: string) => {
      output.push(line);
      opts.onLine?.(line);
      if (line.includes('HTTP server listening on')) {
        clearTimeout(t);
        resolve();
      }
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('error', fail);
    proc.once('exit', (code, sig) => fail(new Error(`code-server exited (${code ?? sig}) before listening`)));
  }).catch(async (e: unknown) => {
    await cs.stop();
    throw e;
  });
  return cs;
}
