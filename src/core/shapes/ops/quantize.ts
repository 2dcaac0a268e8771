import { DataType } from '../../onnx/dataType';
import type { ShapeRule } from '../types';
import { convRules } from './conv';
import { matmulShape } from './math';
import { withInputSlots } from './remap';

/** ONNX QuantizeLinear: x's shape; the type of y_zero_point (uint8 without one), or output_dtype (opset 21). */
const quantizeLinear: ShapeRule = (ctx) => {
  const zeroPoint = ctx.input(2)?.dtype;
  const dtype = ctx.int('output_dtype', 0) || zeroPoint || DataType.UINT8;
  return [{ dtype, shape: ctx.input(0)?.shape }];
};

/** ONNX DequantizeLinear: x's shape in x_scale's type (float before opset 19). */
const dequantizeLinear: ShapeRule = (ctx) => {
  const dtype = ctx.opset >= 19 ? (ctx.input(1)?.dtype ?? DataType.FLOAT) : DataType.FLOAT;
  return [{ dtype, shape: ctx.input(0)?.shape }];
};

/** ONNX DynamicQuantizeLinear: y (uint8, x's shape), scalar y_scale and y_zero_point. */
const dynamicQuantizeLinear: ShapeRule = (ctx) => [
  { dtype: DataType.UINT8, shape: ctx.input(0)?.shape },
  { dtype: DataType.FLOAT, shape: [] },
  { dtype: DataType.UINT8, shape: [] },
];

/** QLinearConv inputs: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B; shapes follow Conv on x, w, B. */
const qlinearConv: ShapeRule = (ctx) => {
  const conv = convRules.Conv;
  const [y] = conv ? conv(withInputSlots(ctx, [0, 3, 8])) : [];
  return [{ dtype: ctx.input(7)?.dtype ?? ctx.input(0)?.dtype ?? DataType.UINT8, shape: y?.shape }];
};

/** QLinearMatMul inputs: a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp. */
const qlinearMatMul: ShapeRule = (ctx) => [
  { dtype: ctx.input(7)?.dtype ?? DataType.UINT8, shape: matmulShape(ctx.shapeOf(0), ctx.shapeOf(3)) },
];

export const quantizeRules: Record<string, ShapeRule> = {
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
  DynamicQuantizeLinear: dynamicQuantizeLinear,
  QLinearConv: qlinearConv,
  QLinearMatMul: qlinearMatMul,
};
