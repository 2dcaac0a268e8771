import { byteSize } from '../onnx/dataType';
import type { OnnxNode } from '../onnx/model';
import { elementCount } from '../onnx/tensorValues';
import type { Shape, TensorFact } from '../shapes/types';

/** Work and data of one node. */
export interface NodeCost {
  /** Multiply-accumulates of Conv, ConvTranspose, Gemm, MatMul (and their integer forms). */
  readonly macs: number;
  /** Element-wise work of every other op: roughly one operation per element touched. */
  readonly elementOps: number;
  /** Elements of the weights (initializers, float Constant tensors) the node reads. */
  readonly params: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
}

type Facts = ReadonlyMap<string, TensorFact>;

const NO_WORK = new Set([
  'Constant', 'Identity', 'Dropout', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Shape', 'Size',
  'ConstantOfShape', 'Range', 'Cast', 'CastLike',
]);

export function nodeCost(node: OnnxNode, facts: Facts, weights: ReadonlyMap<string, number>): NodeCost {
  const shape = (name: string | undefined): Shape | undefined => (name ? facts.get(name)?.shape : undefined);
  const bytes = (name: string): number => {
    const f = facts.get(name);
    return f?.shape ? byteSize(f.dtype, elementCount(f.shape)) : 0;
  };
  let params = 0;
  for (const input of new Set(node.inputs)) {
    params += weights.get(input) ?? 0;
  }
  const macs = node.domain === '' ? macsOf(node, shape) : 0;
  return {
    macs,
    elementOps: macs > 0 || NO_WORK.has(node.opType) ? 0 : elementOpsOf(node, shape),
    params,
    inputBytes: node.inputs.reduce((s, i) => s + (i ? bytes(i) : 0), 0),
    outputBytes: node.outputs.reduce((s, o) => s + (o ? bytes(o) : 0), 0),
  };
}

/** MACs as PyTorch's FlopCounterMode counts them (it reports 2 × MACs). */
function macsOf(node: OnnxNode, shape: (name: string | undefined) => Shape | undefined): number {
  const out = shape(node.outputs[0]);
  switch (node.opType) {
    case 'Conv':
    case 'ConvInteger': {
      // N·Cout·Hout·Wout·(Cin/group)·kH·kW = output elements × weight elements per output channel.
      const w = shape(node.inputs[1]);
      return out && w ? elementCount(out) * elementCount(w.slice(1)) : 0;
    }
    case 'QLinearConv': {
      const w = shape(node.inputs[3]);
      return out && w ? elementCount(out) * elementCount(w.slice(1)) : 0;
    }
    case 'ConvTranspose': {
      // Each input element scatters into Cout/group × kernel outputs: N·Cin·Hin·Win·(Cout/group)·kH·kW.
      const x = shape(node.inputs[0]);
      const w = shape(node.inputs[1]);
      return x && w ? elementCount(x) * elementCount(w.slice(1)) : 0;
    }
    case 'Gemm': {
      const a = shape(node.inputs[0]);
      const transA = node.attributes.get('transA');
      const k = a ? (transA?.kind === 'int' && transA.value ? a[0] : a[1]) : undefined;
      return out && k ? elementCount(out) * k : 0;
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul': {
      const a = shape(node.inputs[0]);
      const k = a ? a[a.length - 1] : undefined;
      return out && k ? elementCount(out) * k : 0;
    }
    default:
      return 0;
  }
}

function elementOpsOf(node: OnnxNode, shape: (name: string | undefined) => Shape | undefined): number {
  const out = shape(node.outputs[0]);
  const input = shape(node.inputs[0]);
  if (/^(Global|Reduce|Arg)/.test(node.opType) || node.opType === 'Softmax' || node.opType === 'LogSoftmax') {
    return input ? elementCount(input) : 0;
  }
  if (/Pool$/.test(node.opType)) {
    const k = node.attributes.get('kernel_shape');
    return out ? elementCount(out) * (k?.kind === 'ints' ? elementCount(k.value) : 1) : 0;
  }
  return out ? elementCount(out) : 0;
}
