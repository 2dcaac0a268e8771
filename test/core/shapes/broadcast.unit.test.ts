import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { broadcast } from '../../../src/core/shapes/util';
import { ShapeConflict } from '../../../src/core/shapes/types';

describe('broadcast', () => {
  it('follows numpy rules on examples', () => {
    assert.deepEqual(broadcast([2, 3, 4], [4]), [2, 3, 4]);
    assert.deepEqual(broadcast([1, 3, 1], [5, 1, 7]), [5, 3, 7]);
    assert.deepEqual(broadcast([], [2]), [2]);
    assert.throws(() => broadcast([2, 3], [4, 3, 2]), ShapeConflict);
  });

  it('is commutative and idempotent (property)', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 });
    fc.assert(
      fc.property(dims, (a) => {
        const b = a.map((d, i) => (i % 2 ? 1 : d));
        assert.deepEqual(broadcast(a, b), broadcast(b, a));
        assert.deepEqual(broadcast(a, a), a);
      }),
    );
  });
});
