import fc from 'fast-check';
import type { PlanGraph, PlanTensor } from '../../../src/core/plan/planGraph';

/**
 * Random small layer DAGs: each layer reads one or two earlier tensors (or the graph input),
 * outputs are the sinks, so every layer leads to an output.
 */
export const randomPlanGraph = (maxLayers = 9): fc.Arbitrary<PlanGraph> =>
  fc
    .array(
      fc.record({
        device: fc.double({ min: 0, max: 50, noNaN: true }),
        server: fc.double({ min: 0, max: 10, noNaN: true }),
        bytes: fc.integer({ min: 0, max: 200_000 }),
        a: fc.nat(),
        b: fc.option(fc.nat(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: maxLayers },
    )
    .chain((specs) => fc.constant(build(specs)).chain((g) => fc.integer({ min: 1000, max: 600_000 }).map((inputBytes) => withInput(g, inputBytes))));

interface Spec {
  device: number;
  server: number;
  bytes: number;
  a: number;
  b: number | undefined;
}

function build(specs: Spec[]): PlanGraph {
  const consumers = new Map<number, Set<number>>(); // producer (-1 = input) → consumers
  const layers = specs.map((s, id) => {
    const preds = new Set<number>([(s.a % (id + 1)) - 1]);
    if (s.b !== undefined) preds.add((s.b % (id + 1)) - 1);
    for (const p of preds) consumers.set(p, new Set([...(consumers.get(p) ?? []), id]));
    return { id, deviceMs: s.device, serverMs: s.server, inputs: [...preds].filter((p) => p >= 0).sort((x, y) => x - y) };
  });
  const tensors: PlanTensor[] = [...consumers].map(([p, cs]) => ({
    name: p < 0 ? 'input' : `t${p}`,
    producer: p < 0 ? undefined : p,
    consumers: [...cs],
    bytes: p < 0 ? 0 : (specs[p] as Spec).bytes,
  }));
  const sinks = layers.filter((l) => !consumers.has(l.id));
  return { layers, tensors, outputs: sinks.map((l) => ({ tensor: `t${l.id}`, layer: l.id, bytes: 4000 })) };
}

function withInput(g: PlanGraph, inputBytes: number): PlanGraph {
  return { ...g, tensors: g.tensors.map((t) => (t.producer === undefined ? { ...t, bytes: inputBytes } : t)) };
}

/** Every head set closed under predecessors (for brute force). */
export function allClosedHeads(g: PlanGraph): Set<number>[] {
  const out: Set<number>[] = [];
  const n = g.layers.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const head = new Set<number>();
    for (let i = 0; i < n; i++) if (mask & (1 << i)) head.add(i);
    if (g.layers.every((l) => !head.has(l.id) || l.inputs.every((p) => head.has(p)))) out.push(head);
  }
  return out;
}
