import { DataType } from '../../onnx/dataType';
import type { InferContext, ShapeRule } from '../types';
import { fact, normalizeAxis } from '../util';
import { intsFromInputOrAttr } from './tensor';

const sameAsInput: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return x ? [{ dtype: x.dtype, shape: x.shape }] : [];
};

const batchNorm: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x) return [];
  const c = x.shape ? [x.shape[1] ?? 1] : undefined;
  const stat = { dtype: x.dtype, shape: c };
  return [{ dtype: x.dtype, shape: x.shape }, stat, stat, stat, stat];
};

const layerNorm: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (!x) return [];
  const shape = ctx.shapeOf(0);
  const axis = normalizeAxis(ctx.int('axis', -1), shape.length);
  const stats = [...shape.slice(0, axis), ...shape.slice(axis).map(() => 1)];
  const statType = ctx.int('stash_type', 1) === 1 ? DataType.FLOAT : x.dtype;
  return [{ dtype: x.dtype, shape }, { dtype: statType, shape: stats }, { dtype: statType, shape: stats }];
};

/** Reduction axes: attribute before the opset that moved them to input 1 (13 for ReduceSum, 18 for others). */
function reduceAxes(ctx: InferContext): readonly number[] | undefined {
  const movedAt = ctx.node.opType === 'ReduceSum' ? 13 : 18;
  return ctx.opset >= movedAt ? intsFromInputOrAttr(ctx, 1, 'axes') : ctx.has('axes') ? ctx.ints('axes') : undefined;
}

const reduce: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  const x = ctx.shapeOf(0);
  const keep = ctx.int('keepdims', 1) === 1;
  let axes = reduceAxes(ctx);
  if (!axes || axes.length === 0) {
    if (ctx.int('noop_with_empty_axes', 0) === 1) return [{ dtype: src?.dtype ?? 0, shape: x }];
    axes = x.map((_, i) => i);
  }
  const set = new Set(axes.map((a) => normalizeAxis(a, x.length)));
  const shape = x.flatMap((d, i) => (set.has(i) ? (keep ? [1] : []) : [d]));
  const data = reduceAll(ctx.node.opType, src?.value?.data, set.size === x.length);
  return [fact(src?.dtype ?? 0, shape, data)];
};

/** Folds full reductions of known small tensors (shape arithmetic uses ReduceProd of a Shape). */
function reduceAll(op: string, data: readonly (number | string)[] | undefined, all: boolean): number[] | undefined {
  if (!data || !all) return undefined;
  const xs = data.map(Number);
  if (op === 'ReduceProd') return [xs.reduce((a, b) => a * b, 1)];
  if (op === 'ReduceSum') return [xs.reduce((a, b) => a + b, 0)];
  if (op === 'ReduceMax') return [Math.max(...xs)];
  if (op === 'ReduceMin') return [Math.min(...xs)];
  return undefined;
}

const argReduce: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const axis = normalizeAxis(ctx.int('axis', 0), x.length);
  const keep = ctx.int('keepdims', 1) === 1;
  const shape = x.flatMap((d, i) => (i === axis ? (keep ? [1] : []) : [d]));
  return [{ dtype: DataType.INT64, shape }];
};

const lrn: ShapeRule = (ctx) => {
  ctx.int('size');
  return sameAsInput(ctx);
};

export const normRules: Record<string, ShapeRule> = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  InstanceNormalization: sameAsInput,
  GroupNormalization: sameAsInput,
  MeanVarianceNormalization: sameAsInput,
  LpNormalization: sameAsInput,
  LRN: lrn,
  Softmax: sameAsInput,
  LogSoftmax: sameAsInput,
  Hardmax: sameAsInput,
  ReduceMean: reduce,
  ReduceSum: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceProd: reduce,
  ReduceL1: reduce,
  ReduceL2: reduce,
  ReduceLogSum: reduce,
  ReduceLogSumExp: reduce,
  ReduceSumSquare: reduce,
  ArgMax: argReduce,
  ArgMin: argReduce,
};

