import { onnx } from 'onnx-proto';
import { ModelError } from '../errors';
import { decodeTensor, decodeSparseTensor, toNumber } from './decodeTensor';
import { scanTopLevel } from './wireScan';
import type {
  AttributeValue,
  DeclaredDim,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  TensorData,
  ValueInfo,
  ValueKind,
} from './model';

/** Versions EdgeCut reads; later IRs usually still decode (unknown fields are skipped). */
export const IR_VERSIONS = { min: 3, max: 10 } as const;

/**
 * Decodes an ONNX ModelProto. `bytes` is kept alive: raw_data tensors are views into it.
 * Throws ModelError for anything that is not a decodable model.
 */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  rejectKnownNonModels(bytes);
  checkModelWireFormat(bytes);
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw decodeFailure(e, bytes.length);
  }
  const warnings: string[] = [];
  const irVersion = toNumber(proto.irVersion);
  if (!proto.graph || irVersion <= 0) {
    throw new ModelError(
      'not-onnx',
      `not an ONNX model: the file decodes as protobuf but has no ${proto.graph ? 'ir_version' : 'graph'}`,
    );
  }
  if (irVersion > IR_VERSIONS.max) {
    warnings.push(`IR version ${irVersion} is newer than ${IR_VERSIONS.max}; unknown fields were skipped`);
  }
  const opsets: Record<string, number> = {};
  for (const o of proto.opsetImport) opsets[o.domain ?? ''] = toNumber(o.version);
  if (irVersion < 3 && opsets[''] === undefined) opsets[''] = 1;
  const graph = decodeGraph(proto.graph, warnings, 'main');
  if (graph.nodes.length === 0) {
    throw new ModelError('empty-graph', 'the model graph has no nodes: nothing to run or to partition');
  }
  return {
    irVersion,
    opsets,
    producer: proto.producerName ?? '',
    producerVersion: proto.producerVersion ?? '',
    graph,
    warnings,
  };
}

function rejectKnownNonModels(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ModelError('truncated', 'the file is empty (0 bytes)');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)) {
    throw new ModelError(
      'zip-archive',
      'this is a zip archive (a PyTorch .pt checkpoint or a zipped model?), not an ONNX protobuf: export or unzip it first',
    );
  }
}

/** ModelProto: ir_version (1) is a varint, graph (7) and opset_import (8) are length-delimited. */
const MODEL_FIELD_WIRE: Readonly<Record<number, number>> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

function checkModelWireFormat(bytes: Uint8Array): void {
  const scan = scanTopLevel(bytes);
  if (scan.kind === 'truncated') {
    throw new ModelError(
      'truncated',
      `the file is truncated: field ${scan.field} at byte ${scan.at} runs past the end of the ${bytes.length}-byte file`,
    );
  }
  if (scan.kind === 'invalid') {
    throw new ModelError('not-onnx', `not an ONNX model: not protobuf data (${scan.why} at byte ${scan.at})`);
  }
  for (const [field, wire] of scan.fields) {
    const expected = MODEL_FIELD_WIRE[field];
    if (expected !== undefined && expected !== wire) {
      throw new ModelError(
        'not-onnx',
        `not an ONNX model: a protobuf message of another kind (field ${field} has wire type ${wire}; a TensorProto or other .pb file?)`,
      );
    }
  }
  if (!scan.fields.has(7)) {
    throw new ModelError('not-onnx', 'not an ONNX model: the protobuf message has no graph (field 7)');
  }
}

function decodeFailure(e: unknown, size: number): ModelError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/index out of range/.test(msg)) {
    const at = /: (\d+) \+ (\d+) > (\d+)/.exec(msg);
    const where = at ? ` (a field at byte ${at[1]} needs ${at[2]} more bytes, the file has ${at[3]})` : '';
    return new ModelError('truncated', `the file is truncated or corrupt: protobuf data ends early${where}`);
  }
  return new ModelError('not-onnx', `not an ONNX model: protobuf decoding failed (${msg}) in a ${size}-byte file`);
}

function decodeGraph(g: onnx.IGraphProto, warnings: string[], path: string): OnnxGraph {
  const initializers = new Map<string, TensorData>();
  for (const t of g.initializer ?? []) {
    const tensor = decodeTensor(t);
    initializers.set(tensor.name, tensor);
  }
  for (const s of g.sparseInitializer ?? []) {
    const tensor = decodeSparseTensor(s);
    initializers.set(tensor.name, tensor);
  }
  const nodes = (g.node ?? []).map((n, i) => decodeNode(n, i, warnings, path));
  return {
    name: g.name ?? '',
    nodes,
    inputs: (g.input ?? []).map(decodeValueInfo),
    outputs: (g.output ?? []).map(decodeValueInfo),
    valueInfo: (g.valueInfo ?? []).map(decodeValueInfo),
    initializers,
  };
}

function decodeNode(n: onnx.INodeProto, index: number, warnings: string[], path: string): OnnxNode {
  const opType = n.opType ?? '';
  const attributes = new Map<string, AttributeValue>();
  for (const a of n.attribute ?? []) {
    attributes.set(a.name ?? '', decodeAttribute(a, warnings, `${path}/${n.name || opType}`));
  }
  return {
    name: n.name || `${opType}_${index}`,
    opType,
    domain: n.domain === 'ai.onnx' ? '' : (n.domain ?? ''),
    inputs: n.input ?? [],
    outputs: n.output ?? [],
    attributes,
  };
}

const utf8 = new TextDecoder();

function decodeAttribute(a: onnx.IAttributeProto, warnings: string[], path: string): AttributeValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type ?? inferAttributeType(a)) {
    case T.FLOAT: return { kind: 'float', value: a.f ?? 0 };
    case T.INT: return { kind: 'int', value: toNumber(a.i) };
    case T.STRING: return { kind: 'string', value: utf8.decode(a.s ?? new Uint8Array()) };
    case T.TENSOR: return { kind: 'tensor', value: decodeTensor(a.t ?? {}) };
    case T.GRAPH: return { kind: 'graph', value: decodeGraph(a.g ?? {}, warnings, `${path}.${a.name}`) };
    case T.SPARSE_TENSOR: return { kind: 'tensor', value: decodeSparseTensor(a.sparseTensor ?? {}) };
    case T.FLOATS: return { kind: 'floats', value: a.floats ?? [] };
    case T.INTS: return { kind: 'ints', value: (a.ints ?? []).map(toNumber) };
    case T.STRINGS: return { kind: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case T.TENSORS: return { kind: 'tensors', value: (a.tensors ?? []).map(decodeTensor) };
    case T.GRAPHS:
      return { kind: 'graphs', value: (a.graphs ?? []).map((g, i) => decodeGraph(g, warnings, `${path}.${a.name}[${i}]`)) };
    default: return { kind: 'other', type: a.type ?? 0 };
  }
}

/** IR < 3 files may omit AttributeProto.type; infer it from the field that is set. */
function inferAttributeType(a: onnx.IAttributeProto): number {
  const T = onnx.AttributeProto.AttributeType;
  if (a.g) return T.GRAPH;
  if (a.t) return T.TENSOR;
  if (a.s && a.s.length) return T.STRING;
  if (a.floats && a.floats.length) return T.FLOATS;
  if (a.ints && a.ints.length) return T.INTS;
  if (a.strings && a.strings.length) return T.STRINGS;
  if (a.graphs && a.graphs.length) return T.GRAPHS;
  if (a.tensors && a.tensors.length) return T.TENSORS;
  if (a.f) return T.FLOAT;
  return T.INT;
}

function decodeValueInfo(v: onnx.IValueInfoProto): ValueInfo {
  const name = v.name ?? '';
  let t = v.type ?? undefined;
  let kind: ValueKind = 'unknown';
  if (t?.tensorType) kind = 'tensor';
  else if (t?.sparseTensorType) kind = 'sparse';
  else if (t?.sequenceType) kind = 'sequence';
  else if (t?.optionalType) kind = 'optional';
  else if (t?.mapType) kind = 'map';
  // Sequences and optionals: describe their element tensor.
  for (let depth = 0; depth < 4 && t && !t.tensorType && !t.sparseTensorType; depth++) {
    t = t.sequenceType?.elemType ?? t.optionalType?.elemType ?? undefined;
  }
  const tensor = t?.tensorType ?? t?.sparseTensorType;
  const dtype = tensor?.elemType ?? 0;
  const dims: DeclaredDim[] | undefined = tensor?.shape
    ? (tensor.shape.dim ?? []).map((d) => {
        if (d.dimValue !== undefined && d.dimValue !== null && (d as onnx.TensorShapeProto.Dimension).value === 'dimValue') return toNumber(d.dimValue);
        if (d.dimParam) return d.dimParam;
        return null;
      })
    : undefined;
  return { name, kind, dtype, dims };
}
