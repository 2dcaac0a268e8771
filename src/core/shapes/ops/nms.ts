import { DataType } from '../../onnx/dataType';
import { MAX_FOLD_ELEMENTS } from '../../onnx/tensorValues';
import { ShapeUnknown, type InferContext, type ShapeRule } from '../types';
import { fact, numbers } from '../util';

/*
 * NonMaxSuppression's output length is the number of boxes it keeps, so the op is run when boxes
 * and scores are known (ONNX NonMaxSuppression spec, with ONNX Runtime's strict comparisons).
 */

type Box = readonly [number, number, number, number];

/** A box as [ymin, xmin, ymax, xmax], from corners in either order or from center/size. */
function corners(b: readonly number[], centerPoint: boolean): Box {
  const [a, c, d, e] = b as [number, number, number, number];
  if (centerPoint) return [c - e / 2, a - d / 2, c + e / 2, a + d / 2];
  return [Math.min(a, d), Math.min(c, e), Math.max(a, d), Math.max(c, e)];
}

function iouExceeds(p: Box, q: Box, threshold: number): boolean {
  const h = Math.min(p[2], q[2]) - Math.max(p[0], q[0]);
  const w = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
  if (h <= 0 || w <= 0) return false;
  const inter = h * w;
  const area = (b: Box): number => (b[2] - b[0]) * (b[3] - b[1]);
  const union = area(p) + area(q) - inter;
  if (area(p) <= 0 || area(q) <= 0 || union <= 0) return false;
  return inter / union > threshold;
}

interface NmsParams {
  readonly maxPerClass: number;
  readonly iou: number;
  readonly scoreThreshold: number | undefined;
  readonly centerPoint: boolean;
}

function scalar(ctx: InferContext, i: number): number | undefined {
  if (!ctx.input(i)) return undefined;
  const v = ctx.input(i)?.value;
  if (!v) throw new ShapeUnknown(`NonMaxSuppression output size depends on input ${i}, which is not known statically`);
  return Number(v.data[0]);
}

/** Greedy selection for one (batch, class): indices of kept boxes. */
function selectClass(boxes: readonly Box[], scores: readonly number[], p: NmsParams): number[] {
  const order = scores
    .map((s, i) => [s, i] as const)
    .filter(([s]) => p.scoreThreshold === undefined || s > p.scoreThreshold)
    .sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  const kept: number[] = [];
  for (const [, i] of order) {
    if (kept.length >= p.maxPerClass) break;
    if (kept.every((k) => !iouExceeds(boxes[k] as Box, boxes[i] as Box, p.iou))) kept.push(i);
  }
  return kept;
}

const nonMaxSuppression: ShapeRule = (ctx) => {
  const params: NmsParams = {
    maxPerClass: scalar(ctx, 2) ?? 0,
    iou: scalar(ctx, 3) ?? 0,
    scoreThreshold: scalar(ctx, 4),
    centerPoint: ctx.int('center_point_box', 0) === 1,
  };
  const boxesV = ctx.input(0)?.value;
  const scoresV = ctx.input(1)?.value;
  if (!boxesV || !scoresV) {
    throw new ShapeUnknown('NonMaxSuppression output size depends on box and score values, which are not known statically');
  }
  const [batches, classes, count] = scoresV.dims as [number, number, number];
  const allBoxes = numbers(boxesV);
  const allScores = numbers(scoresV);
  const selected: number[] = [];
  for (let b = 0; b < batches; b++) {
    const boxes = Array.from({ length: count }, (_, i) =>
      corners(allBoxes.slice((b * count + i) * 4, (b * count + i) * 4 + 4), params.centerPoint),
    );
    for (let c = 0; c < classes; c++) {
      const at = (b * classes + c) * count;
      for (const i of selectClass(boxes, allScores.slice(at, at + count), params)) selected.push(b, c, i);
    }
  }
  const n = selected.length / 3;
  return [fact(DataType.INT64, [n, 3], selected.length <= MAX_FOLD_ELEMENTS ? selected : undefined)];
};

export const nmsRules: Record<string, ShapeRule> = {
  NonMaxSuppression: nonMaxSuppression,
};
