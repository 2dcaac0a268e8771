import type { OnnxNode } from '../onnx/model';
import type { TensorFact } from '../shapes/types';

/**
 * Ops that run on the output of the op before them without changing what a cut there would
 * send, so nobody would cut between them and their producer: normalisation, activations,
 * element-wise arithmetic and pure relabelling of the same elements.
 */
const FOLLOWERS = new Set([
  'BatchNormalization', 'InstanceNormalization', 'LayerNormalization',
  'Relu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'Celu',
  'Gelu', 'Erf', 'Mish', 'Softplus', 'Softsign', 'PRelu', 'ThresholdedRelu',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Neg', 'Abs', 'Exp', 'Log', 'Reciprocal', 'Max', 'Min',
  'Identity', 'Dropout', 'Cast', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze',
]);

export function isFollower(node: OnnxNode): boolean {
  return node.domain === '' && FOLLOWERS.has(node.opType);
}

/**
 * A node is static when what it computes is known without running the model: a Constant,
 * an alias of a weight (Identity of an initializer), or shape arithmetic folded to numbers.
 */
export function isStaticNode(
  node: OnnxNode,
  staticTensors: ReadonlySet<string>,
  facts: ReadonlyMap<string, TensorFact>,
): boolean {
  if (node.outputs.length === 0 || node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan') return false;
  if (node.inputs.every((i) => i === '' || staticTensors.has(i))) return true;
  return node.outputs.every((o) => o === '' || facts.get(o)?.value !== undefined);
}
