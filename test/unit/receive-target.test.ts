import { strict as assert } from 'node:assert';
import { closeSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { claimExact, claimInFolder, finish, PART, removePart, reopenPart } from '../../src/node/receiveTarget';
import { OWN_HOSTILE_NAMES, xssNames } from '../fixtures/hostile-names';
import { tempDir } from '../helpers/peer';
import { assertSafeName } from '../helpers/safe-name';

describe('where received files are written (.part, never overwrite)', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tempDir('target'), 'inbox');
    mkdirSync(dir);
  });
  afterEach(() => rmSync(dirname(dir), { recursive: true, force: true }));

  const write = (c: { path: string; fd: number }, text: string) => {
    writeSync(c.fd, text);
    closeSync(c.fd);
  };

  it('writes to <name>.part and gives it the name only when finished', () => {
    const c = claimInFolder(dir, '../../etc/report.pdf');
    assert.equal(c.path, join(dir, 'report.pdf'));
    write(c, 'data');
    assert.deepEqual(readdirSync(dir), ['report.pdf.part']);
    assert.equal(finish(c.path), c.path);
    assert.deepEqual(readdirSync(dir), ['report.pdf']);
  });

  it('never overwrites: taken names (also by a .part or a planted link) get a number', () => {
    writeFileSync(join(dir, 'a.txt'), 'precious');
    writeFileSync(join(dir, 'a (1).txt.part'), 'someone else receiving');
    symlinkSync('/nonexistent/target', join(dir, 'a (2).txt'));
    const c = claimInFolder(dir, 'a.txt');
    assert.equal(c.path, join(dir, 'a (3).txt'));
    write(c, 'new');
    // The plain name was free at the start; someone takes it before the end.
    const d = claimInFolder(dir, 'b.txt');
    write(d, 'mine');
    writeFileSync(join(dir, 'b.txt'), 'theirs');
    assert.equal(finish(d.path), join(dir, 'b (1).txt'));
    assert.equal(readFileSync(join(dir, 'b.txt'), 'utf8'), 'theirs');
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'precious');
    assert.ok(!existsSync('/nonexistent/target'));
  });

  it('an exact path is refused when it or its .part exists', () => {
    writeFileSync(join(dir, 'x'), '1');
    assert.throws(() => claimExact(join(dir, 'x')), { code: 'EEXIST' });
    writeFileSync(join(dir, `y${PART}`), '1');
    assert.throws(() => claimExact(join(dir, 'y')), { code: 'EEXIST' });
  });

  it('reopens a partial file to resume it, at its length; null once it is gone', () => {
    const c = claimInFolder(dir, 'big.bin');
    write(c, '12345');
    const r = reopenPart(c.path)!;
    assert.equal(r.size, 5);
    closeSync(r.fd);
    removePart(c.path);
    assert.equal(reopenPart(c.path), null);
  });

  it('refuses a folder that is not there or not a folder', () => {
    assert.throws(() => claimInFolder(join(dir, 'gone'), 'x'), { code: 'ENOENT' });
    writeFileSync(join(dir, 'file'), '');
    assert.throws(() => claimInFolder(join(dir, 'file'), 'x'), { code: 'ENOTDIR' });
  });

  it('the whole hostile corpus lands inside the folder, one safe file each', () => {
    const names = [...OWN_HOSTILE_NAMES, ...xssNames()];
    for (const n of names) {
      const c = claimInFolder(dir, n);
      assert.equal(dirname(c.path), dir);
      write(c, n);
      assertSafeName(finish(c.path).slice(dir.length + 1), n);
    }
    assert.equal(readdirSync(dir).length, names.length);
  });
});
