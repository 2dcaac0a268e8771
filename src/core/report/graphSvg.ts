import type { ModelPlan } from '../plan/plan';
import { fmtBytes, fmtMs } from '../format';
import { layeredLayout } from '../view/layeredLayout';
import { escapeHtml } from './escape';
import { serializationMs, type NetworkLink } from '../plan/network';

const W = 170;
const H = 38;
const GAP_Y = 34;

/** Layer positions for the offline report (the webview's instant layered layout). */
export function layeredPositions(m: ModelPlan): { x: number; y: number }[] {
  const layout = layeredLayout({
    nodes: m.graph.layers.map((l) => ({ id: `l${l.id}`, width: W, height: H })),
    edges: m.graph.layers.flatMap((l) => l.inputs.map((p) => ({ id: `${p}>${l.id}`, source: `l${p}`, target: `l${l.id}` }))),
  });
  return m.graph.layers.map((l) => {
    const p = layout.positions[`l${l.id}`] ?? { x: 0, y: 0 };
    return { x: p.x + 10, y: p.y + 10 };
  });
}

/** The layer graph coloured by placement for one head set, cut edges marked with bytes and ms. */
export function graphSvg(m: ModelPlan, head: ReadonlySet<number>, link: NetworkLink): string {
  const pos = layeredPositions(m);
  const width = Math.max(...pos.map((p) => p.x)) + W + 20;
  const height = Math.max(...pos.map((p) => p.y)) + H + 20;
  const edges: string[] = [];
  for (const t of m.graph.tensors) {
    if (t.producer === undefined) continue;
    for (const c of t.consumers) {
      const a = pos[t.producer] as { x: number; y: number };
      const b = pos[c] as { x: number; y: number };
      const cut = head.has(t.producer) && !head.has(c);
      const path = `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${a.y + H + GAP_Y} ${b.x + W / 2},${b.y - GAP_Y} ${b.x + W / 2},${b.y}`;
      edges.push(`<path d="${path}" class="${cut ? 'edge cut' : 'edge'}"><title>${escapeHtml(t.name)}: ${fmtBytes(t.bytes)}</title></path>`);
      if (cut) {
        const label = `${fmtBytes(t.bytes)} · ${fmtMs(serializationMs(t.bytes, link.upMbps))} ms`;
        edges.push(`<text x="${(a.x + b.x) / 2 + W / 2 + 6}" y="${(a.y + H + b.y) / 2}" class="cutlabel">${escapeHtml(label)}</text>`);
      }
    }
  }
  const nodes = m.graph.layers.map((l) => {
    const layer = m.analysis.layers.layers[l.id];
    const p = pos[l.id] as { x: number; y: number };
    const shape = layer?.outputs[0] ? m.analysis.shapes.facts.get(layer.outputs[0])?.shape?.join('×') ?? '?' : '';
    const tip = `${layer?.name ?? ''} (${layer?.ops.join('+') ?? ''})\ndevice ${fmtMs(l.deviceMs)} ms, server ${fmtMs(l.serverMs)} ms`;
    return `<g class="layer ${head.has(l.id) ? 'device' : 'server'}" transform="translate(${p.x},${p.y})"><title>${escapeHtml(tip)}</title><rect width="${W}" height="${H}" rx="5"/><text x="8" y="15" class="op">${escapeHtml(layer?.op ?? '')}</text><text x="8" y="30" class="shape">${escapeHtml(shape)}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${edges.join('')}${nodes.join('')}</svg>`;
}
