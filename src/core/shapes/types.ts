import type { ConstTensor } from '../onnx/tensorValues';
import type { OnnxGraph, OnnxNode, TensorData, ValueKind } from '../onnx/model';

export type Shape = readonly number[];

/** What shape inference knows about one value. */
export interface TensorFact {
  readonly dtype: number;
  /** Fully known dims, or undefined when they cannot be inferred statically. */
  readonly shape: Shape | undefined;
  /** Known values of a small tensor (constant folding); never set for weights. */
  readonly value?: ConstTensor;
  /** 'tensor' unless the value is a sequence, optional or map. */
  readonly kind?: ValueKind;
}

/** What a shape rule sees of its node. */
export interface InferContext {
  readonly node: OnnxNode;
  /** Opset version of the node's domain. */
  readonly opset: number;
  /** Number of input slots, omitted optional ones ('') included. */
  readonly inputCount: number;
  /** The fact of input `i`, or undefined when the input is omitted. */
  input(i: number): TensorFact | undefined;
  /** Like input(), but a missing or shapeless input throws ShapeUnknown. */
  shapeOf(i: number): Shape;
  /** Known values of input `i`, or throws ShapeUnknown. */
  valueOf(i: number): ConstTensor;
  has(name: string): boolean;
  int(name: string, fallback?: number): number;
  ints(name: string, fallback?: readonly number[]): readonly number[];
  float(name: string, fallback?: number): number;
  floats(name: string, fallback?: readonly number[]): readonly number[];
  string(name: string, fallback?: string): string;
  tensor(name: string): TensorData;
  graph(name: string): OnnxGraph;
  /** Infers a nested graph (If/Loop/Scan body) given facts for its formal inputs. */
  inferSubgraph(graph: OnnxGraph, inputs: readonly (TensorFact | undefined)[]): (TensorFact | undefined)[];
  warn(message: string): void;
}

/** Computes the output facts of one node; an undefined entry is an unknown output. */
export type ShapeRule = (ctx: InferContext) => readonly (TensorFact | undefined)[];

/** Thrown by a rule when an input it needs is not statically known; the outputs become unknown. */
export class ShapeUnknown extends Error {
  override readonly name = 'ShapeUnknown';
}

/** Thrown by a rule when its inputs are inconsistent (e.g. Conv channels that do not match). */
export class ShapeConflict extends Error {
  override readonly name = 'ShapeConflict';
}
