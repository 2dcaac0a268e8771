import { DataType } from '../../onnx/dataType';
import { ShapeConflict, type InferContext, type ShapeRule } from '../types';
import { normalizeAxis } from '../util';

/** A scalar (or one-element) integer input whose value is needed. */
function scalarOf(ctx: InferContext, i: number): number {
  return Math.trunc(Number(ctx.valueOf(i).data[0]));
}

/** Frequency bins kept by a one-sided transform of length n (ONNX DFT / STFT `onesided`). */
function bins(n: number, onesided: boolean): number {
  return onesided ? Math.floor(n / 2) + 1 : n;
}

/**
 * ONNX DFT: the last axis holds real (1) or complex (2) components and becomes 2; the transformed
 * axis becomes dft_length (or keeps its size), halved+1 when one-sided. The axis is an attribute
 * (default 1) until opset 20, then input 2 (default -2).
 */
const dft: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const rank = x.length;
  const axisGiven = ctx.opset >= 20 ? (ctx.input(2) ? scalarOf(ctx, 2) : -2) : ctx.int('axis', 1);
  const axis = normalizeAxis(axisGiven, rank);
  if (axis === rank - 1) throw new ShapeConflict('DFT axis cannot be the last (component) axis');
  const length = ctx.input(1) ? scalarOf(ctx, 1) : (x[axis] as number);
  const shape = [...x];
  shape[axis] = bins(length, ctx.int('onesided', 0) === 1);
  shape[rank - 1] = 2;
  return [{ dtype: ctx.input(0)?.dtype ?? DataType.FLOAT, shape }];
};

/** ONNX STFT: [batch, frames, bins, 2] with frames = ⌊(length − frame_length) / step⌋ + 1. */
const stft: ShapeRule = (ctx) => {
  const signal = ctx.shapeOf(0);
  const step = scalarOf(ctx, 1);
  const frameLength = ctx.input(3) ? scalarOf(ctx, 3) : (ctx.shapeOf(2)[0] as number);
  const length = signal[1] as number;
  if (step <= 0 || frameLength > length) {
    throw new ShapeConflict(`STFT frame length ${frameLength} and step ${step} do not fit a signal of ${length}`);
  }
  const frames = Math.floor((length - frameLength) / step) + 1;
  const shape = [signal[0] as number, frames, bins(frameLength, ctx.int('onesided', 1) === 1), 2];
  return [{ dtype: ctx.input(0)?.dtype ?? DataType.FLOAT, shape }];
};

/** Hann / Hamming / Blackman windows: a 1-D tensor of the given size. */
const window: ShapeRule = (ctx) => [{ dtype: ctx.int('output_datatype', DataType.FLOAT), shape: [scalarOf(ctx, 0)] }];

/** ONNX MelWeightMatrix: [⌊dft_length / 2⌋ + 1, num_mel_bins]. */
const melWeightMatrix: ShapeRule = (ctx) => [
  { dtype: ctx.int('output_datatype', DataType.FLOAT), shape: [bins(scalarOf(ctx, 1), true), scalarOf(ctx, 0)] },
];

export const signalRules: Record<string, ShapeRule> = {
  DFT: dft,
  STFT: stft,
  HannWindow: window,
  HammingWindow: window,
  BlackmanWindow: window,
  MelWeightMatrix: melWeightMatrix,
};
