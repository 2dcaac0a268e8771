import { strict as assert } from 'node:assert';
import { tritonConfig } from '../../../src/core/bundle/tritonConfig';

describe('Triton config.pbtxt for a tail model', () => {
  const inputs = [{ name: '/features/Relu_output_0', dtype: 1, shape: [1, 128, 27, 27] }];
  const outputs = [{ name: 'output', dtype: 1, shape: [1, 1000] }];

  it('makes the batch dim Triton’s and enables dynamic batching', () => {
    const c = tritonConfig('tail_3', inputs, outputs);
    assert.match(c, /^name: "tail_3"\nplatform: "onnxruntime_onnx"\nmax_batch_size: 8\n/);
    assert.match(c, /name: "\/features\/Relu_output_0"\n {4}data_type: TYPE_FP32\n {4}dims: \[ 128, 27, 27 \]/);
    assert.match(c, /dims: \[ 1000 \]/);
    assert.match(c, /dynamic_batching \{/);
  });

  it('keeps exact shapes without batching when asked', () => {
    const c = tritonConfig('tail_3', inputs, outputs, { fixedBatch: true });
    assert.match(c, /max_batch_size: 0/);
    assert.match(c, /dims: \[ 1, 128, 27, 27 \]/);
    assert.doesNotMatch(c, /dynamic_batching/);
  });
});
