import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import { syntheticInputs } from '../../src/node/runtime/syntheticInputs';

const TYPES = ['float32', 'float64', 'int64', 'int32', 'int8', 'uint8', 'bool'] as const;
const inputs = TYPES.map((type) => ({ name: type, type, dims: [2, 3, 50] }));
const values = (t: ort.Tensor): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);

describe('synthetic inputs (profiling agent and device runner)', () => {
  it('gives ONNX Runtime tensors of each input type and shape, in the range each type is used for', () => {
    const feeds = syntheticInputs(ort, inputs, 0);
    for (const type of TYPES) {
      const t = feeds[type] as ort.Tensor;
      assert.equal(t.type, type);
      assert.deepEqual(t.dims, [2, 3, 50]);
      const v = values(t);
      assert.equal(v.length, 300);
      if (type.startsWith('float')) assert.ok(v.every((x) => x >= 0 && x < 1), `${type} in [0, 1)`);
      else if (type === 'bool') assert.ok(v.every((x) => x === 0 || x === 1));
      else assert.ok(v.every((x) => Number.isInteger(x) && x >= 0 && x < 4), `${type}: small indices`);
      assert.ok(new Set(v).size > 1, `${type} is not constant`);
    }
  });

  it('is the same for the same job and differs between jobs', () => {
    const [a, b, c] = [syntheticInputs(ort, inputs, 3), syntheticInputs(ort, inputs, 3), syntheticInputs(ort, inputs, 4)];
    for (const type of TYPES) {
      assert.deepEqual(values(a[type] as ort.Tensor), values(b[type] as ort.Tensor));
      assert.notDeepEqual(values(a[type] as ort.Tensor), values(c[type] as ort.Tensor));
    }
  });
});
