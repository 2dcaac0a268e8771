/** An event of ONNX Runtime's profiler output (Chrome trace JSON). */
export interface OrtTraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

/**
 * Per-node kernel times (µs, one entry per run, in run order) from an ORT profile: node events
 * are named `<node>_kernel_time` (graph optimisation disabled keeps them 1:1 with the file's nodes).
 */
export function ortNodeTimes(events: readonly OrtTraceEvent[], warmup = 0): Record<string, number[]> {
  const seen = new Map<string, number[]>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time')) continue;
    const node = e.name.slice(0, -'_kernel_time'.length);
    const list = seen.get(node) ?? [];
    list.push(e.dur ?? 0);
    seen.set(node, list);
  }
  return Object.fromEntries([...seen].map(([k, v]) => [k, v.slice(warmup)]));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

/**
 * Layer latencies (ms) from node times: each run's layer time is the sum of its nodes' times;
 * returns the median and p90 over runs per layer, and the layers no node of the profile matched.
 */
export function layerTimes(
  layers: readonly { readonly id: number; readonly nodes: readonly string[] }[],
  nodeUs: Readonly<Record<string, readonly number[]>>,
): { layers: { id: number; ms: number; p90: number }[]; unmatched: number[] } {
  const runs = Math.max(0, ...Object.values(nodeUs).map((v) => v.length));
  const unmatched: number[] = [];
  const out = layers.map((l) => {
    const perRun = Array.from({ length: runs }, (_, r) => l.nodes.reduce((s, n) => s + (nodeUs[n]?.[r] ?? 0), 0) / 1000);
    if (!l.nodes.some((n) => nodeUs[n])) unmatched.push(l.id);
    return { id: l.id, ms: median(perRun), p90: percentile(perRun, 90) };
  });
  return { layers: out, unmatched };
}
