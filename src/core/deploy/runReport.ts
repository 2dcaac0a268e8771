import type { JobKind } from '../bundle/manifest';
import type { Retimed } from './stageSpeed';

/** [start, end] in ms from the start of a run, or null where the job skipped the stage. */
export type Span = readonly [number, number] | null;

/** One job as the device runner measured it. */
export interface JobRecord {
  readonly job: number;
  readonly model: string;
  readonly planned: JobKind;
  /** What actually ran: as planned, or the whole model on the device after the server failed. */
  readonly ran: JobKind | 'fallback';
  readonly device: Span;
  readonly uplink: Span;
  readonly server: Span;
  readonly downlink: Span;
  readonly doneMs: number;
  readonly fallbackReason?: string;
}

/** One N-job run of a bundle (what `runner.js` prints). */
export interface RunReport {
  readonly strategy: string;
  readonly jobs: readonly JobRecord[];
  readonly makespanMs: number;
  /** The plan's makespan; NaN when the run's job count differs from the plan's. */
  readonly predictedMakespanMs: number;
  /** Server clock minus device clock, from the health checks (NTP-style, least-RTT sample). */
  readonly clockOffsetMs: number;
  /** Results handed over more than once (must be 0). */
  readonly duplicates: number;
  readonly notes: readonly string[];
}

/**
 * A deployment's smoke test: the median run of several, all their makespans, the output check, and
 * the plan re-timed at the compute speeds measured before the timed runs (its warm-up: a forecast)
 * and in them (a diagnosis).
 */
export type SmokeTest = RunReport & {
  readonly makespansMs?: readonly number[];
  readonly forecast?: Retimed;
  readonly retimed?: Retimed;
  readonly verified?: { readonly jobs: number; readonly maxRelativeDifference: number };
};

/** Outputs further than this from the whole model's (relative) fail a smoke test. */
export const MAX_RELATIVE_DIFFERENCE = 1e-4;

/** Why a smoke test failed: results handed over twice, or outputs that differ from the whole model's. */
export function smokeProblems(r: SmokeTest): string[] {
  return [
    ...(r.duplicates > 0 ? [`${r.duplicates} result(s) handed over twice`] : []),
    ...(r.verified && r.verified.maxRelativeDifference > MAX_RELATIVE_DIFFERENCE ? [`outputs differ from the whole model's by ${r.verified.maxRelativeDifference.toExponential(1)}`] : []),
  ];
}
