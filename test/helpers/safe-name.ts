// What every name toxync saves a received file under must satisfy (the rules),
// checked by the unit and the integration tests alike.

import { strict as assert } from 'node:assert';
import { isInvisible } from '../../src/common/text';

const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

export function assertSafeName(name: string, from: string): void {
  const what = `${JSON.stringify(from)} → ${JSON.stringify(name)}`;
  assert.ok(name.length > 0, `empty: ${what}`);
  assert.ok(Buffer.byteLength(name) <= 255, `over 255 bytes: ${what}`);
  assert.ok(!/[\\/\u0000<>:"|?*\u2044\u2215\u2216\u29F5\u29F8\u29F9\uFF0F\uFF3C]/.test(name), `separator or reserved character: ${what}`);
  for (const ch of name)
    assert.ok(!isInvisible(ch.codePointAt(0)!) && ch !== '\t' && ch !== '\n', `invisible or control U+${ch.codePointAt(0)!.toString(16)}: ${what}`);
  assert.ok(!/^[\s.\-]/u.test(name), `leading dot, dash or space: ${what}`);
  assert.ok(!/[\s.]$/u.test(name), `trailing dot or space: ${what}`);
  assert.ok(name !== '.' && name !== '..', `dot name: ${what}`);
  assert.ok(!RESERVED.test((name.split('.')[0] ?? '').trimEnd()), `Windows device name: ${what}`);
}
