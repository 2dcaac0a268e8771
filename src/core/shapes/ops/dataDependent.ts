import { DataType } from '../../onnx/dataType';
import type { ConstTensor } from '../../onnx/tensorValues';
import { strides } from '../fold';
import { ShapeConflict, ShapeUnknown, type InferContext, type ShapeRule } from '../types';
import { fact, normalizeAxis, product } from '../util';

/*
 * Ops whose output sizes depend on input values: they are evaluated when those values are known
 * (constants, or values given for graph inputs) and stay unknown otherwise.
 */

/** Values of input `i`, or ShapeUnknown naming the op whose output size they decide. */
function dataOf(ctx: InferContext, i: number): ConstTensor {
  const v = ctx.input(i)?.value;
  if (!v) throw new ShapeUnknown(`${ctx.node.opType} output size depends on the values of input ${i}, which are not known statically`);
  return v;
}

/** ONNX NonZero: int64 [rank, count] of coordinates, row-major. */
const nonZero: ShapeRule = (ctx) => {
  const x = dataOf(ctx, 0);
  const st = strides(x.dims);
  const hits: number[] = [];
  x.data.forEach((v, i) => {
    if (typeof v === 'string' ? v !== '' : v !== 0) hits.push(i);
  });
  const data = x.dims.flatMap((d, a) => hits.map((i) => Math.floor(i / (st[a] as number)) % d));
  return [fact(DataType.INT64, [x.dims.length, hits.length], data)];
};

/** Keys of the slices of `x` along `axis` (the whole flattened tensor when axis is undefined). */
function sliceKeys(x: ConstTensor, axis: number | undefined): string[] {
  if (axis === undefined) return x.data.map((v) => `${typeof v}:${v}`);
  const dim = x.dims[axis] as number;
  const inner = product(x.dims.slice(axis + 1));
  const outer = product(x.dims.slice(0, axis));
  return Array.from({ length: dim }, (_, k) => {
    const parts: string[] = [];
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) parts.push(String(x.data[(o * dim + k) * inner + i]));
    }
    return parts.join(',');
  });
}

/** ONNX Unique: Y, indices, inverse_indices, counts; only the number of distinct entries is data-dependent. */
const unique: ShapeRule = (ctx) => {
  const x = dataOf(ctx, 0);
  const axis = ctx.has('axis') ? normalizeAxis(ctx.int('axis'), x.dims.length) : undefined;
  const keys = sliceKeys(x, axis);
  const n = new Set(keys).size;
  const yShape = axis === undefined ? [n] : x.dims.map((d, a) => (a === axis ? n : d));
  const int64 = (shape: number[]): { dtype: number; shape: number[] } => ({ dtype: DataType.INT64, shape });
  return [{ dtype: x.dtype, shape: yShape }, int64([n]), int64([keys.length]), int64([n])];
};

/** ONNX Compress: keeps the slices whose condition entry is true (a condition shorter than the axis stops early). */
const compress: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const cond = dataOf(ctx, 1).data;
  const axis = ctx.has('axis') ? normalizeAxis(ctx.int('axis'), x.length) : undefined;
  const limit = axis === undefined ? product(x) : (x[axis] as number);
  const kept = cond.slice(0, limit).filter((c) => Number(c) !== 0).length;
  const shape = axis === undefined ? [kept] : x.map((d, a) => (a === axis ? kept : d));
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape }];
};

/** ONNX TopK: K moved from attribute to input 1 at opset 10. */
const topK: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const axis = normalizeAxis(ctx.int('axis', -1), x.length);
  const k = ctx.opset >= 10 ? Number(dataOf(ctx, 1).data[0]) : ctx.int('k');
  if (k < 0 || k > (x[axis] as number)) throw new ShapeConflict(`TopK k=${k} exceeds axis size ${x[axis]}`);
  const shape = x.map((d, a) => (a === axis ? k : d));
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape }, { dtype: DataType.INT64, shape }];
};

/** ONNX StringNormalizer: stopwords are dropped; an empty result keeps one empty string. */
const stringNormalizer: ShapeRule = (ctx) => {
  const x = dataOf(ctx, 0);
  const sensitive = ctx.int('is_case_sensitive', 0) === 1;
  const norm = (s: string): string => (sensitive ? s : s.toLowerCase());
  const stop = new Set(ctx.has('stopwords') ? stopwords(ctx).map(norm) : []);
  const kept = x.data.map(String).filter((s) => !stop.has(norm(s)));
  const action = ctx.string('case_change_action', 'NONE');
  const out = kept.length ? kept : [''];
  const data = out.map((s) => (action === 'LOWER' ? s.toLowerCase() : action === 'UPPER' ? s.toUpperCase() : s));
  const shape = x.dims.length === 2 ? [1, data.length] : [data.length];
  return [fact(DataType.STRING, shape, data)];
};

function stopwords(ctx: InferContext): readonly string[] {
  const a = ctx.node.attributes.get('stopwords');
  return a?.kind === 'strings' ? a.value : [];
}

export const dataDependentRules: Record<string, ShapeRule> = {
  NonZero: nonZero,
  Unique: unique,
  Compress: compress,
  TopK: topK,
  StringNormalizer: stringNormalizer,
};
