import { dataTypeName } from '../onnx/dataType';
import { ksDatatype } from './kserveTypes';

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
    `  {\n    name: ${JSON.stringify(t.name)}\n    data_type: TYPE_${ksDatatype(dataTypeName(t.dtype))}\n    dims: [ ${dims(t).join(', ')} ]\n  }`;
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
