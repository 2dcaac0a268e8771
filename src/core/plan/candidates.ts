import { evaluateCut, latencyOf, type CutCandidate } from './cut';
import { bestSingleCut, minCutHead } from './minCut';
import { deviceSendBytesMs, serializationMs, type NetworkLink } from './network';
import type { PlanGraph } from './planGraph';

/**
 * Candidate cuts for scheduling many jobs (JPS, Duan & Wu ICPP'21 §4): the Pareto frontier of
 * (device ms, uplink ms). Its convex part comes from a parametric min cut of device + λ·uplink
 * (each breakpoint found by bisection on λ, as in Eisner–Severance's parametric cut); prefixes
 * of the topological order add the non-convex points a chain would have; the best single-job
 * cut is kept too so mixing can never do worse than PO.
 */
export function candidateCuts(g: PlanGraph, link: NetworkLink): CutCandidate[] {
  const found = new Map<string, CutCandidate>();
  const add = (head: ReadonlySet<number>): CutCandidate => {
    const key = [...head].sort((a, b) => a - b).join(',');
    const known = found.get(key);
    if (known) return known;
    const c = evaluateCut(g, head, link);
    found.set(key, c);
    return c;
  };
  const all = g.layers.map((l) => l.id);
  const local = add(new Set(all));
  const cloud = add(new Set());
  const po = add(bestSingleCut(g, link).head);
  for (let k = 1; k < all.length; k++) add(new Set(all.slice(0, k)));
  hull(g, link, cloud, local, add, 0);
  const frontier = paretoFrontier([...found.values()]);
  if (!frontier.includes(po)) frontier.push(po);
  return frontier.sort((a, b) => a.deviceMs - b.deviceMs || a.uplinkMs - b.uplinkMs);
}

/** Recursive breakpoint search between two hull points p (less device time) and q. */
function hull(
  g: PlanGraph,
  link: NetworkLink,
  p: CutCandidate,
  q: CutCandidate,
  add: (head: ReadonlySet<number>) => CutCandidate,
  depth: number,
): void {
  const bp = bandwidthMs(g, p, link);
  const bq = bandwidthMs(g, q, link);
  if (depth > 40 || q.deviceMs - p.deviceMs <= 1e-9 || bp - bq <= 1e-9) return;
  const lambda = (q.deviceMs - p.deviceMs) / (bp - bq);
  const head = minCutHead(g, {
    device: (v) => g.layers[v]?.deviceMs ?? 0,
    server: () => 0,
    // A candidate's device time includes its send time per byte (cut.ts), so the cut pays it too.
    tensor: (i) => lambda * serializationMs(g.tensors[i]?.bytes ?? 0, link.upMbps) + deviceSendBytesMs(g.tensors[i]?.bytes ?? 0, link),
  });
  const r = add(head);
  const value = (c: CutCandidate): number => c.deviceMs + lambda * bandwidthMs(g, c, link);
  if (value(r) < value(p) - 1e-9) {
    hull(g, link, p, r, add, depth + 1);
    hull(g, link, r, q, add, depth + 1);
  }
}

function bandwidthMs(g: PlanGraph, c: CutCandidate, link: NetworkLink): number {
  const names = new Set(c.cutTensors);
  let bytes = 0;
  for (const t of g.tensors) if (names.has(t.name)) bytes += t.bytes;
  return serializationMs(bytes, link.upMbps);
}

/** Cuts no other cut beats on both device and uplink time (ties broken by total latency). */
export function paretoFrontier(cuts: readonly CutCandidate[]): CutCandidate[] {
  const sorted = [...cuts].sort((a, b) => a.deviceMs - b.deviceMs || a.uplinkMs - b.uplinkMs || latencyOf(a) - latencyOf(b));
  const out: CutCandidate[] = [];
  let bestUp = Infinity;
  for (const c of sorted) {
    if (c.uplinkMs < bestUp - 1e-12) {
      out.push(c);
      bestUp = c.uplinkMs;
    }
  }
  return out;
}
