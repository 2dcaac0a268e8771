import type { AttributeValue, OnnxModel, OnnxNode, TensorData, ValueInfo } from '../../src/core/onnx/model';

/** Builds small in-memory models for property tests (no file round trip). */
export function node(opType: string, inputs: string[], outputs: string[], name?: string, attrs: Record<string, AttributeValue> = {}): OnnxNode {
  return { name: name ?? outputs[0] ?? opType, opType, domain: '', inputs, outputs, attributes: new Map(Object.entries(attrs)) };
}

export function tensorInput(name: string, dims: number[], dtype = 1): ValueInfo {
  return { name, kind: 'tensor', dtype, dims };
}

export function weight(name: string, dims: number[]): TensorData {
  const count = dims.reduce((a, b) => a * b, 1);
  return { name, dtype: 1, dims, storage: { kind: 'raw', bytes: new Uint8Array(count * 4) } };
}

export function model(nodes: OnnxNode[], inputs: ValueInfo[], outputs: string[], weights: TensorData[] = []): OnnxModel {
  return {
    irVersion: 8,
    opsets: { '': 13 },
    producer: 'test',
    producerVersion: '',
    warnings: [],
    graph: {
      name: 'g',
      nodes,
      inputs,
      outputs: outputs.map((name) => ({ name, kind: 'tensor', dtype: 1, dims: undefined })),
      valueInfo: [],
      initializers: new Map(weights.map((w) => [w.name, w])),
    },
  };
}
