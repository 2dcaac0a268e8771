import { ModelError } from '../errors';
import type { AttributeValue, OnnxGraph, OnnxNode, TensorData } from '../onnx/model';
import type { ConstTensor } from '../onnx/tensorValues';
import { ShapeUnknown, type InferContext, type Shape, type TensorFact } from './types';

export type SubgraphInferrer = (
  graph: OnnxGraph,
  inputs: readonly (TensorFact | undefined)[],
) => (TensorFact | undefined)[];

/** The InferContext of one node, reading facts from its scope. */
export class NodeContext implements InferContext {
  constructor(
    readonly node: OnnxNode,
    readonly opset: number,
    private readonly lookup: (name: string) => TensorFact | undefined,
    private readonly subgraph: SubgraphInferrer,
    private readonly warnings: string[],
  ) {}

  get inputCount(): number {
    return this.node.inputs.length;
  }

  input(i: number): TensorFact | undefined {
    const name = this.node.inputs[i];
    if (name === undefined || name === '') return undefined;
    return this.lookup(name);
  }

  shapeOf(i: number): Shape {
    const shape = this.input(i)?.shape;
    if (!shape) throw new ShapeUnknown(`shape of input ${i} ('${this.node.inputs[i] ?? ''}') is unknown`);
    return shape;
  }

  valueOf(i: number): ConstTensor {
    const value = this.input(i)?.value;
    if (!value) throw new ShapeUnknown(`value of input ${i} ('${this.node.inputs[i] ?? ''}') is not known statically`);
    return value;
  }

  has(name: string): boolean {
    return this.node.attributes.has(name);
  }

  int(name: string, fallback?: number): number {
    const a = this.attr(name, fallback === undefined);
    if (!a) return fallback as number;
    if (a.kind === 'int') return a.value;
    if (a.kind === 'float') return Math.trunc(a.value);
    throw this.badKind(name, a, 'an int');
  }

  ints(name: string, fallback?: readonly number[]): readonly number[] {
    const a = this.attr(name, fallback === undefined);
    if (!a) return fallback as readonly number[];
    if (a.kind === 'ints') return a.value;
    if (a.kind === 'int') return [a.value];
    throw this.badKind(name, a, 'a list of ints');
  }

  float(name: string, fallback?: number): number {
    const a = this.attr(name, fallback === undefined);
    if (!a) return fallback as number;
    if (a.kind === 'float' || a.kind === 'int') return a.value;
    throw this.badKind(name, a, 'a float');
  }

  floats(name: string, fallback?: readonly number[]): readonly number[] {
    const a = this.attr(name, fallback === undefined);
    if (!a) return fallback as readonly number[];
    if (a.kind === 'floats' || a.kind === 'ints') return a.value;
    throw this.badKind(name, a, 'a list of floats');
  }

  string(name: string, fallback?: string): string {
    const a = this.attr(name, fallback === undefined);
    if (!a) return fallback as string;
    if (a.kind === 'string') return a.value;
    throw this.badKind(name, a, 'a string');
  }

  tensor(name: string): TensorData {
    const a = this.attr(name, true);
    if (a?.kind === 'tensor') return a.value;
    throw this.badKind(name, a as AttributeValue, 'a tensor');
  }

  graph(name: string): OnnxGraph {
    const a = this.attr(name, true);
    if (a?.kind === 'graph') return a.value;
    throw this.badKind(name, a as AttributeValue, 'a graph');
  }

  inferSubgraph(graph: OnnxGraph, inputs: readonly (TensorFact | undefined)[]): (TensorFact | undefined)[] {
    return this.subgraph(graph, inputs);
  }

  warn(message: string): void {
    this.warnings.push(`${this.node.name} (${this.node.opType}): ${message}`);
  }

  private attr(name: string, required: boolean): AttributeValue | undefined {
    const a = this.node.attributes.get(name);
    if (!a && required) {
      throw new ModelError(
        'missing-attribute',
        `node '${this.node.name}' (${this.node.opType}) lacks its required attribute '${name}'`,
      );
    }
    return a;
  }

  private badKind(name: string, a: AttributeValue, wanted: string): ModelError {
    return new ModelError(
      'bad-attribute',
      `node '${this.node.name}' (${this.node.opType}): attribute '${name}' is ${a.kind}, expected ${wanted}`,
    );
  }
}
