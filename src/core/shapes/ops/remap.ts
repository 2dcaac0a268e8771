import type { InferContext } from '../types';

/**
 * The node's context with its input slots re-numbered: slot `i` of the view reads slot
 * `slots[i]` of the node, so a rule written for Conv or MatMul can serve QLinearConv's x/w/B.
 */
export function withInputSlots(ctx: InferContext, slots: readonly number[]): InferContext {
  const at = (i: number): number => slots[i] ?? -1;
  return {
    node: ctx.node,
    opset: ctx.opset,
    inputCount: slots.length,
    input: (i) => ctx.input(at(i)),
    shapeOf: (i) => ctx.shapeOf(at(i)),
    valueOf: (i) => ctx.valueOf(at(i)),
    has: (name) => ctx.has(name),
    int: (name, fallback) => ctx.int(name, fallback),
    ints: (name, fallback) => ctx.ints(name, fallback),
    float: (name, fallback) => ctx.float(name, fallback),
    floats: (name, fallback) => ctx.floats(name, fallback),
    string: (name, fallback) => ctx.string(name, fallback),
    tensor: (name) => ctx.tensor(name),
    graph: (name) => ctx.graph(name),
    inferSubgraph: (graph, inputs) => ctx.inferSubgraph(graph, inputs),
    warn: (message) => ctx.warn(message),
  };
}
