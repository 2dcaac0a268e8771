import type { ModelAnalysis } from '../analysis';
import type { ModelView } from '../../protocol';

const shapeText = (s: readonly number[] | undefined): string => (s ? (s.length ? s.join('×') : 'scalar') : '?');

/** The layer graph as the webview draws it: layers with shapes and costs, edges with bytes. */
export function modelView(a: ModelAnalysis, fileName: string, graphOnly: boolean, warnings: readonly string[]): ModelView {
  const producer = new Map<string, number>();
  for (const l of a.layers.layers) for (const t of l.outputs) producer.set(t, l.id);
  const facts = a.shapes.facts;
  const layers = a.layers.layers.map((l) => ({
    id: l.id,
    name: l.name,
    op: l.op,
    ops: l.ops,
    inputShapes: l.inputTensors.map((t) => shapeText(facts.get(t)?.shape)),
    outputShape: shapeText(l.outputs[0] ? facts.get(l.outputs[0])?.shape : undefined),
    macs: l.macs,
    params: l.params,
    outputBytes: l.outputBytes,
  }));
  const edges = a.layers.layers.flatMap((l) =>
    l.inputTensors.flatMap((t) => {
      const from = producer.get(t);
      return from === undefined ? [] : [{ from, to: l.id, tensor: t, bytes: a.layers.tensorBytes.get(t) ?? 0 }];
    }),
  );
  return {
    fileName,
    layers,
    edges,
    totals: { macs: a.totals.macs, params: a.totals.params, nodes: a.shapes.order.length },
    graphOnly,
    warnings,
  };
}
