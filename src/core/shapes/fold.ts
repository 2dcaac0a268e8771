import { elementCount, MAX_FOLD_ELEMENTS, type ConstTensor } from '../onnx/tensorValues';
import type { Shape } from './types';

/** Row-major strides of a shape. */
export function strides(shape: Shape): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i] as number;
  }
  return out;
}

/**
 * Builds a folded tensor of `shape` whose element at each output coordinate is read from `src`
 * at the flat index `pick(coords)`; undefined if the source is unknown or the result too big.
 */
export function gatherValues(
  src: ConstTensor | undefined,
  shape: Shape,
  pick: (coords: readonly number[]) => number,
): (number | string)[] | undefined {
  if (!src) return undefined;
  const count = elementCount(shape);
  if (count > MAX_FOLD_ELEMENTS) return undefined;
  const out = new Array<number | string>(count);
  const coords = shape.map(() => 0);
  for (let i = 0; i < count; i++) {
    out[i] = src.data[pick(coords)] as number | string;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++(coords[a] as number) < (shape[a] as number)) break;
      coords[a] = 0;
    }
  }
  return out;
}
