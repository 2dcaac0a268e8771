import { strict as assert } from 'node:assert';
import { keepTiming } from '../../../src/core/profiles/timingWindow';

describe('timing window (profile and smoke test)', () => {
  it('times at least RUNS runs, however long they take', () => {
    assert.equal(keepTiming(4, 5, 10_000, 2000), true);
    assert.equal(keepTiming(5, 5, 10_000, 2000), false);
  });
  it('keeps timing fast runs until the window has passed, up to 10×RUNS', () => {
    assert.equal(keepTiming(5, 5, 100, 2000), true);
    assert.equal(keepTiming(30, 5, 1999, 2000), true);
    assert.equal(keepTiming(30, 5, 2000, 2000), false);
    assert.equal(keepTiming(50, 5, 100, 2000), false);
  });
  it('without a window, exactly RUNS runs', () => {
    assert.equal(keepTiming(2, 3, 0, 0), true);
    assert.equal(keepTiming(3, 3, 0, 0), false);
  });
});
