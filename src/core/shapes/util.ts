import { DataType, isFloatType } from '../onnx/dataType';
import { elementCount, MAX_FOLD_ELEMENTS, type ConstTensor } from '../onnx/tensorValues';
import { ShapeConflict, type Shape, type TensorFact } from './types';

export function fact(dtype: number, shape: Shape | undefined, data?: readonly (number | string)[]): TensorFact {
  if (data && shape && data.length === elementCount(shape)) {
    return { dtype, shape, value: { dtype, dims: shape, data } };
  }
  return { dtype, shape };
}

/** Numpy-style multidirectional broadcasting (ONNX Broadcasting.md). */
export function broadcast(...shapes: readonly Shape[]): Shape {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (dim !== 1 && d !== dim) throw new ShapeConflict(`cannot broadcast [${shapes.map((x) => x.join('×')).join('] with [')}]`);
      dim = d;
    }
    out.push(shapes.some((s) => (s[s.length - rank + i] ?? 1) === 0) ? 0 : dim);
  }
  return out;
}

/** Maps an output index of a broadcast to the flat index in one of its inputs. */
export function broadcastIndex(outShape: Shape, inShape: Shape, flat: number): number {
  let index = 0;
  let stride = 1;
  let rest = flat;
  const offset = outShape.length - inShape.length;
  const coords = new Array<number>(outShape.length);
  for (let i = outShape.length - 1; i >= 0; i--) {
    const d = outShape[i] as number;
    coords[i] = rest % d;
    rest = Math.floor(rest / d);
  }
  for (let i = inShape.length - 1; i >= 0; i--) {
    const d = inShape[i] as number;
    index += (d === 1 ? 0 : (coords[i + offset] as number)) * stride;
    stride *= d;
  }
  return index;
}

/** Applies `f` element-wise over broadcast inputs whose values are known (small tensors only). */
export function foldBroadcast(
  inputs: readonly (ConstTensor | undefined)[],
  outShape: Shape,
  f: (...xs: number[]) => number,
): number[] | undefined {
  if (inputs.some((v) => !v || v.data.some((x) => typeof x === 'string'))) return undefined;
  const count = elementCount(outShape);
  if (count > MAX_FOLD_ELEMENTS) return undefined;
  const values = inputs as ConstTensor[];
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    out[i] = f(...values.map((v) => v.data[broadcastIndex(outShape, v.dims, i)] as number));
  }
  return out;
}

export function normalizeAxis(axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeConflict(`${what} ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Rounds a computed value to the output dtype the way ONNX Runtime stores it. */
export function castValue(v: number, dtype: number): number {
  if (isFloatType(dtype)) return dtype === DataType.FLOAT ? Math.fround(v) : v;
  if (dtype === DataType.BOOL) return v ? 1 : 0;
  if (!Number.isFinite(v)) return v;
  return Math.trunc(v);
}

export function numbers(t: ConstTensor): number[] {
  return t.data.map((x) => Number(x));
}

export function product(dims: Shape): number {
  return elementCount(dims);
}
