import type { MeasuredRun, PlanView, StrategyKey } from '../src/protocol';
import { clear, el, svg } from './dom';
import { fmtMs } from '../src/core/format';
import { STAGES } from '../src/core/plan/flowShop';
import { LANE_HEIGHT, timelineModel, type TimelineBar } from '../src/core/view/timelineModel';

export interface BarHover {
  (text: string | undefined, at: { x: number; y: number }): void;
}

/** Fill of measured jobs that fell back to the device (media/webview.css colours it). */
const HATCH = 'edgecut-fallback-hatch';

/**
 * The pipeline: one lane per resource, one bar per job stage, for the strategy shown; with a
 * deployed run of that strategy, its measured bars over the predicted ones and a legend.
 */
export function renderTimeline(host: HTMLElement, plan: PlanView, which: StrategyKey, run: MeasuredRun | undefined, hover: BarHover): void {
  clear(host);
  const t = timelineModel(plan, which, run, host.clientWidth);
  const root = svg('svg', { width: t.width, height: t.height, class: `timeline-svg${t.measured ? ' with-run' : ''}`, role: 'img', 'aria-label': t.ariaLabel, 'data-measured': t.measured });
  root.append(hatchDefs());
  STAGES.forEach((name, m) => root.append(svg('text', { x: 4, y: m * LANE_HEIGHT + 15, class: 'lane-label' }, name)));
  for (const b of t.bars) root.append(bar(b, hover));
  const bottom = t.height - 6;
  root.append(svg('text', { x: t.left, y: bottom, class: 'axis' }, '0'), svg('text', { x: t.width - 16, y: bottom, class: 'axis', 'text-anchor': 'end' }, `${fmtMs(t.scaleMs)} ms`));
  host.append(el('div', { class: 'timeline-title', 'data-testid': 'timeline-title' }, t.title), root);
  if (t.measured) host.append(legend(t.fallbacks > 0));
}

function bar(b: TimelineBar, hover: BarHover): SVGRectElement {
  const rect = svg('rect', {
    x: b.x.toFixed(1),
    y: b.y,
    width: b.width.toFixed(1),
    height: b.height,
    class: `bar ${b.kind} job-${b.job % 8}${b.fallback ? ' fallback' : ''}`,
    'data-job': b.job,
    'data-testid': b.kind === 'measured' ? 'measured-bar' : undefined,
  });
  rect.addEventListener('mouseenter', (e) => hover(b.text, { x: e.clientX, y: e.clientY }));
  rect.addEventListener('mouseleave', (e) => hover(undefined, { x: e.clientX, y: e.clientY }));
  return rect;
}

function hatchDefs(): SVGDefsElement {
  const pattern = svg('pattern', { id: HATCH, width: 4, height: 4, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, svg('rect', { width: 2, height: 4, class: 'hatch-line' }));
  return svg('defs', {}, pattern);
}

/** predicted (outlined) · measured (solid, lower half) · fell back to the device (hatched). */
function legend(fallbacks: boolean): HTMLElement {
  const swatch = (kind: string): SVGSVGElement =>
    svg('svg', { width: 18, height: 10, class: 'timeline-svg with-run', 'aria-hidden': 'true' }, svg('rect', { x: 1, y: 1, width: 16, height: 8, class: `bar ${kind} job-0` }));
  const item = (kind: string, label: string): HTMLElement => el('span', { class: 'legend-item' }, swatch(kind), label);
  return el(
    'div',
    { class: 'timeline-legend', 'data-testid': 'timeline-legend' },
    item('predicted', 'predicted'),
    item('measured', 'measured'),
    ...(fallbacks ? [item('measured fallback', 'fell back to the device')] : []),
  );
}
