import { ShapeConflict, type InferContext, type ShapeRule, type TensorFact } from '../types';

/**
 * Optimizer ops of ai.onnx.preview.training. Inputs are R, T, then `groups` runs of n tensors
 * (X…, G…, then the optimizer states); each output run copies the shapes of one input run.
 * Adagrad: (X, G, H) → (X_new, H_new); Momentum: (X, G, V) → (X_new, V_new);
 * Adam: (X, G, V, H) → (X_new, V_new, H_new).
 */
function optimizer(groups: number, outputRuns: readonly number[]): ShapeRule {
  return (ctx: InferContext) => {
    const n = (ctx.inputCount - 2) / groups;
    if (!Number.isInteger(n)) throw new ShapeConflict(`${ctx.node.opType} has ${ctx.inputCount} inputs, expected 2 + ${groups}·n`);
    const outputs: (TensorFact | undefined)[] = [];
    for (const run of outputRuns) {
      for (let k = 0; k < n; k++) {
        const x = ctx.input(2 + run * n + k);
        outputs.push(x ? { dtype: x.dtype, shape: x.shape } : undefined);
      }
    }
    return outputs;
  };
}

/** Rules keyed by op type, for the ai.onnx.preview.training domain. */
export const trainingRules: Record<string, ShapeRule> = {
  Adagrad: optimizer(3, [0, 2]),
  Momentum: optimizer(3, [0, 2]),
  Adam: optimizer(4, [0, 2, 3]),
};
