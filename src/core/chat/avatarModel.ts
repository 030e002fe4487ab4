// Friends' avatars as the host keeps them: only what the node let through (≤ 64 KiB, a real
// PNG/JPEG/GIF/WebP by magic bytes and dimensions), as data: URIs for the contacts tree and
// the conversation header. In memory only: friends send their avatar at every connection.

import { Emitter } from '../../common/emitter';
import type { NodeEvent } from '../../protocol/node';

const DATA_URI = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

export function isAvatarUri(s: string): boolean {
  return s.length <= 100_000 && DATA_URI.test(s);
}

export class AvatarBook {
  private readonly byKey = new Map<string, string>();
  private readonly changes = new Emitter<string>();

  onChange(l: (key: string) => void): () => void {
    return this.changes.on(l);
  }

  get(key: string): string | null {
    return this.byKey.get(key.toUpperCase()) ?? null;
  }

  handle(e: NodeEvent): void {
    if (e.event !== 'avatar') return;
    const key = e.public_key.toUpperCase();
    const uri = e.data && e.mime ? `data:${e.mime};base64,${e.data}` : null;
    if (uri && isAvatarUri(uri)) this.byKey.set(key, uri);
    else this.byKey.delete(key);
    this.changes.emit(key);
  }

  clear(): void {
    this.byKey.clear();
  }
}
