// The image checker's protocol (src/node/imageCheckMain.ts over IPC): one file path in, its
// canonical copy or the reason it is refused out. Both ends check with these guards; the host
// also re-reads the returned picture's header (src/core/supervisor/imageChecker.ts).

import { type Infer, int, literal, obj, str, tagged } from './guard';

/** Largest canonical copy, in base64 characters (16 MiB of bytes). */
const MAX_B64 = Math.ceil((16 * 2 ** 20) / 3) * 4;

export const imageCheckRequest = obj({
  id: int({ min: 1 }),
  path: str({ min: 1, max: 4096 }),
  max_bytes: int({ min: 1, max: 2 ** 31 }),
});
export type ImageCheckRequest = Infer<typeof imageCheckRequest>;

export const imageCheckReply = tagged('kind', {
  ok: {
    id: int({ min: 1 }),
    mime: literal('image/png', 'image/gif'),
    width: int({ min: 1, max: 4096 }),
    height: int({ min: 1, max: 4096 }),
    frames: int({ min: 1, max: 300 }),
    data: str({ min: 4, max: MAX_B64, pattern: /^[A-Za-z0-9+/]+={0,2}$/ }),
  },
  refused: { id: int({ min: 1 }), reason: str({ max: 512 }) },
});
export type ImageCheckReply = Infer<typeof imageCheckReply>;
