// Runs the image checker (dist/imagecheck.js, src/node/imageCheckMain.ts) for the extension
// host: one forked process, one picture at a time, killed when a picture takes too long or
// when it has been idle a while, and started again for the next. What comes back is checked
// twice: by the reply guard, and by reading the returned picture's own header, so only a
// PNG or GIF of the announced size can become a data: URI.

import { type ChildProcess, fork } from 'node:child_process';
import { check } from '../../protocol/guard';
import { imageCheckReply } from '../../protocol/imageCheck';
import { imageInfo } from '../../common/image';
import { nodeEnv } from './nodeEnv';

export type ImageVerdict = { ok: true; src: string; width: number; height: number; frames: number } | { ok: false; reason: string };

interface Job {
  id: number;
  path: string;
  maxBytes: number;
  resolve: (v: ImageVerdict) => void;
}

export interface ImageCheckerOptions {
  /** Wall time for one picture, after which the process is killed (ms). */
  timeoutMs?: number;
  /** How long an idle checker process stays around (ms). */
  idleMs?: number;
  /** V8 heap cap of the checker process (MiB); pixels live outside it and are capped by count. */
  heapMb?: number;
}

export class ImageChecker {
  private child: ChildProcess | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private nextId = 1;
  private disposed = false;
  /** Processes started so far (tests read it: a killed checker is replaced). */
  spawned = 0;

  constructor(
    private readonly script: string,
    private readonly opts: ImageCheckerOptions = {},
  ) {}

  check(path: string, maxBytes: number): Promise<ImageVerdict> {
    if (this.disposed) return Promise.resolve({ ok: false, reason: 'the picture checker is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, path, maxBytes, resolve });
      this.pump();
    });
  }

  private start(): ChildProcess {
    const child = fork(this.script, [], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
      env: nodeEnv(),
      execArgv: [`--max-old-space-size=${this.opts.heapMb ?? 512}`],
    });
    this.spawned++;
    child.on('message', (raw) => this.onReply(child, raw));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', () => this.onExit(child, null, null));
    return child;
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) {
      if (this.child && !this.idle) this.idle = setTimeout(() => this.stopChild(), this.opts.idleMs ?? 15_000);
      return;
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.child ??= this.start();
    this.current = job;
    this.timer = setTimeout(() => {
      this.finish({ ok: false, reason: 'checking the picture took too long' });
      this.stopChild();
    }, this.opts.timeoutMs ?? 10_000);
    this.child.send({ id: job.id, path: job.path, max_bytes: job.maxBytes });
  }

  private finish(v: ImageVerdict): void {
    const job = this.current;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
    job?.resolve(v);
    queueMicrotask(() => this.pump());
  }

  private onReply(child: ChildProcess, raw: unknown): void {
    if (child !== this.child || !this.current) return;
    const r = check(imageCheckReply, raw);
    if (!r.ok || r.value.id !== this.current.id) {
      this.finish({ ok: false, reason: 'the picture checker gave an invalid answer' });
      this.stopChild();
      return;
    }
    const v = r.value;
    if (v.kind === 'refused') return this.finish({ ok: false, reason: v.reason });
    const info = imageInfo(Buffer.from(v.data, 'base64'));
    if (!info || info.mime !== v.mime || info.width !== v.width || info.height !== v.height) {
      this.finish({ ok: false, reason: 'the picture checker gave an invalid answer' });
      this.stopChild();
      return;
    }
    this.finish({ ok: true, src: `data:${v.mime};base64,${v.data}`, width: v.width, height: v.height, frames: v.frames });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.current) this.finish({ ok: false, reason: `the picture checker stopped (${signal ?? `exit ${code}`})` });
  }

  private stopChild(): void {
    const c = this.child;
    this.child = null;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    c?.kill('SIGKILL');
    if (this.current) this.finish({ ok: false, reason: 'the picture checker stopped' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopChild();
    const pending = [this.current, ...this.queue.splice(0)];
    this.current = null;
    for (const j of pending) j?.resolve({ ok: false, reason: 'the picture checker is closed' });
  }
}
