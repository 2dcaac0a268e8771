import type { ModelAnalysis } from '../analysis';
import type { Layer } from '../layers/layerGraph';
import type { OpClass } from './types';

/** The op class of a layer, from its main node (depthwise: one input channel per group). */
export function opClassOf(layer: Layer, analysis: ModelAnalysis): OpClass {
  const node = analysis.shapes.order.find((n) => n.name === layer.name);
  switch (layer.op) {
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv': {
      const w = node ? analysis.shapes.facts.get(node.inputs[layer.op === 'QLinearConv' ? 3 : 1] ?? '')?.shape : undefined;
      if (w && w[1] === 1 && (w[0] ?? 0) > 1) return 'depthwiseConv';
      if (w && w.slice(2).every((k) => k === 1)) return 'pointwiseConv';
      return 'conv';
    }
    case 'ConvTranspose':
      return 'convTranspose';
    case 'Gemm':
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul':
    case 'Einsum':
      return 'gemm';
    default:
      if (/Pool$/.test(layer.op)) return 'pool';
      return layer.macs > 0 ? 'gemm' : layer.elementOps > 0 ? 'elementwise' : 'other';
  }
}
