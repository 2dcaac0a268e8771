import { dataTypeName } from '../onnx/dataType';

const TRITON_TYPES: Record<string, string> = {
  float32: 'TYPE_FP32', float16: 'TYPE_FP16', float64: 'TYPE_FP64', int64: 'TYPE_INT64', int32: 'TYPE_INT32',
  int16: 'TYPE_INT16', int8: 'TYPE_INT8', uint8: 'TYPE_UINT8', bool: 'TYPE_BOOL',
};

export interface TensorSpec {
  readonly name: string;
  readonly dtype: number;
  readonly shape: readonly number[];
}

/**
 * A Triton model configuration (config.pbtxt) for one tail model on the ONNX Runtime backend.
 * With a batch dim of 1 the model's batch axis becomes Triton's (max_batch_size and dynamic
 * batching, so jobs arriving together are merged); the model must then be exported with a
 * dynamic batch dim. `fixedBatch` keeps the exact shapes and no batching instead.
 */
export function tritonConfig(name: string, inputs: readonly TensorSpec[], outputs: readonly TensorSpec[], opts: { maxBatch?: number; fixedBatch?: boolean } = {}): string {
  const batched = !opts.fixedBatch && [...inputs, ...outputs].every((t) => t.shape[0] === 1);
  const dims = (t: TensorSpec): readonly number[] => (batched ? t.shape.slice(1) : t.shape);
  const tensor = (t: TensorSpec): string =>
    `  {\n    name: ${JSON.stringify(t.name)}\n    data_type: ${TRITON_TYPES[dataTypeName(t.dtype)] ?? 'TYPE_FP32'}\n    dims: [ ${dims(t).join(', ')} ]\n  }`;
  return [
    `name: ${JSON.stringify(name)}`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${batched ? (opts.maxBatch ?? 8) : 0}`,
    `input [\n${inputs.map(tensor).join(',\n')}\n]`,
    `output [\n${outputs.map(tensor).join(',\n')}\n]`,
    ...(batched ? ['dynamic_batching {\n  max_queue_delay_microseconds: 2000\n}'] : []),
    'instance_group [ { kind: KIND_AUTO } ]',
    '',
  ].join('\n');
}
