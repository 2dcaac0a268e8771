/**
 * The normalized ONNX model EdgeCut works on (after lutzroeder/netron's model/graph/node/value/
 * tensor split): decoded once, immutable, with weights left as views into the file's bytes.
 */

/** A dimension as declared in the file: a size, a symbolic name, or unknown. */
export type DeclaredDim = number | string | null;

export type ValueKind = 'tensor' | 'sequence' | 'optional' | 'map' | 'sparse' | 'unknown';

/** A graph input, output or value_info entry. */
export interface ValueInfo {
  readonly name: string;
  readonly kind: ValueKind;
  /** Element type code (TensorProto.DataType); for sequences/optionals, that of the element. */
  readonly dtype: number;
  /** Declared dims; undefined when the file gives no shape. */
  readonly dims: readonly DeclaredDim[] | undefined;
}

/** Where a tensor's values live. Raw bytes are a view into the model file, never a copy. */
export type TensorStorage =
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'values'; readonly values: readonly (number | string)[] }
  | { readonly kind: 'external'; readonly location: string; readonly offset: number; readonly length: number | undefined }
  /** raw_data left unread in the model file itself (large models are decoded from a skeleton). */
  | { readonly kind: 'file'; readonly offset: number; readonly length: number }
  | { readonly kind: 'sparse'; readonly values: TensorData; readonly indices: TensorData };

export interface TensorData {
  readonly name: string;
  readonly dtype: number;
  readonly dims: readonly number[];
  readonly storage: TensorStorage;
}

export type AttributeValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: TensorData }
  | { readonly kind: 'graph'; readonly value: OnnxGraph }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'tensors'; readonly value: readonly TensorData[] }
  | { readonly kind: 'graphs'; readonly value: readonly OnnxGraph[] }
  | { readonly kind: 'other'; readonly type: number };

export interface OnnxNode {
  /** The file's name, or `<op>_<index>` as ONNX Runtime's profiler names unnamed nodes. */
  readonly name: string;
  readonly opType: string;
  /** '' for the default ONNX domain. */
  readonly domain: string;
  /** Input tensor names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, AttributeValue>;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly valueInfo: readonly ValueInfo[];
  /** Dense and sparse initializers by name. */
  readonly initializers: ReadonlyMap<string, TensorData>;
}

export interface OnnxModel {
  readonly irVersion: number;
  /** Opset version per domain ('' is the default ONNX domain, printed as "ai.onnx"). */
  readonly opsets: Readonly<Record<string, number>>;
  readonly producer: string;
  readonly producerVersion: string;
  readonly graph: OnnxGraph;
  /** Non-fatal findings while decoding (skipped pieces, custom domains). */
  readonly warnings: readonly string[];
}
