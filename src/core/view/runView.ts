import type { JobRecord, RunReport, Span } from '../deploy/runReport';
import { speedSummary, type Retimed } from '../deploy/stageSpeed';
import { fmtDeviation, fmtMs } from '../format';
import type { MeasuredRun, StageSpan, StrategyKey } from '../../protocol';

/** What the timeline needs of a run report. */
export type RunReportJobs = Pick<RunReport, 'makespanMs' | 'predictedMakespanMs' | 'notes'> & {
  readonly forecast?: Retimed;
  readonly retimed?: Retimed;
  readonly jobs: readonly Pick<JobRecord, 'ran' | 'device' | 'uplink' | 'server' | 'downlink' | 'fallbackReason'>[];
};

/** A [start, end] stage as the protocol carries it. */
export const stageSpan = (s: Span): StageSpan | null => (s ? { start: s[0], end: s[1] } : null);

/**
 * A deployment's smoke test as the timeline draws it. Its speed check is the runner's forecast
 * (the warm-up's speeds, measured before the timed runs) where it made one, else the timed
 * runs'. The runner numbers jobs in the order the device started them; `plannedOrder` (the
 * bundle's jobs) maps run job k back to the plan's job, cycling when the run had more jobs than
 * the plan.
 */
export function runView(id: string, strategy: StrategyKey, report: RunReportJobs, plannedOrder: readonly number[]): MeasuredRun {
  const check = report.forecast ?? report.retimed;
  return {
    id,
    strategy,
    jobs: report.jobs.map((j, k) => ({
      job: plannedOrder.length ? (plannedOrder[k % plannedOrder.length] as number) : k,
      stages: [stageSpan(j.device), stageSpan(j.uplink), stageSpan(j.server), stageSpan(j.downlink)],
      ...(j.ran === 'fallback' ? { fallback: j.fallbackReason ?? 'the server failed' } : {}),
    })),
    makespanMs: report.makespanMs,
    predictedMakespanMs: Number.isFinite(report.predictedMakespanMs) ? report.predictedMakespanMs : null,
    notes: report.notes,
    ...(check ? { speedCheck: { ...check.speed, makespanMs: check.makespanMs } } : {}),
  };
}

/** "measured 123 ms vs predicted 100 ms (+23.0 %)", the line the notification and the timeline show. */
export function measuredVsPredicted(measuredMs: number, predictedMs: number | null): string {
  if (predictedMs === null || !(predictedMs > 0)) return `measured ${fmtMs(measuredMs)} ms (no prediction for this number of jobs)`;
  return `measured ${fmtMs(measuredMs)} ms vs predicted ${fmtMs(predictedMs)} ms (${fmtDeviation(measuredMs, predictedMs)})`;
}

/**
 * The comparison a deployed run is shown with, and its speed check when the runner made one:
 * "measured 75.0 ms vs predicted 58.0 ms (+29.3 %) · device 27 % slower than planned: 74.1 ms
 * predicted at that speed" (the notification and the timeline's title).
 */
export function runComparison(run: Pick<MeasuredRun, 'makespanMs' | 'predictedMakespanMs' | 'speedCheck'>): string {
  const summary = run.speedCheck ? speedSummary(run.speedCheck) : '';
  const drift = run.speedCheck && summary ? ` · ${summary}: ${fmtMs(run.speedCheck.makespanMs)} ms predicted at that speed` : '';
  return `${measuredVsPredicted(run.makespanMs, run.predictedMakespanMs)}${drift}`;
}
