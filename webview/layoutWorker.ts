// Runs elkjs's layered layout off the UI thread (DESIGN.md: layout never blocks the view).
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { LayoutRequest, LayoutResult, Point } from '../src/core/view/layoutTypes';

const elk = new ELK();

const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '22',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

self.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const req = event.data;
  const input: ElkNode = {
    id: 'root',
    layoutOptions: OPTIONS,
    children: req.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: req.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const graph = await elk.layout(input);
  const positions: Record<string, Point> = {};
  for (const c of graph.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  const routes: Record<string, Point[]> = {};
  for (const e of graph.edges ?? []) {
    const s = e.sections?.[0];
    if (s) routes[e.id] = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
  }
  const result: LayoutResult = { positions, routes, width: graph.width ?? 0, height: graph.height ?? 0, engine: 'elk' };
  (self as unknown as Worker).postMessage(result);
};
