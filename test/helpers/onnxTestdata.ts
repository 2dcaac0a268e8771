import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeModel } from '../../src/core/onnx/decode';
import type { OnnxModel } from '../../src/core/onnx/model';
import { decodeTensorProto } from '../../src/core/onnx/tensorProto';
import { readTensorValues, type ConstTensor } from '../../src/core/onnx/tensorValues';

/** Debian's libonnx-testdata (apt-get install libonnx-testdata). */
export const TESTDATA_ROOT = '/usr/share/libonnx-testdata/data';

export interface NodeCase {
  readonly name: string;
  readonly model: OnnxModel;
  /** Values of the case's inputs, as shape inference may fold them. */
  readonly inputValues: Map<string, ConstTensor>;
  /** Expected dims per tensor-typed graph output. */
  readonly expected: Map<string, readonly number[]>;
  /** Graph outputs that are sequences, optionals or maps. */
  readonly nonTensorOutputs: readonly string[];
}

export function nodeCaseNames(suite = 'node'): string[] {
  const dir = path.join(TESTDATA_ROOT, suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => existsSync(path.join(dir, d, 'model.onnx'))).sort();
}

export function loadNodeCase(name: string, suite = 'node'): NodeCase {
  const dir = path.join(TESTDATA_ROOT, suite, name);
  const model = withoutDeclaredShapes(decodeModel(readFileSync(path.join(dir, 'model.onnx'))));
  const data = path.join(dir, 'test_data_set_0');
  const inputValues = new Map<string, ConstTensor>();
  const initializers = model.graph.initializers;
  const formal = model.graph.inputs.filter((i) => !initializers.has(i.name));
  formal.forEach((input, i) => {
    const file = path.join(data, `input_${i}.pb`);
    if (input.kind !== 'tensor' || !existsSync(file)) return;
    const value = readTensorValues(decodeTensorProto(readFileSync(file)), 1 << 22);
    if (value) inputValues.set(input.name, value);
  });
  const expected = new Map<string, readonly number[]>();
  const nonTensorOutputs: string[] = [];
  model.graph.outputs.forEach((output, i) => {
    if (output.kind !== 'tensor') return void nonTensorOutputs.push(output.name);
    const file = path.join(data, `output_${i}.pb`);
    if (existsSync(file)) expected.set(output.name, decodeTensorProto(readFileSync(file)).dims);
  });
  return { name, model, inputValues, expected, nonTensorOutputs };
}

/** The case's model with its declared output and value_info shapes dropped, so only inference speaks. */
function withoutDeclaredShapes(model: OnnxModel): OnnxModel {
  const graph = model.graph;
  return {
    ...model,
    graph: { ...graph, outputs: graph.outputs.map((o) => ({ ...o, dims: undefined })), valueInfo: [] },
  };
}
