import { simulate, type StageTimes } from '../plan/flowShop';
import type { JobRecord, Span } from './runReport';

/** What the overhead needs of a measured job. */
export type MeasuredStages = Pick<JobRecord, 'device' | 'uplink' | 'server' | 'downlink' | 'doneMs'>;

export interface RunOverhead {
  readonly measuredMs: number;
  /** The flow shop's makespan for the stage times that were measured, in the order that ran. */
  readonly flowShopMs: number;
  /** measured − flow shop: what the runtime adds beyond the schedule (waits, framing, the event loop). */
  readonly overheadMs: number;
  readonly overheadPct: number;
}

const duration = (s: Span): number => (s ? Math.max(0, s[1] - s[0]) : 0);

/**
 * The runtime's overhead against the schedule it was meant to run: replay the measured stage
 * durations through the permutation flow shop (JPS's model, Duan & Wu ICPP'21) in the order the
 * jobs ran and compare that ideal makespan with the measured one. It isolates the runtime from the
 * predictor: stage-time prediction errors cancel, only gaps the runtime left between stages remain.
 */
export function runOverhead(jobs: readonly MeasuredStages[]): RunOverhead {
  const ran = [...jobs].sort((a, b) => (a.device?.[0] ?? a.uplink?.[0] ?? 0) - (b.device?.[0] ?? b.uplink?.[0] ?? 0));
  const times: StageTimes[] = ran.map((j) => [duration(j.device), duration(j.uplink), duration(j.server), duration(j.downlink)]);
  const flowShopMs = simulate(times.map((_, i) => i), times).makespan;
  const measuredMs = Math.max(0, ...jobs.map((j) => j.doneMs));
  const overheadMs = measuredMs - flowShopMs;
  return { measuredMs, flowShopMs, overheadMs, overheadPct: flowShopMs > 0 ? (100 * overheadMs) / flowShopMs : 0 };
}
