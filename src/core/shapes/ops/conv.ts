import { DataType } from '../../onnx/dataType';
import { ShapeConflict, type InferContext, type Shape, type ShapeRule } from '../types';

interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly pads: readonly number[];
  readonly autoPad: string;
}

function windowOf(ctx: InferContext, kernel: readonly number[]): Window {
  const n = kernel.length;
  const ones = kernel.map(() => 1);
  return {
    kernel,
    strides: ctx.ints('strides', ones),
    dilations: ctx.ints('dilations', ones),
    pads: ctx.ints('pads', [...ones, ...ones].map(() => 0)).slice(0, 2 * n),
    autoPad: ctx.string('auto_pad', 'NOTSET'),
  };
}

/** Output spatial size of a convolution or pooling window (ONNX Conv / MaxPool spec). */
function windowOutput(input: Shape, w: Window, ceil: boolean): number[] {
  return input.map((size, i) => {
    const stride = w.strides[i] ?? 1;
    const span = ((w.kernel[i] ?? 1) - 1) * (w.dilations[i] ?? 1) + 1;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
    const padded = w.autoPad === 'VALID' ? size : size + (w.pads[i] ?? 0) + (w.pads[i + input.length] ?? 0);
    const steps = (padded - span) / stride;
    let out = (ceil ? Math.ceil(steps) : Math.floor(steps)) + 1;
    // With ceil_mode, a window that would start inside the end padding is dropped (as ORT/PyTorch do).
    if (ceil && w.autoPad !== 'VALID' && (out - 1) * stride >= size + (w.pads[i] ?? 0)) out--;
    return Math.max(out, 0);
  });
}

const conv: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const wShape = ctx.shapeOf(1);
  const group = ctx.int('group', 1);
  const kernel = ctx.ints('kernel_shape', wShape.slice(2));
  if ((x[1] ?? 0) !== (wShape[1] ?? 0) * group) {
    throw new ShapeConflict(`input has ${x[1]} channels but weights expect ${(wShape[1] ?? 0) * group} (group ${group})`);
  }
  const spatial = windowOutput(x.slice(2), windowOf(ctx, kernel), false);
  const dtype = ctx.node.opType === 'ConvInteger' ? DataType.INT32 : (ctx.input(0)?.dtype ?? 0);
  return [{ dtype, shape: [x[0] ?? 1, wShape[0] ?? 0, ...spatial] }];
};

const convTranspose: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const wShape = ctx.shapeOf(1);
  const group = ctx.int('group', 1);
  const kernel = ctx.ints('kernel_shape', wShape.slice(2));
  const w = windowOf(ctx, kernel);
  const n = kernel.length;
  const outPad = ctx.ints('output_padding', kernel.map(() => 0));
  const given = ctx.ints('output_shape', []);
  const spatial = x.slice(2).map((size, i) => {
    if (given.length) return given[given.length - n + i] as number;
    const stride = w.strides[i] ?? 1;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return size * stride;
    const span = ((kernel[i] ?? 1) - 1) * (w.dilations[i] ?? 1) + 1;
    const pads = w.autoPad === 'VALID' ? 0 : (w.pads[i] ?? 0) + (w.pads[i + n] ?? 0);
    return stride * (size - 1) + (outPad[i] ?? 0) + span - pads;
  });
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [x[0] ?? 1, (wShape[1] ?? 0) * group, ...spatial] }];
};

function pool(withIndices: boolean): ShapeRule {
  return (ctx) => {
    const x = ctx.shapeOf(0);
    const kernel = ctx.ints('kernel_shape');
    const spatial = windowOutput(x.slice(2), windowOf(ctx, kernel), ctx.int('ceil_mode', 0) === 1);
    const shape = [x[0] ?? 1, x[1] ?? 1, ...spatial];
    const out = { dtype: ctx.input(0)?.dtype ?? 0, shape };
    return withIndices ? [out, { dtype: DataType.INT64, shape }] : [out];
  };
}

const globalPool: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [x[0] ?? 1, x[1] ?? 1, ...x.slice(2).map(() => 1)] }];
};

const maxUnpool: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const dtype = ctx.input(0)?.dtype ?? 0;
  if (ctx.input(2)) return [{ dtype, shape: ctx.valueOf(2).data.map(Number) }];
  const kernel = ctx.ints('kernel_shape');
  const w = windowOf(ctx, kernel);
  const n = kernel.length;
  const spatial = x.slice(2).map(
    (size, i) => (size - 1) * (w.strides[i] ?? 1) + (kernel[i] ?? 1) - (w.pads[i] ?? 0) - (w.pads[i + n] ?? 0),
  );
  return [{ dtype, shape: [x[0] ?? 1, x[1] ?? 1, ...spatial] }];
};

export const convRules: Record<string, ShapeRule> = {
  Conv: conv,
  ConvInteger: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool(true),
  AveragePool: pool(false),
  LpPool: pool(false),
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  MaxUnpool: maxUnpool,
};
