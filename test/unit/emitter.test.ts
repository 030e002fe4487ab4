// The one typed emitter (src/common/emitter.ts) the chat model, avatars and supervisor use.

import { strict as assert } from 'node:assert';
import { Emitter } from '../../src/common/emitter';

describe('typed emitter', () => {
  it('calls listeners in order; each unsubscribe removes only its own listener', () => {
    const e = new Emitter<number>();
    const got: string[] = [];
    const offA = e.on((v) => got.push(`a${v}`));
    e.on((v) => got.push(`b${v}`));
    e.emit(1);
    offA();
    offA();
    e.emit(2);
    assert.deepEqual(got, ['a1', 'b1', 'b2']);
  });

  it('the same function added twice is one listener; clear removes all', () => {
    const e = new Emitter<string>();
    let n = 0;
    const l = () => n++;
    e.on(l);
    e.on(l);
    e.emit('x');
    assert.equal(n, 1);
    e.clear();
    e.emit('y');
    assert.equal(n, 1);
  });

  it('a listener removed by an earlier one during the same emit is not called', () => {
    const e = new Emitter<void>();
    const got: string[] = [];
    let offB: () => void = () => undefined;
    e.on(() => (got.push('a'), offB()));
    offB = e.on(() => got.push('b'));
    e.emit();
    assert.deepEqual(got, ['a']);
  });
});
