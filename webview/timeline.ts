import type { PlanView, StageSpan } from '../src/protocol';
import { clear, el, svg } from './dom';
import { fmtMs } from '../src/core/format';

const LANES = ['device', 'uplink', 'server', 'downlink'] as const;

export interface BarHover {
  (text: string | undefined, at: { x: number; y: number }): void;
}

/** The pipeline: one lane per resource, one bar per job stage (JPS, with PO for comparison). */
export function renderTimeline(host: HTMLElement, plan: PlanView, which: 'JPS' | 'PO', hover: BarHover): void {
  clear(host);
  const jobs = plan.timeline[which];
  const makespan = plan.strategies[which].makespanMs;
  const width = Math.max(300, host.clientWidth || 800);
  const left = 70;
  const lane = 22;
  const scale = (width - left - 16) / Math.max(makespan, 1e-9);
  const root = svg('svg', { width, height: LANES.length * lane + 24, class: 'timeline-svg', role: 'img', 'aria-label': `${which} pipeline, ${fmtMs(makespan)} ms` });
  LANES.forEach((name, m) => root.append(svg('text', { x: 4, y: m * lane + 15, class: 'lane-label' }, name)));
  for (const j of jobs) {
    j.stages.forEach((s: StageSpan | null, m) => {
      if (!s) return;
      const bar = svg('rect', {
        x: (left + s.start * scale).toFixed(1),
        y: m * lane + 3,
        width: Math.max(1, (s.end - s.start) * scale).toFixed(1),
        height: lane - 6,
        class: `bar job-${j.job % 8}`,
        'data-job': j.job,
      });
      const text = `job ${j.job} ${LANES[m]}: ${fmtMs(s.start)}–${fmtMs(s.end)} ms (${fmtMs(s.end - s.start)} ms, cut ${j.candidate})`;
      bar.addEventListener('mouseenter', (e) => hover(text, { x: e.clientX, y: e.clientY }));
      bar.addEventListener('mouseleave', (e) => hover(undefined, { x: e.clientX, y: e.clientY }));
      root.append(bar);
    });
  }
  root.append(svg('text', { x: left, y: LANES.length * lane + 18, class: 'axis' }, '0'), svg('text', { x: width - 16, y: LANES.length * lane + 18, class: 'axis', 'text-anchor': 'end' }, `${fmtMs(makespan)} ms`));
  host.append(el('div', { class: 'timeline-title' }, `${which} pipeline · ${jobs.length} jobs · ${fmtMs(makespan)} ms`), root);
}
