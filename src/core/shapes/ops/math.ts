import { DataType } from '../../onnx/dataType';
import { ShapeConflict, type ShapeRule } from '../types';
import { broadcast } from '../util';

/** numpy.matmul shapes: 1-D operands are promoted and the promoted axis dropped again. */
export function matmulShape(a: readonly number[], b: readonly number[]): number[] {
  const left = a.length === 1 ? [1, a[0] as number] : a;
  const right = b.length === 1 ? [b[0] as number, 1] : b;
  const k1 = left[left.length - 1];
  const k2 = right[right.length - 2];
  if (k1 !== k2) throw new ShapeConflict(`MatMul inner dims differ: [${a.join(', ')}] × [${b.join(', ')}]`);
  const batch = broadcast(left.slice(0, -2), right.slice(0, -2));
  const out = [...batch, left[left.length - 2] as number, right[right.length - 1] as number];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return out;
}

const matmul: ShapeRule = (ctx) => {
  const integer = ctx.node.opType === 'MatMulInteger';
  return [{ dtype: integer ? DataType.INT32 : (ctx.input(0)?.dtype ?? 0), shape: matmulShape(ctx.shapeOf(0), ctx.shapeOf(1)) }];
};

const gemm: ShapeRule = (ctx) => {
  const a = ctx.shapeOf(0);
  const b = ctx.shapeOf(1);
  const m = ctx.int('transA', 0) ? a[1] : a[0];
  const n = ctx.int('transB', 0) ? b[0] : b[1];
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape: [m ?? 1, n ?? 1] }];
};

/** Einsum output shape for explicit and implicit equations, with '...' broadcasting. */
const einsum: ShapeRule = (ctx) => {
  const equation = ctx.string('equation').replace(/\s+/g, '');
  const [lhs, rhs] = equation.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const sizes = new Map<string, number>();
  const counts = new Map<string, number>();
  let ellipsis: readonly number[] = [];
  terms.forEach((term, i) => {
    const shape = ctx.shapeOf(i);
    const letters = term.replace('...', '');
    const dotsAt = term.indexOf('...');
    const dotsRank = shape.length - letters.length;
    if (dotsAt >= 0) ellipsis = broadcast(ellipsis, shape.slice(dotsAt, dotsAt + dotsRank));
    [...letters].forEach((ch, k) => {
      const axis = dotsAt >= 0 && k >= dotsAt ? k + dotsRank : k;
      const d = shape[axis] as number;
      sizes.set(ch, Math.max(sizes.get(ch) ?? 1, d));
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    });
  });
  const output = rhs ?? `${lhs.includes('...') ? '...' : ''}${[...counts].filter(([, c]) => c === 1).map(([ch]) => ch).sort().join('')}`;
  const shape: number[] = [];
  for (const part of output.split(/(\.\.\.)/)) {
    if (part === '...') shape.push(...ellipsis);
    else for (const ch of part) shape.push(sizes.get(ch) ?? 1);
  }
  return [{ dtype: ctx.input(0)?.dtype ?? 0, shape }];
};

export const mathRules: Record<string, ShapeRule> = {
  MatMul: matmul,
  MatMulInteger: matmul,
  Gemm: gemm,
  Einsum: einsum,
};
