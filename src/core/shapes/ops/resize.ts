import type { ShapeRule } from '../types';
import { normalizeAxis, numbers } from '../util';

/** Output size per axis: `sizes` if given, else floor(dim × scale) (ONNX Resize spec). */
const resize: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const dtype = ctx.input(0)?.dtype ?? 0;
  if (ctx.opset < 11) return [{ dtype, shape: scaled(x, numbers(ctx.valueOf(1))) }];
  const axes = ctx.ints('axes', x.map((_, i) => i)).map((a) => normalizeAxis(a, x.length));
  const sizesFact = ctx.input(3);
  if (sizesFact && (sizesFact.shape?.[0] ?? 0) > 0) {
    const sizes = numbers(ctx.valueOf(3));
    const shape = [...x];
    const policy = ctx.string('keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') axes.forEach((a, i) => (shape[a] = sizes[i] as number));
    else {
      const ratios = axes.map((a, i) => (sizes[i] as number) / (x[a] as number));
      const r = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      axes.forEach((a) => (shape[a] = Math.round((x[a] as number) * r)));
    }
    return [{ dtype, shape }];
  }
  const scales = numbers(ctx.valueOf(2));
  const full = x.map(() => 1);
  axes.forEach((a, i) => (full[a] = scales[i] as number));
  return [{ dtype, shape: scaled(x, full) }];
};

function scaled(x: readonly number[], scales: readonly number[]): number[] {
  return x.map((d, i) => Math.floor(d * (scales[i] ?? 1) + 1e-9));
}

const upsample: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const scales = ctx.opset >= 9 ? numbers(ctx.valueOf(1)) : ctx.floats('scales');
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: scaled(x, scales) }];
};

export const resizeRules: Record<string, ShapeRule> = {
  Resize: resize,
  Upsample: upsample,
};
