// Unfinished transfers do not linger forever: a node that starts with a record older than
// RECORD_TTL_MS forgets it and deletes its partial download; a recent one is kept to resume.
// A real node (plain CLI profile, whose records sit in transfers.json beside it).

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TransferRecord } from '../../src/protocol/node';
import { PLAIN_TRANSFERS, RECORD_TTL_MS } from '../../src/node/transferRecords';
import { CliPeer, tempDir } from '../helpers/peer';

describe('transfer records expire', function () {
  this.timeout(60_000);
  let node: CliPeer | undefined;
  let dir = '';

  after(async () => {
    await node?.stop();
    node?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a node forgets a record older than the limit and deletes its .part; a recent one stays', async () => {
    dir = tempDir('expiry');
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const profile = tempDir('expiry-node');
    const rec = (n: number, created: number): TransferRecord => ({
      id: String(n).repeat(64),
      dir: 'recv',
      peer: 'B'.repeat(64),
      name: `f${n}.bin`,
      size: 100,
      path: join(inbox, `f${n}.bin`),
      created,
    });
    const old = rec(1, Date.now() - RECORD_TTL_MS - 60_000);
    const fresh = rec(2, Date.now() - 60_000);
    for (const r of [old, fresh]) writeFileSync(`${r.path}.part`, Buffer.alloc(40, 7));
    writeFileSync(join(profile, PLAIN_TRANSFERS), JSON.stringify([old, fresh]));

    node = CliPeer.start('expiry', [], profile);
    const log = await node.event('log', (e) => /forgotten/.test(String(e.message)), 30_000);
    assert.match(String(log.message), /^1 unfinished transfer/);
    assert.equal(existsSync(`${old.path}.part`), false, 'the expired partial download is deleted');
    assert.equal(readFileSync(`${fresh.path}.part`).length, 40, 'the recent one is untouched');
    const kept = JSON.parse(readFileSync(join(profile, PLAIN_TRANSFERS), 'utf8')) as TransferRecord[];
    assert.deepEqual(
      kept.map((r) => r.id),
      [fresh.id],
    );
  });
});
