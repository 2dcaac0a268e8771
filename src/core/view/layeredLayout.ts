import type { LayoutRequest, LayoutResult, Point } from './layoutTypes';

/**
 * Instant layered layout: rows by longest path, centred. The webview shows it until (or instead
 * of) ELK's; the offline HTML report uses it as is.
 */
export function layeredLayout(req: LayoutRequest): LayoutResult {
  const index = new Map(req.nodes.map((n, i) => [n.id, i]));
  const depth = req.nodes.map(() => 0);
  const preds = req.nodes.map((): number[] => []);
  for (const e of req.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s !== undefined && t !== undefined && s < t) preds[t]?.push(s);
  }
  req.nodes.forEach((_, i) => {
    for (const p of preds[i] ?? []) depth[i] = Math.max(depth[i] ?? 0, (depth[p] ?? 0) + 1);
  });
  const rows = new Map<number, number[]>();
  depth.forEach((d, i) => rows.set(d, [...(rows.get(d) ?? []), i]));
  const gapX = 22;
  const gapY = 36;
  const rowHeight = Math.max(40, ...req.nodes.map((n) => n.height)) + gapY;
  const widths = [...rows.values()].map((r) => r.reduce((s, i) => s + (req.nodes[i]?.width ?? 0) + gapX, -gapX));
  const width = Math.max(0, ...widths);
  const positions: Record<string, Point> = {};
  for (const [d, ids] of rows) {
    let x = (width - ids.reduce((s, i) => s + (req.nodes[i]?.width ?? 0) + gapX, -gapX)) / 2;
    for (const i of ids) {
      const n = req.nodes[i];
      if (!n) continue;
      positions[n.id] = { x, y: d * rowHeight };
      x += n.width + gapX;
    }
  }
  return { positions, routes: {}, width, height: rows.size * rowHeight, engine: 'fallback' };
}
