// The pipeline timeline as plain geometry and text (no DOM): the webview draws it, Node tests it.
import type { MeasuredRun, PlanView, StageSpan, StrategyKey } from '../../protocol';
import { fmtMs } from '../format';
import { STAGES } from '../plan/flowShop';
import { runComparison } from './runView';

export const LANE_HEIGHT = 22;
const LEFT = 70;
const RIGHT = 16;

export interface TimelineBar {
  readonly kind: 'predicted' | 'measured';
  /** The plan's job (colour and the predicted bars it is compared with). */
  readonly job: number;
  readonly lane: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** A measured job that ran as the whole model on the device after the server failed. */
  readonly fallback: boolean;
  /** The hover text. */
  readonly text: string;
}

export interface TimelineModel {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  /** The time the right edge stands for: the larger of the two makespans. */
  readonly scaleMs: number;
  readonly title: string;
  readonly ariaLabel: string;
  readonly bars: readonly TimelineBar[];
  /** A measured run is drawn over the prediction (the legend is shown). */
  readonly measured: boolean;
  readonly fallbacks: number;
}

const duration = (s: StageSpan): number => s.end - s.start;

/**
 * Lays out one strategy's predicted pipeline: one lane per resource, one bar per job stage. With
 * a measured run of that same strategy, the predicted bars become outlines over the whole lane
 * and the measured ones solid bars in its lower half, both on the scale of the longer makespan.
 */
export function timelineModel(plan: PlanView, which: StrategyKey, run: MeasuredRun | undefined, clientWidth: number): TimelineModel {
  const jobs = plan.timeline[which];
  const predictedMs = plan.strategies[which].makespanMs;
  const shown = run?.strategy === which ? run : undefined;
  const measuredEnd = shown ? Math.max(shown.makespanMs, ...shown.jobs.flatMap((j) => j.stages.map((s) => s?.end ?? 0))) : 0;
  const scaleMs = Math.max(predictedMs, measuredEnd, 1e-9);
  const width = Math.max(300, clientWidth || 800);
  const scale = (width - LEFT - RIGHT) / scaleMs;
  const box = (s: StageSpan, lane: number, lower: boolean) => ({
    x: LEFT + Math.max(0, s.start) * scale,
    y: lane * LANE_HEIGHT + (lower ? LANE_HEIGHT / 2 : 3),
    width: Math.max(1, duration(s) * scale),
    height: lower ? LANE_HEIGHT / 2 - 3 : LANE_HEIGHT - 6,
  });
  const bars: TimelineBar[] = [];
  for (const j of jobs) {
    j.stages.forEach((s, m) => {
      if (!s) return;
      const text = `job ${j.job} ${STAGES[m]}: ${shown ? 'predicted ' : ''}${fmtMs(s.start)}–${fmtMs(s.end)} ms (${fmtMs(duration(s))} ms, cut ${j.candidate})`;
      bars.push({ kind: 'predicted', job: j.job, lane: m, ...box(s, m, false), fallback: false, text });
    });
  }
  for (const j of shown?.jobs ?? []) {
    j.stages.forEach((s, m) => {
      if (!s) return;
      const planned = jobs[j.job]?.stages[m];
      const predicted = planned ? `predicted ${fmtMs(duration(planned))} ms` : `not planned on the ${STAGES[m]}`;
      const fell = j.fallback !== undefined ? ` — fell back to the whole model on the device: ${j.fallback}` : '';
      const text = `job ${j.job} ${STAGES[m]}: measured ${fmtMs(s.start)}–${fmtMs(s.end)} ms (${fmtMs(duration(s))} ms), ${predicted}${fell}`;
      bars.push({ kind: 'measured', job: j.job, lane: m, ...box(s, m, true), fallback: j.fallback !== undefined, text });
    });
  }
  const fallbacks = shown?.jobs.filter((j) => j.fallback !== undefined).length ?? 0;
  const fellBack = fallbacks ? ` · ${fallbacks} fell back to the device` : '';
  const comparison = shown ? runComparison(shown) : '';
  return {
    width,
    height: STAGES.length * LANE_HEIGHT + 24,
    left: LEFT,
    scaleMs,
    title: `${which} pipeline · ${jobs.length} jobs · ${shown ? comparison : `${fmtMs(predictedMs)} ms`}${fellBack}`,
    ariaLabel: shown
      ? `${which} pipeline, ${comparison}: predicted bars outlined, measured bars solid in the lower half of each lane${fallbacks ? `, ${fallbacks} job(s) fell back to the device (hatched)` : ''}`
      : `${which} pipeline, ${fmtMs(predictedMs)} ms`,
    bars,
    measured: shown !== undefined,
    fallbacks,
  };
}

/** The strategies the timeline toggle steps through: JPS and PO, and a deployed LO or CO. */
export function timelineChoices(run: MeasuredRun | undefined): StrategyKey[] {
  return run && run.strategy !== 'JPS' && run.strategy !== 'PO' ? ['JPS', 'PO', run.strategy] : ['JPS', 'PO'];
}

/** The strategy after CURRENT on the toggle. */
export function nextTimeline(current: StrategyKey, run: MeasuredRun | undefined): StrategyKey {
  const choices = timelineChoices(run);
  return choices[(choices.indexOf(current) + 1) % choices.length] as StrategyKey;
}
