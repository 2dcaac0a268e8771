import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { BATCH_DIM, withBatchAxis } from '../../src/core/bundle/batchAxis';
import { batchesCorrectly } from '../../src/node/bundle/batchCheck';
import { requireOrSkip, sharedModelsDir } from '../helpers/paths';

process.env.ORT_DISABLE_TELEMETRY = '1';

/** x[1,4,2,2] → Reshape to a literal [1,16] → y: a graph that pins its batch to 1. */
function pinnedBatchModel(): Uint8Array {
  const f = onnx.TensorProto.DataType.FLOAT;
  const value = (name: string, dims: number[]): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: f, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const shape = { name: 'shape', dataType: onnx.TensorProto.DataType.INT64, dims: [2], int64Data: [1, 16] };
  return onnx.ModelProto.encode(
    new onnx.ModelProto({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'g', node: [{ opType: 'Relu', input: ['x'], output: ['r'] }, { opType: 'Reshape', input: ['r', 'shape'], output: ['y'] }], input: [value('x', [1, 4, 2, 2])], output: [value('y', [1, 16])], initializer: [shape] },
    }),
  ).finish();
}

describe('batch axis for Triton dynamic batching', function () {
  this.timeout(60_000);

  it('opens the first dim of inputs and outputs that had a batch of 1, and drops value_info', () => {
    const m = onnx.ModelProto.decode(withBatchAxis(pinnedBatchModel()));
    assert.equal(m.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam, BATCH_DIM);
    assert.equal(m.graph?.output?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam, BATCH_DIM);
    assert.equal(Number(m.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[1]?.dimValue), 4);
    assert.deepEqual(m.graph?.valueInfo, []);
  });

  it('a batch-agnostic model (squeezenet) batches: two samples together equal each alone', async function () {
    const shared = sharedModelsDir();
    requireOrSkip(this, !!shared && existsSync(path.join(shared, 'squeezenet1_1.onnx')), 'the shared squeezenet1_1.onnx', 'set EDGECUT_SHARED_DIR to the folder holding models/');
    const bytes = withBatchAxis(readFileSync(path.join(shared as string, 'squeezenet1_1.onnx')));
    const input = onnx.ModelProto.decode(bytes).graph?.input?.[0]?.name ?? '';
    assert.equal(await batchesCorrectly(ort, bytes, [{ name: input, dtype: 1, shape: [1, 3, 224, 224] }]), true);
  });

  it('a graph that reshapes to a literal batch of 1 is refused', async () => {
    assert.equal(await batchesCorrectly(ort, withBatchAxis(pinnedBatchModel()), [{ name: 'x', dtype: 1, shape: [1, 4, 2, 2] }]), false);
  });

  it('inputs without a batch of 1 are not batched', async () => {
    assert.equal(await batchesCorrectly(ort, pinnedBatchModel(), [{ name: 'x', dtype: 1, shape: [4, 1, 2, 2] }]), false);
  });
});
