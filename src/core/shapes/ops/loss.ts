import { ShapeConflict, type ShapeRule } from '../types';

/**
 * ONNX SoftmaxCrossEntropyLoss / NegativeLogLikelihoodLoss: scores are [N, C, d1…dk] and labels
 * [N, d1…dk]; the loss has the labels' shape with reduction 'none', else it is a scalar.
 * SoftmaxCrossEntropyLoss's optional second output (log_prob) has the scores' shape.
 */
const loss: ShapeRule = (ctx) => {
  const scores = ctx.shapeOf(0);
  if (scores.length < 2) throw new ShapeConflict(`${ctx.node.opType} expects scores of rank ≥ 2, got ${scores.length}`);
  const dtype = ctx.input(0)?.dtype ?? 0;
  const perElement = [scores[0] as number, ...scores.slice(2)];
  const shape = ctx.string('reduction', 'mean') === 'none' ? perElement : [];
  return [{ dtype, shape }, { dtype, shape: scores }];
};

export const lossRules: Record<string, ShapeRule> = {
  SoftmaxCrossEntropyLoss: loss,
  NegativeLogLikelihoodLoss: loss,
};
