import type { LayoutRequest, LayoutResult, Point } from './layoutTypes';

/** Gives ELK this long before keeping the fallback layout (netron's practice). */
export const LAYOUT_TIME_LIMIT_MS = 4000;

/**
 * Lays out in a worker (elkjs), built from a blob so the webview's CSP allows it; resolves
 * undefined if the worker fails or misses the time limit, so the caller keeps the fallback.
 */
export async function elkLayout(workerUrl: string, req: LayoutRequest): Promise<LayoutResult | undefined> {
  let worker: Worker | undefined;
  try {
    const source = await (await fetch(workerUrl)).text();
    worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const w = worker;
    return await new Promise<LayoutResult | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), LAYOUT_TIME_LIMIT_MS);
      w.onmessage = (e: MessageEvent<LayoutResult>) => {
        clearTimeout(timer);
        resolve(e.data);
      };
      w.onerror = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
      w.postMessage(req);
    });
  } catch {
    return undefined;
  } finally {
    worker?.terminate();
  }
}

/** Instant layered layout: rows by longest path, centred; used until (or instead of) ELK. */
export function fallbackLayout(req: LayoutRequest): LayoutResult {
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
