import { ModelError } from '../../errors';
import { DataType } from '../../onnx/dataType';
import { readTensorValues } from '../../onnx/tensorValues';
import { gatherValues, strides } from '../fold';
import { ShapeConflict, type InferContext, type Shape, type ShapeRule, type TensorFact } from '../types';
import { broadcast, fact, normalizeAxis, numbers, product } from '../util';

/** An int list that moved from an attribute to an input at some opset (axes, pads, split, …). */
export function intsFromInputOrAttr(ctx: InferContext, input: number, attr: string): readonly number[] | undefined {
  if (ctx.input(input)) return numbers(ctx.valueOf(input));
  return ctx.has(attr) ? ctx.ints(attr) : undefined;
}

const concat: ShapeRule = (ctx) => {
  const inputs: TensorFact[] = [];
  for (let i = 0; i < ctx.inputCount; i++) {
    const x = ctx.input(i);
    if (x) inputs.push(x);
  }
  const axisAttr = ctx.int('axis');
  const dtype = inputs[0]?.dtype ?? 0;
  const shapes = inputs.map((_, i) => ctx.shapeOf(i));
  const rank = (shapes[0] as Shape).length;
  const axis = normalizeAxis(axisAttr, rank);
  const out = [...(shapes[0] as Shape)];
  out[axis] = shapes.reduce((sum, s) => sum + (s[axis] ?? 0), 0);
  const values = inputs.map((x) => x.value);
  if (values.every((v) => v) && rank === 1) return [fact(dtype, out, values.flatMap((v) => v?.data ?? []))];
  return [{ dtype, shape: out }];
};

const split: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const dtype = ctx.input(0)?.dtype ?? 0;
  const axis = normalizeAxis(ctx.int('axis', 0), x.length);
  const count = ctx.node.outputs.length;
  let sizes = ctx.opset >= 13 ? (ctx.input(1) ? numbers(ctx.valueOf(1)) : undefined) : ctx.ints('split', []);
  if (!sizes || sizes.length === 0) {
    const total = x[axis] as number;
    const parts = ctx.has('num_outputs') ? ctx.int('num_outputs') : count;
    const chunk = Math.ceil(total / parts);
    sizes = Array.from({ length: count }, (_, i) => Math.max(0, Math.min(chunk, total - i * chunk)));
  }
  return sizes.map((s) => {
    const shape = [...x];
    shape[axis] = s;
    return { dtype, shape };
  });
};

/** Clamped start index and element count along one axis (ONNX Slice spec). */
export function sliceAxis(dim: number, start: number, end: number, step: number): [number, number] {
  if (step === 0) throw new ShapeConflict('Slice step is 0');
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
  } else {
    s = clamp(s, 0, dim - 1);
    e = clamp(e, -1, dim - 1);
  }
  return [s, Math.max(0, Math.ceil((e - s) / step))];
}

const slice: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  const x = ctx.shapeOf(0);
  const useInputs = ctx.opset >= 10;
  const starts = useInputs ? numbers(ctx.valueOf(1)) : ctx.ints('starts');
  const ends = useInputs ? numbers(ctx.valueOf(2)) : ctx.ints('ends');
  const axes = (useInputs ? intsFromInputOrAttr(ctx, 3, '-') : ctx.ints('axes', [])) ?? [];
  const steps = useInputs && ctx.input(4) ? numbers(ctx.valueOf(4)) : [];
  const first = x.map(() => 0);
  const step = x.map(() => 1);
  const shape = [...x];
  starts.forEach((start, i) => {
    const axis = normalizeAxis(axes.length ? (axes[i] as number) : i, x.length);
    const st = steps[i] ?? 1;
    const [s, n] = sliceAxis(x[axis] as number, start, ends[i] as number, st);
    first[axis] = s;
    step[axis] = st;
    shape[axis] = n;
  });
  const st = strides(x);
  const data = gatherValues(src?.value, shape, (c) =>
    c.reduce((sum, ci, a) => sum + ((first[a] as number) + ci * (step[a] as number)) * (st[a] as number), 0),
  );
  return [fact(src?.dtype ?? 0, shape, data)];
};

const gather: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  const x = ctx.shapeOf(0);
  const ind = ctx.shapeOf(1);
  const axis = normalizeAxis(ctx.int('axis', 0), x.length);
  const shape = [...x.slice(0, axis), ...ind, ...x.slice(axis + 1)];
  const indices = ctx.input(1)?.value;
  let data: (number | string)[] | undefined;
  if (indices) {
    const st = strides(x);
    const dim = x[axis] as number;
    data = gatherValues(src?.value, shape, (c) => {
      const flatIdx = c.slice(axis, axis + ind.length).reduce((s, ci, k) => s * (ind[k] as number) + ci, 0);
      let idx = Number(indices.data[flatIdx]);
      if (idx < 0) idx += dim;
      const outer = c.slice(0, axis).reduce((s, ci, a) => s + ci * (st[a] as number), 0);
      const inner = c.slice(axis + ind.length).reduce((s, ci, k) => s + ci * (st[axis + 1 + k] as number), 0);
      return outer + idx * (st[axis] as number) + inner;
    });
  }
  return [fact(src?.dtype ?? 0, shape, data)];
};

/** Reshape target with 0 (copy, unless allowzero) and one -1 (inferred) resolved. */
export function reshapeTarget(input: Shape, target: readonly number[], allowZero: boolean): number[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? (input[i] ?? 0) : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const known = out.reduce((p, d, i) => (i === minus ? p : p * d), 1);
    const total = product(input);
    if (known === 0 || total % known !== 0) {
      throw new ShapeConflict(`cannot reshape [${input.join(', ')}] to [${target.join(', ')}]`);
    }
    out[minus] = total / known;
  }
  if (product(out) !== product(input)) throw new ShapeConflict(`cannot reshape [${input.join(', ')}] to [${target.join(', ')}]`);
  return out;
}

/** Same elements in a new shape (Reshape, Flatten, Squeeze, Unsqueeze). */
function relabel(ctx: InferContext, shape: Shape): TensorFact[] {
  const src = ctx.input(0);
  return [fact(src?.dtype ?? 0, shape, src?.value?.data)];
}

const reshape: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const target = ctx.opset >= 5 ? numbers(ctx.valueOf(1)) : ctx.ints('shape');
  return relabel(ctx, reshapeTarget(x, target, ctx.int('allowzero', 0) === 1));
};

const flatten: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const axis = ctx.int('axis', 1);
  const a = axis < 0 ? axis + x.length : axis;
  return relabel(ctx, [product(x.slice(0, a)), product(x.slice(a))]);
};

const squeeze: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const axes = intsFromInputOrAttr(ctx, 1, 'axes');
  const drop = new Set((axes ?? x.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normalizeAxis(a, x.length)));
  return relabel(ctx, x.filter((_, i) => !drop.has(i)));
};

const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const axes = intsFromInputOrAttr(ctx, 1, 'axes') ?? ctx.ints('axes');
  const rank = x.length + axes.length;
  const inserted = new Set(axes.map((a) => normalizeAxis(a, rank)));
  const rest = [...x];
  return relabel(ctx, Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : (rest.shift() as number))));
};

const transpose: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  const x = ctx.shapeOf(0);
  const perm = ctx.ints('perm', x.map((_, i) => x.length - 1 - i));
  const shape = perm.map((p) => x[normalizeAxis(p, x.length)] as number);
  const st = strides(x);
  const data = gatherValues(src?.value, shape, (c) => c.reduce((s, ci, a) => s + ci * (st[perm[a] as number] as number), 0));
  return [fact(src?.dtype ?? 0, shape, data)];
};

const shapeOp: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const clampAxis = (a: number): number => Math.min(Math.max(a < 0 ? a + x.length : a, 0), x.length);
  const start = clampAxis(ctx.int('start', 0));
  const end = clampAxis(ctx.int('end', x.length));
  const dims = x.slice(start, Math.max(start, end));
  return [fact(DataType.INT64, [dims.length], dims)];
};

const size: ShapeRule = (ctx) => [fact(DataType.INT64, [], [product(ctx.shapeOf(0))])];

const constant: ShapeRule = (ctx) => {
  const [name, a] = [...ctx.node.attributes.entries()][0] ?? [];
  if (!a || !name) throw new ModelError('missing-attribute', `node '${ctx.node.name}' (Constant) has no value attribute`);
  switch (a.kind) {
    case 'tensor': {
      const value = a.value.storage.kind === 'sparse' ? undefined : readTensorValues(a.value);
      return [{ dtype: a.value.dtype, shape: a.value.dims, value }];
    }
    case 'float': return [fact(DataType.FLOAT, [], [a.value])];
    case 'int': return [fact(DataType.INT64, [], [a.value])];
    case 'string': return [fact(DataType.STRING, [], [a.value])];
    case 'floats': return [fact(DataType.FLOAT, [a.value.length], a.value)];
    case 'ints': return [fact(DataType.INT64, [a.value.length], a.value)];
    case 'strings': return [fact(DataType.STRING, [a.value.length], a.value)];
    default: throw new ModelError('bad-attribute', `node '${ctx.node.name}' (Constant): unsupported value attribute '${name}'`);
  }
};

const constantOfShape: ShapeRule = (ctx) => {
  const shape = numbers(ctx.valueOf(0));
  const valueAttr = ctx.has('value') ? readTensorValues(ctx.tensor('value')) : undefined;
  const dtype = valueAttr?.dtype ?? DataType.FLOAT;
  const v = valueAttr?.data[0] ?? 0;
  return [fact(dtype, shape, product(shape) <= 1 << 16 ? new Array(product(shape)).fill(v) : undefined)];
};

const range: ShapeRule = (ctx) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => Number(ctx.valueOf(i).data[0]));
  const n = Math.max(Math.ceil(((limit as number) - (start as number)) / (delta as number)), 0);
  const data = Array.from({ length: n }, (_, i) => (start as number) + i * (delta as number));
  return [fact(ctx.input(0)?.dtype ?? 0, [n], data)];
};

const expand: ShapeRule = (ctx) => {
  const src = ctx.input(0);
  const x = ctx.shapeOf(0);
  const shape = broadcast(x, numbers(ctx.valueOf(1)));
  const st = strides(x);
  const off = shape.length - x.length;
  const data = gatherValues(src?.value, shape, (c) =>
    x.reduce((s, d, a) => s + (d === 1 ? 0 : (c[a + off] as number)) * (st[a] as number), 0),
  );
  return [fact(src?.dtype ?? 0, shape, data)];
};

const tile: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const repeats = numbers(ctx.valueOf(1));
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: x.map((d, i) => d * (repeats[i] ?? 1)) }];
};

const pad: ShapeRule = (ctx) => {
  const x = ctx.shapeOf(0);
  const pads = ctx.opset >= 11 ? numbers(ctx.valueOf(1)) : ctx.ints(ctx.has('pads') ? 'pads' : 'paddings');
  const axesGiven = ctx.input(3) ? numbers(ctx.valueOf(3)).map((a) => normalizeAxis(a, x.length)) : undefined;
  const axes = axesGiven ?? x.map((_, i) => i);
  const shape = [...x];
  axes.forEach((a, i) => {
    shape[a] = (x[a] as number) + (pads[i] as number) + (pads[i + axes.length] as number);
  });
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape }];
};

export const tensorRules: Record<string, ShapeRule> = {
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Transpose: transpose,
  Shape: shapeOp,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  Expand: expand,
  Tile: tile,
  Pad: pad,
};
