import { onnx } from 'onnx-proto';
import { median } from '../profiles/ortProfile';

/**
 * ONNX Runtime's per-node profiler times each node with its own bookkeeping inside (1.5–4 µs a
 * node on the testbed, measured with chains of 200 cheap nodes): negligible for a 1 ms convolution,
 * a third of a small model's profiled time. A layer predictor fitted on profiled times then
 * predicts that bookkeeping for models with many small nodes, which a plain session never pays.
 *
 * The calibration measures it on the device itself: a chain of cheap nodes on a tiny tensor,
 * timed plain and profiled. Per node, the profiled times' sum exceeds the plain run by the
 * bookkeeping minus the executor's own time between nodes, which is what a profiled layer
 * carries beyond what the plain session spends on it.
 */
export const CALIBRATION_NODES = 200;

/** The chain's one input (ORT's type name, as the agent feeds synthetic inputs). */
export const CALIBRATION_INPUT = { name: 'x', type: 'float32', dims: [1, 8, 4, 4] } as const;

/** The calibration chain: Relu and Add (with a constant) alternating on CALIBRATION_INPUT. */
export function calibrationChainModel(nodes = CALIBRATION_NODES): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const dims = CALIBRATION_INPUT.dims;
  const value = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const node: onnx.INodeProto[] = [];
  let x: string = CALIBRATION_INPUT.name;
  for (let i = 0; i < nodes; i++) {
    const y = i === nodes - 1 ? 'y' : `t${i}`;
    node.push(i % 2 === 0 ? { name: `relu${i}`, opType: 'Relu', input: [x], output: [y] } : { name: `add${i}`, opType: 'Add', input: [x, 'c'], output: [y] });
    x = y;
  }
  const model = new onnx.ModelProto({
    irVersion: 7,
    producerName: 'edgecut-profiler-calibration',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'profiler_calibration',
      node,
      input: [value(CALIBRATION_INPUT.name)],
      output: [value('y')],
      initializer: [{ name: 'c', dataType: F, dims: [1], floatData: [0.5] }],
      docString: `${nodes} cheap nodes in a chain: ONNX Runtime's per-node profiling cost, measured`,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** What the agent measured on the chain: plain runs' times and each node's profiled times (µs). */
export interface CalibrationRun {
  readonly wholeMs: readonly number[];
  readonly nodeUs: Readonly<Record<string, readonly number[]>>;
}

/**
 * The profiler's cost per node in ms: (Σ node medians − plain median) / nodes, never negative;
 * undefined when the run does not hold every node of the chain.
 */
export function profilerNodeMs(run: CalibrationRun, nodes = CALIBRATION_NODES): number | undefined {
  const times = Object.values(run.nodeUs).filter((t) => t.length > 0);
  if (times.length !== nodes || run.wholeMs.length === 0) return undefined;
  const profiledMs = times.reduce((s, t) => s + median(t), 0) / 1000;
  return Math.max(0, (profiledMs - median(run.wholeMs)) / nodes);
}
