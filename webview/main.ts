// The EdgeCut graph view (browser only): draws what the host sends, asks it to re-plan.
import { PROTOCOL_VERSION, type FromWebview, type InitMessage, type MeasuredRun, type PlanSettings, type PlanView, type StrategyKey, type ToWebview } from '../src/protocol';
import { clear, el } from './dom';
import { fmtCount } from '../src/core/format';
import { GraphView } from './graphView';
import type { Viewport } from './panZoom';
import { renderStrategies } from './strategies';
import { renderTimeline } from './timeline';
import { nextTimeline } from '../src/core/view/timelineModel';
import { toolbar } from './toolbar';
import { Tooltip } from './tooltip';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

/** What survives the panel being hidden (no retainContextWhenHidden). */
interface SavedState {
  settings?: PlanSettings;
  viewport?: Viewport;
  expanded?: string[];
  timeline?: StrategyKey;
  /** The last deployed run that switched the timeline to its strategy (once per run). */
  shownRun?: string;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const workerUrl = app.dataset.layoutWorker ?? '';
const state: SavedState = vscode.getState() ?? {};
const save = (patch: Partial<SavedState>): void => vscode.setState(Object.assign(state, patch));
const send = (m: FromWebview): void => vscode.postMessage(m);

let graph: GraphView | undefined;
let plan: PlanView | undefined;
/** The deployed run of the plan shown, if the host sent one after it. */
let run: MeasuredRun | undefined;
let model: InitMessage['model'] | undefined;
const tooltip = new Tooltip();
const banner = el('div', { class: 'banner', role: 'alert', hidden: true });
const strategiesHost = el('div', { class: 'strategies', 'aria-live': 'polite' });
const timelineHost = el('div', { class: 'timeline', 'data-testid': 'timeline' });
const graphHost = el('div', { class: 'graph-host' });
const status = el('div', { class: 'statusline' });
let controls: ReturnType<typeof toolbar> | undefined;
const timelineToggle = el('button', { class: 'link-button', 'data-testid': 'timeline-toggle', title: 'Switch the pipeline between strategies' }, 'show PO');
timelineToggle.addEventListener('click', () => {
  save({ timeline: nextTimeline(state.timeline ?? 'JPS', run) });
  if (plan) drawTimeline(plan);
});
let searchHits: number[] = [];
let searchIndex = 0;

function init(m: InitMessage): void {
  model = m.model;
  clear(app);
  const settings = state.settings ?? m.settings;
  const bar = (controls = toolbar(m.choices, settings, {
    settingsChanged: (s) => {
      save({ settings: s });
      send({ type: 'replan', settings: s });
    },
    search: (q, next) => {
      if (!graph) return;
      if (!next) {
        searchHits = graph.search(q);
        searchIndex = 0;
      }
      const hit = searchHits[searchIndex++ % Math.max(1, searchHits.length)];
      if (next && hit !== undefined) graph.reveal(hit);
    },
    zoom: (f) => graph?.zoomBy(f),
    fit: () => graph?.fit(),
    exportPlan: (kind) => send({ type: 'export', kind }),
  }));
  const t = m.model.totals;
  status.textContent = `${m.model.fileName}: ${t.nodes} nodes in ${m.model.layers.length} layers, ${fmtCount(t.macs)} MACs, ${fmtCount(t.params)} params${m.model.graphOnly ? ' · graph only (weights file missing)' : ''}`;
  app.append(bar.element, banner, el('div', { class: 'summary' }, strategiesHost, el('div', { class: 'timeline-box' }, timelineToggle, timelineHost)), graphHost, status, tooltip.element);
  graph = new GraphView(graphHost, m.model, workerUrl, {
    hover: (target, at) => {
      if (!target) return tooltip.hide();
      if ('layer' in target) {
        const l = model?.layers[target.layer];
        if (l) tooltip.showLayer(l, plan, at);
      } else tooltip.showText(`${target.group.slice(1)}…: collapsed chain — click or press Enter to expand`, at);
    },
    viewportChanged: (v) => save({ viewport: v }),
    expandedChanged: (groups) => save({ expanded: [...groups] }),
  }, state.expanded ?? [], state.viewport);
  graph.relayout();
  if (m.model.warnings.length) showBanner(m.model.warnings.join(' · '), 'warning');
  if (state.settings && JSON.stringify(state.settings) !== JSON.stringify(m.settings)) send({ type: 'replan', settings: state.settings });
}

function drawTimeline(p: PlanView): void {
  const which = state.timeline ?? 'JPS';
  timelineToggle.textContent = `show ${nextTimeline(which, run)}`;
  renderTimeline(timelineHost, p, which, run, (text, at) => (text ? tooltip.showText(text, at) : tooltip.hide()));
}

/** A deployment's measured run: a new one switches the timeline to the strategy it ran. */
function showRun(r: MeasuredRun): void {
  run = r;
  if (state.shownRun !== r.id) save({ timeline: r.strategy, shownRun: r.id });
  if (plan) drawTimeline(plan);
}

function showPlan(p: PlanView): void {
  plan = p;
  // A run belongs to the plan it was deployed from: the host sends it again after a plan it fits.
  run = undefined;
  banner.hidden = banner.dataset.kind !== 'warning' || banner.hidden;
  renderStrategies(strategiesHost, p);
  drawTimeline(p);
  graph?.applyPlan(p);
}

function showBanner(text: string, kind: 'error' | 'warning'): void {
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.className = `banner ${kind}`;
  banner.hidden = false;
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'init':
      return init(m);
    case 'plan':
      if (m.choices && controls) {
        // The host re-planned on its own (a device was measured): the controls follow.
        controls.setDevices(m.choices.devices);
        controls.set(m.plan.settings);
        save({ settings: m.plan.settings });
      }
      return showPlan(m.plan);
    case 'error':
      return showBanner(m.message, 'error');
    case 'run':
      return showRun(m.run);
  }
});

window.addEventListener('keydown', (e) => {
  if ((e.target as HTMLElement).closest('input, select')) return;
  const keys: Record<string, () => void> = {
    '+': () => graph?.zoomBy(1.25),
    '=': () => graph?.zoomBy(1.25),
    '-': () => graph?.zoomBy(0.8),
    '0': () => graph?.fit(),
    ArrowLeft: () => graph?.panBy(60, 0),
    ArrowRight: () => graph?.panBy(-60, 0),
    ArrowUp: () => graph?.panBy(0, 60),
    ArrowDown: () => graph?.panBy(0, -60),
    '/': () => document.querySelector<HTMLInputElement>('[data-testid=control-search]')?.focus(),
  };
  const action = keys[e.key];
  if (action) {
    e.preventDefault();
    action();
  }
});

window.addEventListener('resize', () => plan && drawTimeline(plan));
send({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
