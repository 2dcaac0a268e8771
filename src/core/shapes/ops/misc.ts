import { DataType } from '../../onnx/dataType';
import { ShapeConflict, type ShapeRule } from '../types';
import { fact, numbers } from '../util';

/** Input 0's shape in the type of the `dtype` attribute, else input 0's type (Bernoulli, Random*Like). */
const likeInputWithDtype: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [{ dtype: ctx.int('dtype', x?.dtype ?? DataType.FLOAT), shape: x?.shape }];
};

/** RandomUniform / RandomNormal: shape and dtype from attributes. */
const randomFromAttrs: ShapeRule = (ctx) => [{ dtype: ctx.int('dtype', DataType.FLOAT), shape: ctx.ints('shape') }];

/** ONNX Multinomial: [batch, sample_size], int32 by default. */
const multinomial: ShapeRule = (ctx) => [
  { dtype: ctx.int('dtype', DataType.INT32), shape: [ctx.shapeOf(0)[0] as number, ctx.int('sample_size', 1)] },
];

/** ONNX GridSample: [N, C, *grid spatial dims]; the grid is [N, D1…Dr, r]. */
const gridSample: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const grid = ctx.shapeOf(1);
  if (grid.length !== x.length) throw new ShapeConflict(`GridSample grid rank ${grid.length} differs from input rank ${x.length}`);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [x[0] as number, x[1] as number, ...grid.slice(1, -1)] }];
};

/** ONNX RoiAlign: [num_rois, C, output_height, output_width]. */
const roiAlign: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const rois = ctx.shapeOf(1);
  const shape = [rois[0] as number, x[1] as number, ctx.int('output_height', 1), ctx.int('output_width', 1)];
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape }];
};

/** ONNX MaxRoiPool: [num_rois, C, pooled_h, pooled_w]. */
const maxRoiPool: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const [h, w] = ctx.ints('pooled_shape') as [number, number];
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [ctx.shapeOf(1)[0] as number, x[1] as number, h, w] }];
};

/** ONNX Det: the batch dims of [*, M, M]. */
const det: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  if (x.length < 2 || x[x.length - 1] !== x[x.length - 2]) throw new ShapeConflict(`Det needs square matrices, got [${x.join(', ')}]`);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: x.slice(0, -2) }];
};

/** ONNX TfIdfVectorizer: [C] → [max(ngram_indexes) + 1], [N, C] → [N, max + 1]. */
const tfIdfVectorizer: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const width = Math.max(-1, ...ctx.ints('ngram_indexes')) + 1;
  return [{ dtype: DataType.FLOAT, shape: x.length === 2 ? [x[0] as number, width] : [width] }];
};

/** OptionalGetElement: the contained tensor (a plain tensor passes through, opset 18). */
const optionalGetElement: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return x ? [{ dtype: x.dtype, shape: x.shape, value: x.value }] : [];
};

/** OptionalHasElement: a bool scalar (known false when the optional input is omitted). */
const optionalHasElement: ShapeRule = (ctx) => [fact(DataType.BOOL, [], ctx.input(0) ? undefined : [0])];

/** ONNX Col2Im: [N, C, *image_shape] with C = columns' dim 1 / ∏block_shape. */
const col2Im: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const image = numbers(ctx.valueOf(1));
  const block = numbers(ctx.valueOf(2)).reduce((a, b) => a * b, 1);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [x[0] as number, (x[1] as number) / block, ...image] }];
};

export const miscRules: Record<string, ShapeRule> = {
  Bernoulli: likeInputWithDtype,
  RandomUniformLike: likeInputWithDtype,
  RandomNormalLike: likeInputWithDtype,
  RandomUniform: randomFromAttrs,
  RandomNormal: randomFromAttrs,
  Multinomial: multinomial,
  GridSample: gridSample,
  RoiAlign: roiAlign,
  MaxRoiPool: maxRoiPool,
  Det: det,
  TfIdfVectorizer: tfIdfVectorizer,
  OptionalGetElement: optionalGetElement,
  OptionalHasElement: optionalHasElement,
  Col2Im: col2Im,
};
