import { DataType } from '../../onnx/dataType';
import { elementCount } from '../../onnx/tensorValues';
import { gatherValues, strides } from '../fold';
import { ShapeConflict, type InferContext, type ShapeRule } from '../types';
import { fact, normalizeAxis, numbers } from '../util';

/** Same shape and dtype as input 0, values dropped (Scatter*, Trilu, CumSum, ReverseSequence). */
const likeData: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return x ? [{ dtype: x.dtype, shape: x.shape }] : [];
};

/** ONNX GatherElements: the output takes the indices' shape. */
const gatherElements: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  const x = ctx.shapeOf(0);
  const shape = ctx.shapeOf(1);
  const axis = normalizeAxis(ctx.int('axis', 0), x.length);
  const indices = ctx.input(1)?.value;
  let data: (number | string)[] | undefined;
  if (indices) {
    const st = strides(x);
    const ist = strides(shape);
    const dim = x[axis] as number;
    data = gatherValues(src?.value, shape, (c) => {
      let idx = Number(indices.data[c.reduce((s, ci, a) => s + ci * (ist[a] as number), 0)]);
      if (idx < 0) idx += dim;
      return c.reduce((s, ci, a) => s + (a === axis ? idx : ci) * (st[a] as number), 0);
    });
  }
  return [fact(src?.dtype ?? 0, shape, data)];
};

/** ONNX GatherND: indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:]. */
const gatherND: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const ind = ctx.shapeOf(1);
  const batchDims = ctx.int('batch_dims', 0);
  const last = ind[ind.length - 1] ?? 0;
  if (batchDims + last > x.length) throw new ShapeConflict(`GatherND index depth ${last} exceeds data rank ${x.length}`);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [...ind.slice(0, -1), ...x.slice(batchDims + last)] }];
};

const eyeLike: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const dtype = ctx.int('dtype', x?.dtype ?? DataType.FLOAT);
  return [{ dtype, shape: ctx.shapeOf(0) }];
};

/** ONNX OneHot: a depth axis is inserted at `axis` of the indices' shape. */
const oneHot: ShapeRule = (ctx) => {
  const ind = ctx.shapeOf(0);
  const depth = Math.trunc(Number(ctx.valueOf(1).data[0]));
  if (!(depth > 0)) throw new ShapeConflict(`OneHot depth ${depth} is not positive`);
  const axis = normalizeAxis(ctx.int('axis', -1), ind.length + 1);
  const shape = [...ind.slice(0, axis), depth, ...ind.slice(axis)];
  return [{ dtype: ctx.input(2)?.dtype ?? DataType.FLOAT, shape }];
};

/** N, C, H, W of a 4-D input (DepthToSpace / SpaceToDepth). */
function nchw(ctx: InferContext): [number, number, number, number] {
  const x = ctx.shapeOf(0);
  if (x.length !== 4) throw new ShapeConflict(`${ctx.node.opType} expects a 4-D input, got rank ${x.length}`);
  return x as unknown as [number, number, number, number];
}

const depthToSpace: ShapeRule = (ctx) => {
  const [n, c, h, w] = nchw(ctx);
  const b = ctx.int('blocksize');
  if (c % (b * b) !== 0) throw new ShapeConflict(`DepthToSpace: ${c} channels are not divisible by ${b * b}`);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [n, c / (b * b), h * b, w * b] }];
};

const spaceToDepth: ShapeRule = (ctx) => {
  const [n, c, h, w] = nchw(ctx);
  const b = ctx.int('blocksize');
  if (h % b !== 0 || w % b !== 0) throw new ShapeConflict(`SpaceToDepth: ${h}×${w} is not divisible by block size ${b}`);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [n, c * b * b, h / b, w / b] }];
};

/** Folds CumSum of a known small tensor (exporters compute offsets with it). */
const cumSum: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  if (!src) return [];
  const x = src.shape;
  const axisValue = ctx.input(1)?.value;
  if (!x || !src.value || !axisValue || elementCount(x) === 0) return likeData(ctx);
  const axis = normalizeAxis(Number(axisValue.data[0]), x.length);
  const exclusive = ctx.int('exclusive', 0) === 1;
  const reverse = ctx.int('reverse', 0) === 1;
  const values = numbers(src.value);
  const out = new Array<number>(values.length).fill(0);
  const stride = strides(x)[axis] as number;
  const dim = x[axis] as number;
  for (let base = 0; base < values.length; base++) {
    if (Math.floor(base / stride) % dim !== 0) continue;
    let sum = 0;
    for (let k = 0; k < dim; k++) {
      const at = base + (reverse ? dim - 1 - k : k) * stride;
      if (exclusive) out[at] = sum;
      sum += values[at] as number;
      if (!exclusive) out[at] = sum;
    }
  }
  return [fact(src.dtype, x, out)];
};

export const indexingRules: Record<string, ShapeRule> = {
  GatherElements: gatherElements,
  GatherND: gatherND,
  ScatterElements: likeData,
  Scatter: likeData,
  ScatterND: likeData,
  Trilu: likeData,
  CumSum: cumSum,
  ReverseSequence: likeData,
  EyeLike: eyeLike,
  OneHot: oneHot,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
};
