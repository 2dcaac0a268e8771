import type { ModelView, PlanView } from '../src/protocol';
import { linearChains, type LayerGroup } from './collapse';
import { clear, svg } from './dom';
import { fmtBytes, fmtMs } from '../src/core/format';
import { layeredLayout } from '../src/core/view/layeredLayout';
import { elkLayout } from './layout';
import type { LayoutRequest, LayoutResult, Point } from '../src/core/view/layoutTypes';
import { PanZoom, type Viewport } from './panZoom';

const NODE_W = 168;
const NODE_H = 40;

export interface GraphCallbacks {
  hover(target: { layer: number } | { group: string } | undefined, at: { x: number; y: number }): void;
  viewportChanged(v: Viewport): void;
  expandedChanged(groups: readonly string[]): void;
}

interface VisibleEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly pairs: readonly { from: number; to: number; tensor: string }[];
}

/** The layer graph: layout (ELK in a worker, instant fallback first), drawing and plan overlay. */
export class GraphView {
  readonly svgEl: SVGSVGElement;
  private readonly content: SVGGElement;
  private readonly panZoom: PanZoom;
  private readonly groups: readonly LayerGroup[];
  private readonly groupOf = new Map<number, LayerGroup>();
  private expanded: Set<string>;
  private layout: LayoutResult | undefined;
  private plan: PlanView | undefined;
  private layoutToken = 0;
  private fitted = false;

  constructor(
    host: HTMLElement,
    private readonly model: ModelView,
    private readonly workerUrl: string,
    private readonly callbacks: GraphCallbacks,
    expanded: readonly string[],
    private readonly initialViewport: Viewport | undefined,
  ) {
    this.groups = linearChains(model);
    for (const g of this.groups) for (const l of g.layers) this.groupOf.set(l, g);
    this.expanded = new Set(expanded);
    this.svgEl = svg('svg', { 'data-testid': 'graph', 'data-layer-count': model.layers.length, class: 'graph', role: 'img', 'aria-label': `Layer graph of ${model.fileName}` });
    this.content = svg('g');
    this.svgEl.append(this.content);
    host.append(this.svgEl);
    this.panZoom = new PanZoom(this.svgEl, this.content, (v) => callbacks.viewportChanged(v));
  }

  /** Lays out what is visible: the fallback at once, then ELK when (and if) it answers in time. */
  relayout(): void {
    const req = this.layoutRequest();
    this.draw(layeredLayout(req));
    const token = ++this.layoutToken;
    void elkLayout(this.workerUrl, req).then((result) => {
      if (result && token === this.layoutToken) this.draw(result);
      this.svgEl.setAttribute('data-layout', result ? 'elk' : 'fallback');
    });
  }

  /** Overlays a plan without re-laying out (a collapsed chain a cut passes through is marked). */
  applyPlan(plan: PlanView): void {
    this.plan = plan;
    this.overlay();
  }

  toggleGroup(id: string): void {
    if (this.expanded.has(id)) this.expanded.delete(id);
    else this.expanded.add(id);
    this.callbacks.expandedChanged([...this.expanded]);
    this.relayout();
  }

  fit(): void {
    if (this.layout) this.panZoom.fit(this.layout.width, this.layout.height);
  }

  zoomBy(f: number): void {
    this.panZoom.zoomBy(f);
  }

  panBy(dx: number, dy: number): void {
    this.panZoom.panBy(dx, dy);
  }

  /** Highlights layers whose name or op contains `query`; returns them in order. */
  search(query: string): number[] {
    const q = query.trim().toLowerCase();
    const hits = q ? this.model.layers.filter((l) => l.name.toLowerCase().includes(q) || l.ops.some((o) => o.toLowerCase().includes(q))).map((l) => l.id) : [];
    const set = new Set(hits);
    for (const node of this.svgEl.querySelectorAll<SVGGElement>('[data-testid=layer]')) node.classList.toggle('match', set.has(Number(node.dataset.layerId)));
    return hits;
  }

  /** Brings a layer into view, expanding its group first if needed. */
  reveal(layer: number): void {
    const g = this.groupOf.get(layer);
    if (g && !this.expanded.has(g.id)) {
      this.toggleGroup(g.id);
    }
    const p = this.layout?.positions[`l${layer}`];
    if (p) this.panZoom.centre(p.x + NODE_W / 2, p.y + NODE_H / 2);
    this.svgEl.querySelector<SVGGElement>(`[data-layer-id="${layer}"]`)?.focus();
  }

  private visibleId(layer: number): string {
    const g = this.groupOf.get(layer);
    return g && !this.expanded.has(g.id) ? g.id : `l${layer}`;
  }

  private layoutRequest(): LayoutRequest {
    const ids = new Set(this.model.layers.map((l) => this.visibleId(l.id)));
    return { nodes: [...ids].map((id) => ({ id, width: NODE_W, height: NODE_H })), edges: this.visibleEdges().map((e) => ({ id: e.id, source: e.from, target: e.to })) };
  }

  private visibleEdges(): VisibleEdge[] {
    const byPair = new Map<string, VisibleEdge>();
    for (const e of this.model.edges) {
      const from = this.visibleId(e.from);
      const to = this.visibleId(e.to);
      if (from === to) continue;
      const id = `${from}>${to}`;
      const known = byPair.get(id);
      byPair.set(id, { id, from, to, pairs: [...(known?.pairs ?? []), { from: e.from, to: e.to, tensor: e.tensor }] });
    }
    return [...byPair.values()];
  }

  private draw(layout: LayoutResult): void {
    this.layout = layout;
    clear(this.content);
    const edges = svg('g', { class: 'edges' });
    const nodes = svg('g', { class: 'nodes' });
    for (const e of this.visibleEdges()) edges.append(this.edgeElement(e, layout));
    for (const l of this.model.layers) {
      const id = this.visibleId(l.id);
      if (id !== `l${l.id}`) continue;
      nodes.append(this.layerElement(l.id, layout.positions[id]));
    }
    for (const g of this.groups) if (!this.expanded.has(g.id)) nodes.append(this.groupElement(g, layout.positions[g.id]));
    this.content.append(edges, nodes);
    if (!this.fitted && this.initialViewport) this.panZoom.set(this.initialViewport);
    else if (!this.fitted || !this.panZoom.touched) this.panZoom.fitWidth(layout.width, layout.height);
    this.fitted = true;
    this.svgEl.setAttribute('data-painted', 'true');
    this.overlay();
  }

  private layerElement(id: number, at: Point | undefined): SVGGElement {
    const l = this.model.layers[id];
    const g = svg('g', { 'data-testid': 'layer', 'data-layer-id': id, class: 'layer', tabindex: 0, transform: `translate(${at?.x ?? 0},${at?.y ?? 0})`, role: 'button', 'aria-label': `${l?.op ?? ''} ${l?.name ?? ''}` });
    g.append(svg('rect', { width: NODE_W, height: NODE_H, rx: 4 }), svg('text', { x: 8, y: 16, class: 'op' }, l?.op ?? ''), svg('text', { x: 8, y: 31, class: 'shape' }, l?.outputShape ?? ''));
    this.hoverable(g, { layer: id });
    return g;
  }

  private groupElement(group: LayerGroup, at: Point | undefined): SVGGElement {
    const ops = [...new Set(group.layers.map((id) => this.model.layers[id]?.op ?? ''))].slice(0, 3).join(', ');
    const g = svg('g', { 'data-testid': 'layer-group', 'data-group': group.id, class: 'layer group', tabindex: 0, transform: `translate(${at?.x ?? 0},${at?.y ?? 0})`, role: 'button', 'aria-label': `${group.layers.length} layers, press Enter to expand` });
    g.append(svg('rect', { width: NODE_W, height: NODE_H, rx: 4 }), svg('text', { x: 8, y: 16, class: 'op' }, `▸ ${group.layers.length} layers`), svg('text', { x: 8, y: 31, class: 'shape' }, ops));
    g.addEventListener('click', () => this.toggleGroup(group.id));
    g.addEventListener('keydown', (e) => e.key === 'Enter' && this.toggleGroup(group.id));
    this.hoverable(g, { group: group.id });
    return g;
  }

  private hoverable(g: SVGGElement, target: { layer: number } | { group: string }): void {
    const show = (x: number, y: number): void => this.callbacks.hover(target, { x, y });
    g.addEventListener('mouseenter', (e) => show(e.clientX, e.clientY));
    g.addEventListener('mousemove', (e) => show(e.clientX, e.clientY));
    g.addEventListener('mouseleave', () => this.callbacks.hover(undefined, { x: 0, y: 0 }));
    g.addEventListener('focus', () => {
      const r = g.getBoundingClientRect();
      show(r.right, r.top);
    });
    g.addEventListener('blur', () => this.callbacks.hover(undefined, { x: 0, y: 0 }));
  }

  private edgeElement(e: VisibleEdge, layout: LayoutResult): SVGGElement {
    const a = layout.positions[e.from] ?? { x: 0, y: 0 };
    const b = layout.positions[e.to] ?? { x: 0, y: 0 };
    const route = layout.routes[e.id];
    const d = route
      ? `M${route.map((p) => `${p.x},${p.y}`).join(' L')}`
      : `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${a.y + NODE_H + 30} ${b.x + NODE_W / 2},${b.y - 30} ${b.x + NODE_W / 2},${b.y}`;
    const g = svg('g', { class: 'edge', 'data-from': e.from, 'data-to': e.to, 'data-tensors': e.pairs.map((p) => p.tensor).join(' ') });
    g.append(svg('path', { d }));
    return g;
  }

  /** Placement colours, cut edges and their labels for the current plan. */
  private overlay(): void {
    const plan = this.plan;
    if (!plan || !this.layout) return;
    const head = new Set(plan.head);
    const cut = new Map(plan.cutEdges.map((c) => [c.tensor, c]));
    for (const node of this.svgEl.querySelectorAll<SVGGElement>('[data-testid=layer]')) {
      const onDevice = head.has(Number(node.dataset.layerId));
      node.setAttribute('data-placement', onDevice ? 'device' : 'server');
      node.classList.toggle('device', onDevice);
      node.classList.toggle('server', !onDevice);
    }
    const cutInside = new Set(this.groupsHidingCuts(plan));
    for (const node of this.svgEl.querySelectorAll<SVGGElement>('[data-testid=layer-group]')) {
      const group = this.groups.find((g) => g.id === node.dataset.group);
      const onDevice = group?.layers.filter((l) => head.has(l)).length ?? 0;
      const placement = onDevice === group?.layers.length ? 'device' : onDevice === 0 ? 'server' : 'mixed';
      node.setAttribute('data-placement', placement);
      node.setAttribute('class', `layer group ${placement}${cutInside.has(group?.id ?? '') ? ' has-cut' : ''}`);
      node.setAttribute('aria-label', `${group?.layers.length ?? 0} layers${cutInside.has(group?.id ?? '') ? ', the cut is inside' : ''}, press Enter to expand`);
    }
    for (const old of this.content.querySelectorAll('.cut-label')) old.remove();
    for (const edge of this.content.querySelectorAll<SVGGElement>('g.edge')) {
      const tensors = (edge.dataset.tensors ?? '').split(' ').filter((t) => cut.has(t));
      const isCut = tensors.length > 0 && (this.isDevice(edge.dataset.from, head) && !this.isDevice(edge.dataset.to, head));
      edge.classList.toggle('cut', isCut);
      if (isCut) edge.setAttribute('data-testid', 'cut-edge');
      else edge.removeAttribute('data-testid');
      if (isCut) edge.append(this.cutLabel(edge, tensors.map((t) => cut.get(t) as PlanView['cutEdges'][number])));
    }
    this.svgEl.setAttribute('data-plan-version', String(plan.version));
  }

  private isDevice(visibleId: string | undefined, head: ReadonlySet<number>): boolean {
    if (!visibleId) return false;
    if (visibleId.startsWith('l')) return head.has(Number(visibleId.slice(1)));
    const g = this.groups.find((x) => x.id === visibleId);
    return !!g && g.layers.every((l) => head.has(l));
  }

  private cutLabel(edge: SVGGElement, cuts: readonly PlanView['cutEdges'][number][]): SVGTextElement {
    const path = edge.querySelector('path');
    const box = path?.getBBox();
    const total = cuts.reduce((s, c) => s + c.bytes, 0);
    const msUp = cuts.reduce((s, c) => s + c.uplinkMs, 0);
    const label = svg('text', { class: 'cut-label', x: (box?.x ?? 0) + (box?.width ?? 0) / 2 + 8, y: (box?.y ?? 0) + (box?.height ?? 0) / 2 }, `${fmtBytes(total)} · ${fmtMs(msUp)} ms`);
    return label;
  }

  /** Collapsed chains that a cut edge runs inside of (its ends in the same group). */
  private groupsHidingCuts(plan: PlanView): string[] {
    const head = new Set(plan.head);
    const out = new Set<string>();
    for (const e of this.model.edges) {
      if (!(head.has(e.from) && !head.has(e.to))) continue;
      const g = this.groupOf.get(e.from);
      if (g && g === this.groupOf.get(e.to) && !this.expanded.has(g.id)) out.add(g.id);
    }
    return [...out];
  }
}
