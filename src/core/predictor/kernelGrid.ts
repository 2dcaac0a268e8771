import { onnx } from 'onnx-proto';
import { analyzeModel } from '../analysis';
import { decodeModel } from '../onnx/decode';

/**
 * A sampled grid of single kernels (nn-Meter, Zhang et al., MobiSys 2021: predict a model from
 * the kernels it is made of, trained on kernels sampled over the configuration space rather than
 * on a handful of whole networks). One ONNX model holds every sampled kernel as an independent
 * node with its own input and output, so one `edgecut profile` run times them all with ONNX
 * Runtime's per-node profiler and `edgecut fit` learns from shapes no training network had.
 */
export interface KernelSpec {
  readonly op: 'Conv' | 'MatMul' | 'Gemm' | 'MaxPool' | 'AveragePool' | 'GlobalAveragePool' | 'Relu' | 'Sigmoid' | 'HardSigmoid' | 'Add' | 'Mul' | 'Concat' | 'BatchNormalization';
  /** Input shape (NCHW for convolution and pooling; [.., M, K] for MatMul; [M, K] for Gemm). */
  readonly input: readonly number[];
  /** Conv: output channels, kernel, stride, groups. */
  readonly cout?: number;
  readonly kernel?: number;
  readonly stride?: number;
  readonly groups?: number;
  /** MatMul/Gemm: output features; MatMul with `activations` multiplies two inputs (attention). */
  readonly n?: number;
  readonly activations?: boolean;
}

/** The producer name that marks a kernel-grid model (and its profile) for `fit`. */
export const KERNEL_GRID_PRODUCER = 'edgecut-kernel-grid';

const CHANNELS = [8, 16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512];
const SQUARE = [7, 14, 28, 56, 112];
/** Text-recognition feature maps are short and wide (PP-OCR rec: 48×320 in). */
const WIDE: readonly (readonly [number, number])[] = [[1, 40], [3, 80], [6, 80], [12, 160], [24, 160], [48, 192]];
const FEATURES = [32, 64, 96, 120, 192, 256, 384, 512, 768, 1000, 1024, 2048];
const ROWS = [1, 4, 16, 40, 80, 160, 320];

/** How many kernels of each family the grid keeps (times `scale`). */
const FAMILIES = { conv: 36, pointwise: 36, depthwise: 24, matmul: 18, attention: 8, gemm: 10, pool: 18, elementwise: 30 } as const;
type Family = keyof typeof FAMILIES;

/**
 * The kernel grid: a deterministic sample of configurations per family, kept within `maxMacs` per
 * kernel as EdgeCut's own cost model counts them, and the ONNX model that holds them.
 */
export function kernelGrid(seed = 1, scale = 1, maxMacs = 150e6): { kernels: KernelSpec[]; model: Uint8Array } {
  // Three candidates per kept kernel, costed by the analysis; the first ones within budget stay.
  const candidates = sampleKernels(seed, 3 * scale);
  const macs = layerMacs(kernelGridModel(candidates.map((c) => c.kernel)));
  const kept: KernelSpec[] = [];
  const count = new Map<Family, number>();
  candidates.forEach((c, i) => {
    const n = count.get(c.family) ?? 0;
    if (n >= Math.round(FAMILIES[c.family] * scale) || (macs[i] ?? Infinity) > maxMacs) return;
    count.set(c.family, n + 1);
    kept.push(c.kernel);
  });
  return { kernels: kept, model: kernelGridModel(kept) };
}

/** MACs per kernel (node i is kernel i) from EdgeCut's analysis of the grid model. */
function layerMacs(model: Uint8Array): number[] {
  const layers = analyzeModel(decodeModel(model)).layers.layers;
  const byName = new Map(layers.map((l) => [l.name, l.macs]));
  return (onnx.ModelProto.decode(model).graph?.node ?? []).map((n) => byName.get(n.name ?? '') ?? Infinity);
}

/** Candidate configurations, `FAMILIES` × `scale` of each, in a deterministic order. */
function sampleKernels(seed: number, scale: number): { family: Family; kernel: KernelSpec }[] {
  let s = seed >>> 0 || 1;
  const rand = (): number => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const map = (): readonly [number, number] => {
    const side = pick(SQUARE);
    return rand() < 0.75 ? [side, side] : pick(WIDE);
  };
  const conv = (kernel: () => number, depthwise: boolean) => (): KernelSpec => {
    const [h, w] = map();
    const cin = pick(CHANNELS);
    return { op: 'Conv', input: [1, cin, h, w], cout: depthwise ? cin : pick(CHANNELS), kernel: Math.min(kernel(), h, w) || 1, stride: rand() < 0.25 && h > 1 ? 2 : 1, groups: depthwise ? cin : 1 };
  };
  const make: Record<Family, () => KernelSpec> = {
    conv: conv(() => pick([3, 3, 3, 5, 7]), false),
    pointwise: conv(() => 1, false),
    depthwise: conv(() => pick([3, 3, 5]), true),
    matmul: () => ({ op: 'MatMul', input: [1, pick(ROWS), pick(FEATURES)], n: pick(FEATURES) }),
    attention: () => {
      const heads = pick([1, 2, 4, 8]);
      const m = pick([16, 40, 80, 160]);
      return { op: 'MatMul', input: [1, heads, m, pick([32, 64])], n: m, activations: true };
    },
    gemm: () => ({ op: 'Gemm', input: [1, pick(FEATURES)], n: pick(FEATURES) }),
    pool: () => {
      const [h, w] = map();
      const op = pick(['MaxPool', 'MaxPool', 'AveragePool', 'GlobalAveragePool'] as const);
      return { op, input: [1, pick(CHANNELS), h, w], kernel: Math.min(pick([2, 3]), h, w), stride: pick([1, 2]) };
    },
    elementwise: () => {
      const [h, w] = map();
      return { op: pick(['Relu', 'Sigmoid', 'HardSigmoid', 'Add', 'Mul', 'Concat', 'BatchNormalization'] as const), input: [1, pick(CHANNELS), h, w] };
    },
  };
  return (Object.keys(FAMILIES) as Family[]).flatMap((family) => Array.from({ length: Math.round(FAMILIES[family] * scale) }, () => ({ family, kernel: make[family]() })));
}

/**
 * The ONNX model (opset 13) with one node per kernel, weights as external data that is not
 * shipped: `edgecut profile` gives graph-only models synthetic weights of the right shapes.
 * Outputs are declared with the shapes EdgeCut's own inference derives for them.
 */
export function kernelGridModel(kernels: readonly KernelSpec[]): Uint8Array {
  const facts = analyzeModel(decodeModel(gridModel(kernels, () => undefined))).shapes.facts;
  return gridModel(kernels, (name) => facts.get(name)?.shape?.map(Number));
}

function gridModel(kernels: readonly KernelSpec[], outputShape: (name: string) => readonly number[] | undefined): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const inputs: onnx.IValueInfoProto[] = [];
  const outputs: onnx.IValueInfoProto[] = [];
  const initializer: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  const value = (name: string, dims: readonly number[] | undefined): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: F, ...(dims ? { shape: { dim: dims.map((d) => ({ dimValue: d })) } } : {}) } } });
  const weight = (name: string, dims: readonly number[]): string => {
    initializer.push({ name, dataType: F, dims: [...dims], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'kernel-grid.weights' }] });
    return name;
  };
  const ints = (name: string, v: readonly number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...v] });
  const int = (name: string, v: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
  kernels.forEach((k, i) => {
    const id = `k${String(i).padStart(3, '0')}_${k.op}`;
    const x = `${id}_in`;
    inputs.push(value(x, k.input));
    const ins = [x];
    const attribute: onnx.IAttributeProto[] = [];
    const c = k.input[1] ?? 1;
    switch (k.op) {
      case 'Conv': {
        const kk = k.kernel ?? 1;
        ins.push(weight(`${id}_w`, [k.cout ?? c, c / (k.groups ?? 1), kk, kk]), weight(`${id}_b`, [k.cout ?? c]));
        const pad = Math.floor(kk / 2);
        attribute.push(ints('kernel_shape', [kk, kk]), ints('strides', [k.stride ?? 1, k.stride ?? 1]), ints('pads', [pad, pad, pad, pad]), int('group', k.groups ?? 1));
        break;
      }
      case 'MatMul': {
        const kdim = k.input.at(-1) as number;
        if (k.activations) {
          const y = `${id}_in2`;
          inputs.push(value(y, [...k.input.slice(0, -2), kdim, k.n ?? 1]));
          ins.push(y);
        } else ins.push(weight(`${id}_w`, [kdim, k.n ?? 1]));
        break;
      }
      case 'Gemm':
        ins.push(weight(`${id}_w`, [k.n ?? 1, k.input[1] ?? 1]), weight(`${id}_b`, [k.n ?? 1]));
        attribute.push(int('transB', 1));
        break;
      case 'MaxPool':
      case 'AveragePool':
        attribute.push(ints('kernel_shape', [k.kernel ?? 2, k.kernel ?? 2]), ints('strides', [k.stride ?? 1, k.stride ?? 1]));
        break;
      case 'Add':
      case 'Mul':
      case 'Concat': {
        const y = `${id}_in2`;
        inputs.push(value(y, k.input));
        ins.push(y);
        if (k.op === 'Concat') attribute.push(int('axis', 1));
        break;
      }
      case 'BatchNormalization':
        for (const p of ['scale', 'bias', 'mean', 'var']) ins.push(weight(`${id}_${p}`, [c]));
        break;
      default:
        break;
    }
    const y = `${id}_out`;
    nodes.push({ name: id, opType: k.op, input: ins, output: [y], attribute });
    outputs.push(value(y, outputShape(y)));
  });
  const model = new onnx.ModelProto({
    irVersion: 7,
    producerName: KERNEL_GRID_PRODUCER,
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'kernel_grid', node: nodes, input: inputs, output: outputs, initializer, docString: `${kernels.length} independent kernels sampled for latency regression (nn-Meter)` },
  });
  return onnx.ModelProto.encode(model).finish();
}
