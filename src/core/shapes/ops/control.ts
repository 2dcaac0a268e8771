import { DataType } from '../../onnx/dataType';
import type { OnnxGraph } from '../../onnx/model';
import { ShapeConflict, type InferContext, type Shape, type ShapeRule, type TensorFact } from '../types';
import { fact, normalizeAxis } from '../util';

type Facts = (TensorFact | undefined)[];

/** Loops up to this trip count are unrolled before trying a symbolic pass. */
const SHORT_LOOP = 64;
/** Loops longer than this are never unrolled; their shapes must be a fixed point. */
const MAX_UNROLL = 1024;

function withoutValue(f: TensorFact | undefined): TensorFact | undefined {
  return f && { dtype: f.dtype, shape: f.shape, kind: f.kind };
}

function sameShape(a: Shape | undefined, b: Shape | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((d, i) => d === b[i]);
}

function truthy(f: TensorFact | undefined): boolean | undefined {
  const v = f?.value?.data[0];
  return v === undefined ? undefined : Number(v) !== 0;
}

/**
 * ONNX If: with a known condition, the taken branch's outputs; otherwise the then-branch's
 * facts where both branches agree on the shape, and unknown shapes where they differ.
 */
const ifRule: ShapeRule = (ctx) => {
  const cond = truthy(ctx.input(0));
  if (cond !== undefined) return ctx.inferSubgraph(ctx.graph(cond ? 'then_branch' : 'else_branch'), []);
  const thenOut = ctx.inferSubgraph(ctx.graph('then_branch'), []);
  const elseOut = ctx.inferSubgraph(ctx.graph('else_branch'), []);
  return thenOut.map((t, i) => {
    if (!t) return undefined;
    return sameShape(t.shape, elseOut[i]?.shape) ? withoutValue(t) : { dtype: t.dtype, shape: undefined, kind: t.kind };
  });
};

interface LoopSetup {
  readonly body: OnnxGraph;
  /** max_trip_count: Infinity when omitted, undefined when its value is unknown. */
  readonly trip: number | undefined;
  /** The condition input; undefined for a for-loop (its cond output is then ignored). */
  readonly cond: TensorFact | undefined;
  readonly initial: Facts;
}

const iteration = (i?: number): TensorFact => fact(DataType.INT64, [], i === undefined ? undefined : [i]);
const TRUE: TensorFact = fact(DataType.BOOL, [], [1]);

/** Scan outputs of `count` iterations: per-iteration facts stacked on a new leading axis. */
function stack(perIteration: readonly Facts[], index: number, count: number, template?: TensorFact): TensorFact | undefined {
  const facts = perIteration.map((o) => o[index]);
  const first = facts[0] ?? template;
  if (!first) return undefined;
  if (!first.shape || facts.some((f) => !sameShape(f?.shape, first.shape))) return { dtype: first.dtype, shape: undefined };
  const data = facts.every((f) => f?.value) ? facts.flatMap((f) => f?.value?.data ?? []) : undefined;
  return fact(first.dtype, [count, ...first.shape], data);
}

/**
 * Runs the body once per iteration with known values; undefined when the trip count cannot be
 * decided, or when nothing ran and no symbolic pass (`template`) gives the scan outputs' shapes.
 */
function unroll(ctx: InferContext, s: LoopSetup, template: Facts): Facts | undefined {
  const carriedCount = s.initial.length;
  let state = s.initial;
  let cond = s.cond;
  const scans: Facts[] = [];
  if (s.trip === undefined) return undefined;
  for (let i = 0; i < s.trip; i++) {
    const go = cond ? truthy(cond) : true;
    if (go === undefined || i >= MAX_UNROLL) return undefined;
    if (!go) break;
    const outs = ctx.inferSubgraph(s.body, [iteration(i), cond ?? TRUE, ...state]);
    if (s.cond) cond = outs[0];
    state = outs.slice(1, 1 + carriedCount);
    scans.push(outs.slice(1 + carriedCount));
  }
  if (scans.length === 0 && template.length === 0) return undefined;
  const scanCount = s.body.outputs.length - 1 - carriedCount;
  const stacked = Array.from({ length: scanCount }, (_, j) => stack(scans, j, scans.length, template[1 + carriedCount + j]));
  return [...state, ...stacked];
}

/**
 * ONNX Loop. Short loops with a known trip count are unrolled with known values. Otherwise one
 * symbolic pass runs (iteration number and carried values unknown): if the carried shapes come
 * back unchanged and the condition stays true, every iteration has them and the trip count is
 * max_trip_count. Failing that, the loop is unrolled up to MAX_UNROLL iterations.
 */
const loop: ShapeRule = (ctx) => {
  const s: LoopSetup = {
    body: ctx.graph('body'),
    trip: ctx.input(0) ? scalarValue(ctx.input(0)) : Infinity,
    cond: ctx.input(1),
    initial: Array.from({ length: ctx.inputCount - 2 }, (_, i) => ctx.input(2 + i)),
  };
  const carriedCount = s.initial.length;
  const short = (s.trip ?? Infinity) <= SHORT_LOOP ? unroll(ctx, s, []) : undefined;
  if (short) return short;
  const generic = ctx.inferSubgraph(s.body, [iteration(), s.cond ?? TRUE, ...s.initial.map(withoutValue)]);
  const carried = generic.slice(1, 1 + carriedCount);
  const fixed = carried.every((f, i) => sameShape(f?.shape, s.initial[i]?.shape));
  const alwaysTrue = !s.cond || (truthy(s.cond) === true && truthy(generic[0]) === true);
  if (fixed && alwaysTrue && s.trip !== undefined && Number.isFinite(s.trip)) {
    const scans = generic.slice(1 + carriedCount).map((f, j) => stack([], j, s.trip as number, f));
    return [...carried.map(withoutValue), ...scans];
  }
  const unrolled = unroll(ctx, s, generic);
  if (unrolled) return unrolled;
  const scanTypes = generic.slice(1 + carriedCount).map((f) => f && { dtype: f.dtype, shape: undefined });
  return [...(fixed ? carried.map(withoutValue) : carried.map(() => undefined)), ...scanTypes];
};

function scalarValue(f: TensorFact | undefined): number | undefined {
  const v = f?.value?.data[0];
  return v === undefined ? undefined : Number(v);
}

/** Drops one axis of a shape (a scan input's slice). */
function dropAxis(shape: Shape, axis: number): number[] {
  return shape.filter((_, a) => a !== axis);
}

/**
 * ONNX Scan. From opset 9, scan inputs are sliced along scan_input_axes and scan outputs stacked
 * along scan_output_axes. Opset 8 has a leading sequence_lens input and a batch axis 0 on every
 * input and output, with the sequence on axis 1.
 */
const scan: ShapeRule = (ctx) => {
  const legacy = ctx.opset < 9;
  const first = legacy ? 1 : 0;
  const m = ctx.int('num_scan_inputs');
  const n = ctx.inputCount - first - m;
  const states = Array.from({ length: n }, (_, i) => ctx.input(first + i));
  const scanShapes = Array.from({ length: m }, (_, i) => ctx.shapeOf(first + n + i));
  const inAxes = legacy ? scanShapes.map(() => 1) : ctx.ints('scan_input_axes', scanShapes.map(() => 0));
  const axes = scanShapes.map((s, i) => normalizeAxis(inAxes[i] ?? 0, s.length));
  const seq = (scanShapes[0] as Shape)[axes[0] as number] as number;
  if (scanShapes.some((s, i) => s[axes[i] as number] !== seq)) throw new ShapeConflict('Scan inputs have different sequence lengths');
  const batch = legacy ? (scanShapes[0] as Shape)[0] : undefined;
  const sliceOf = (s: Shape, i: number): number[] => (legacy ? s.slice(2) : dropAxis(s, axes[i] as number));
  const bodyStates = states.map((f) => f && { dtype: f.dtype, shape: legacy ? f.shape?.slice(1) : f.shape });
  const slices = scanShapes.map((s, i) => ({ dtype: ctx.input(first + n + i)?.dtype ?? 0, shape: sliceOf(s, i) }));
  const body = ctx.inferSubgraph(ctx.graph('body'), [...bodyStates, ...slices]);
  // Later iterations see the body's state outputs: unless those keep their shapes, all is unknown.
  const fixed = seq <= 1 || body.slice(0, n).every((f, i) => sameShape(f?.shape, bodyStates[i]?.shape));
  const outs = fixed ? body : body.map((f) => f && { dtype: f.dtype, shape: undefined });
  const prefix = batch === undefined ? [] : [batch];
  const finals = outs.slice(0, n).map((f) => f && { dtype: f.dtype, shape: f.shape && [...prefix, ...f.shape] });
  const outAxes = ctx.ints('scan_output_axes', []);
  const stacked = outs.slice(n).map((f, j) => {
    if (!f?.shape) return f && { dtype: f.dtype, shape: undefined };
    if (legacy) return { dtype: f.dtype, shape: [...prefix, seq, ...f.shape] };
    const at = normalizeAxis(outAxes[j] ?? 0, f.shape.length + 1);
    return { dtype: f.dtype, shape: [...f.shape.slice(0, at), seq, ...f.shape.slice(at)] };
  });
  return [...finals, ...stacked];
};

export const controlRules: Record<string, ShapeRule> = {
  If: ifRule,
  Loop: loop,
  Scan: scan,
};
