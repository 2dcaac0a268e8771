import { evaluateCut, latencyOf, type CutCandidate } from './cut';
import { FlowNetwork } from './maxFlow';
import { deviceSendBytesMs, serializationMs, type NetworkLink } from './network';
import type { PlanGraph } from './planGraph';

/** Per-layer and per-tensor weights of a cut objective Σ_H device + Σ_T server + Σ_cut tensor. */
export interface CutWeights {
  readonly device: (layer: number) => number;
  readonly server: (layer: number) => number;
  readonly tensor: (tensor: number) => number;
}

/**
 * Minimises a cut objective over head sets closed under predecessors, exactly, as an s–t min
 * cut (DADS, Hu et al., INFOCOM'19, §IV): s = device, t = server; a layer on the device cuts its
 * v→t edge (device time), on the server its s→v edge (server time); each tensor gets one
 * auxiliary node so it is paid once however many server layers read it; infinite edges from
 * consumer to producer forbid server→device flow.
 */
export function minCutHead(g: PlanGraph, w: CutWeights): Set<number> {
  const L = g.layers.length;
  const S = 0;
  const T = 1;
  const node = (layer: number): number => 2 + layer;
  const net = new FlowNetwork(2 + L + g.tensors.length);
  for (const l of g.layers) {
    net.addEdge(S, node(l.id), w.server(l.id));
    net.addEdge(node(l.id), T, w.device(l.id));
    for (const p of l.inputs) net.addEdge(node(l.id), node(p), Infinity);
  }
  g.tensors.forEach((t, i) => {
    const from = t.producer === undefined ? S : node(t.producer);
    const aux = 2 + L + i;
    net.addEdge(from, aux, w.tensor(i));
    for (const c of t.consumers) net.addEdge(aux, node(c), Infinity);
  });
  net.maxFlow(S, T);
  const side = net.sourceSide(S);
  return new Set(g.layers.filter((l) => side[node(l.id)]).map((l) => l.id));
}

/**
 * The exact best single-job split (Neurosurgeon for chains, DADS for DAGs). The min cut pays
 * what grows with the bytes (the link's bandwidth, the device's send time per byte); each
 * non-empty message adds rttMs/2 and the per-message send time, so the cut is compared with
 * local-only.
 */
export function bestSingleCut(g: PlanGraph, link: NetworkLink): CutCandidate {
  const downBytes = new Map<number, number>();
  for (const o of g.outputs) if (o.layer !== undefined) downBytes.set(o.layer, (downBytes.get(o.layer) ?? 0) + o.bytes);
  const head = minCutHead(g, {
    device: (v) => g.layers[v]?.deviceMs ?? 0,
    server: (v) => (g.layers[v]?.serverMs ?? 0) + serializationMs(downBytes.get(v) ?? 0, link.downMbps),
    tensor: (i) => serializationMs(g.tensors[i]?.bytes ?? 0, link.upMbps) + deviceSendBytesMs(g.tensors[i]?.bytes ?? 0, link),
  });
  const cut = evaluateCut(g, head, link);
  const local = evaluateCut(g, new Set(g.layers.map((l) => l.id)), link);
  return latencyOf(local) <= latencyOf(cut) ? local : cut;
}
