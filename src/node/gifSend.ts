// `send_gif`: the node makes the GIF itself (src/gif) and sends it as an ordinary file, so
// every Tox client receives a plain `<style>.gif`. The file engine sends from a path (it
// reads chunks on demand and records the transfer for resuming), so the GIF goes to a
// private temporary folder first; each file is deleted once its transfer is done or has
// failed or is cancelled (by either side), and the folder with whatever is left when the node
// stops.

import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, NodeEvent } from '../protocol/node';
import type { FileEngine } from './fileEngine';

type SendGif = Extract<Command, { cmd: 'send_gif' }>;

/** The generator's options from a send_gif command (the generator checks the values). */
export function gifOptionsOf(cmd: SendGif): Record<string, unknown> {
  const { id: _id, cmd: _cmd, friend: _friend, ...options } = cmd;
  return options;
}

export class GifSender {
  private dir: string | null = null;
  private count = 0;
  /** file_id → the temporary file it is sent from. */
  private readonly pending = new Map<string, string>();
  /** `friend:file` → file_id of our GIF offers (a cancel command may name the file number). */
  private readonly offers = new Map<string, string>();

  constructor(private readonly files: () => FileEngine) {}

  send(cmd: SendGif): { file: number | null; file_id: string } {
    // Required here, not imported: the encoder and the font parser (~650 KB) stay out of a
    // node's memory until it first sends a GIF (dist/ keeps them in bundles of their own).
    const { shippedFont } = require('./gifFont') as typeof import('./gifFont');
    const { makeGif } = require('../gif/generate') as typeof import('../gif/generate');
    const bytes = makeGif(shippedFont(), gifOptionsOf(cmd));
    this.dir ??= mkdtempSync(join(tmpdir(), 'toxync-gif-')); // mode 0700
    const path = join(this.dir, `${++this.count}-${cmd.style}.gif`);
    writeFileSync(path, bytes, { flag: 'wx', mode: 0o600 });
    try {
      const r = this.files().send(cmd.friend, path, `${cmd.style}.gif`);
      this.pending.set(r.file_id, path);
      // Offered at once (friend online): its file_offered went out before we knew the id.
      if (r.file !== null) this.offers.set(`${cmd.friend}:${r.file}`, r.file_id);
      return r;
    } catch (e) {
      unlinkSync(path);
      throw e;
    }
  }

  /** Sees every file event: a sent GIF whose transfer ended is deleted. */
  observe(e: NodeEvent): void {
    if (this.pending.size === 0) return;
    if (e.event === 'file_offered' && this.pending.has(e.file_id)) this.offers.set(`${e.friend}:${e.file}`, e.file_id);
    const ended = (e.event === 'file_done' || e.event === 'file_error') && e.direction === 'send';
    const cancelled = e.event === 'file_control' && e.control === 'cancel';
    if ((ended || cancelled) && e.file_id) this.drop(e.file_id);
  }

  /** This side cancelled or discarded a transfer (the engine emits no event for that). */
  stopped(friend: number, file: number | undefined, fileId: string | undefined): void {
    const id = fileId?.toLowerCase() ?? (file !== undefined ? this.offers.get(`${friend}:${file}`) : undefined);
    if (id) this.drop(id);
  }

  private drop(fileId: string): void {
    const path = this.pending.get(fileId);
    if (!path) return;
    this.pending.delete(fileId);
    for (const [k, v] of this.offers) if (v === fileId) this.offers.delete(k);
    rmSync(path, { force: true });
  }

  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.pending.clear();
    this.offers.clear();
  }
}
