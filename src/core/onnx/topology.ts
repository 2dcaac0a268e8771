import { ModelError } from '../errors';
import type { OnnxGraph, OnnxNode } from './model';

/**
 * Orders a graph's nodes so every producer precedes its consumers (ONNX requires the file to be
 * sorted already; exporters sometimes are not). Rejects duplicate producers, inputs nobody
 * provides, and cycles, naming the nodes involved.
 * `outer` holds names visible from enclosing graphs (for If/Loop/Scan bodies).
 */
export function topologicalOrder(graph: OnnxGraph, outer: ReadonlySet<string> = new Set()): OnnxNode[] {
  const available = new Set<string>(outer);
  for (const v of graph.inputs) available.add(v.name);
  for (const name of graph.initializers.keys()) available.add(name);
  const producer = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    for (const out of node.outputs) {
      if (out === '') continue;
      if (producer.has(out)) {
        const other = graph.nodes[producer.get(out) ?? 0]?.name;
        throw new ModelError('duplicate-output', `tensor '${out}' is produced by two nodes: '${other}' and '${node.name}'`);
      }
      producer.set(out, i);
    }
  });
  const waiting = graph.nodes.map(() => 0);
  const consumers = graph.nodes.map((): number[] => []);
  graph.nodes.forEach((node, i) => {
    for (const input of new Set(node.inputs)) {
      if (input === '') continue;
      const p = producer.get(input);
      if (p !== undefined) {
        waiting[i] = (waiting[i] ?? 0) + 1;
        consumers[p]?.push(i);
      } else if (!available.has(input)) {
        throw new ModelError(
          'dangling-input',
          `node '${node.name}' (${node.opType}) reads tensor '${input}', which no node, graph input or initializer provides`,
        );
      }
    }
  });
  return kahn(graph.nodes, waiting, consumers);
}

function kahn(nodes: readonly OnnxNode[], waiting: number[], consumers: number[][]): OnnxNode[] {
  // Keep file order among ready nodes (a stable sort), so sorted files stay as they are.
  const ready: number[] = [];
  waiting.forEach((w, i) => w === 0 && ready.push(i));
  const order: OnnxNode[] = [];
  const queued = new MinQueue(ready);
  while (queued.size > 0) {
    const i = queued.pop();
    order.push(nodes[i] as OnnxNode);
    for (const c of consumers[i] ?? []) {
      if (--(waiting[c] as number) === 0) queued.push(c);
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => (waiting[i] ?? 0) > 0).map((n) => `'${n.name}'`);
    const shown = stuck.slice(0, 5).join(', ') + (stuck.length > 5 ? `, … (${stuck.length} in all)` : '');
    throw new ModelError('cycle', `the graph has a cycle: nodes ${shown} wait on each other`);
  }
  return order;
}

/** A binary min-heap of node indices. */
class MinQueue {
  private readonly heap: number[] = [];
  constructor(items: readonly number[]) {
    for (const i of items) this.push(i);
  }
  get size(): number {
    return this.heap.length;
  }
  push(v: number): void {
    const h = this.heap;
    h.push(v);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as number) <= v) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = v;
  }
  pop(): number {
    const h = this.heap;
    const top = h[0] as number;
    const last = h.pop() as number;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && (h[r] as number) < (h[l] as number) ? r : l;
        if ((h[c] as number) >= last) break;
        h[i] = h[c] as number;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
