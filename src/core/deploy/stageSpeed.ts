import type { BundleManifest } from '../bundle/manifest';
import { linkLags, simulate, type StageTimes } from '../plan/flowShop';
import type { ScheduleEntryJson } from '../plan/planJson';
import { fmtDeviation } from '../format';
import { median } from '../profiles/ortProfile';
import type { JobRecord, Span } from './runReport';

/**
 * How fast the two computers ran against the plan's stage times (their profiles, or built-in
 * estimates): measured ÷ planned compute time (1.27 = 27 % slower than planned). Undefined where
 * no job used the stage.
 */
export interface StageSpeed {
  readonly device?: number;
  readonly server?: number;
  /** How many runs the factors come from. */
  readonly runs: number;
}

/** The plan's makespan with its compute stages re-timed at the speeds a run measured. */
export interface Retimed {
  readonly speed: StageSpeed;
  readonly makespanMs: number;
}

const duration = (s: Span | undefined): number => (s ? Math.max(0, s[1] - s[0]) : 0);

/** The planned stage durations of a bundle's jobs, in the order the device starts them. */
function plannedTimes(m: BundleManifest): StageTimes[] {
  const byJob = new Map<number, ScheduleEntryJson>(m.predicted.schedule.map((s) => [s.job, s]));
  return m.jobs.map((j) => {
    const s = byJob.get(j.job);
    return s ? [duration(s.device), duration(s.uplink), duration(s.server), duration(s.downlink)] : [0, 0, 0, 0];
  });
}

/**
 * The device's and the server's speed against the plan, from runs of the bundle's jobs (job i of
 * a run is the bundle's job i mod n): the median over jobs of measured ÷ planned compute time, so
 * one slow run (a collection pause, a late first input) does not move it. Fallbacks are left out:
 * they ran something the plan did not. Only compute is compared; the links are what netprobe
 * measured and are not re-timed.
 */
export function stageSpeed(m: BundleManifest, runs: readonly { readonly jobs: readonly JobRecord[] }[]): StageSpeed {
  const planned = plannedTimes(m);
  const ratios = { device: [] as number[], server: [] as number[] };
  const add = (into: number[], measured: Span, plannedMs: number): void => {
    if (measured && plannedMs > 0) into.push(duration(measured) / plannedMs);
  };
  for (const run of runs) {
    for (const j of run.jobs) {
      const p = planned[j.job % planned.length];
      if (!p || j.ran === 'fallback') continue;
      add(ratios.device, j.device, p[0]);
      add(ratios.server, j.server, p[2]);
    }
  }
  const device = ratios.device.length ? median(ratios.device) : undefined;
  const server = ratios.server.length ? median(ratios.server) : undefined;
  return { ...(device === undefined ? {} : { device }), ...(server === undefined ? {} : { server }), runs: runs.length };
}

/**
 * What the plan predicts at the speeds a run measured: each job's device and server stages scaled
 * by their factors, the links as planned, replayed through the permutation flow shop (JPS's model,
 * Duan & Wu, ICPP'21) in the planned order. A host whose speed changed since it was profiled (a
 * throttled Pi, a busy VM) moves every compute stage together; this separates that drift from the
 * plan's own error.
 */
export function retimedMakespan(m: BundleManifest, speed: StageSpeed, jobs = m.jobs.length): Retimed {
  const planned = plannedTimes(m);
  const times: StageTimes[] = Array.from({ length: jobs }, (_, i) => {
    const [d, up, s, down] = planned[i % planned.length] as StageTimes;
    return [d * (speed.device ?? 1), up, s * (speed.server ?? 1), down];
  });
  // Every message is in flight rttMs/2 after the link has sent it, as the plan has it.
  const lags = times.map((t) => linkLags(t, m.network.rttMs / 2));
  return { speed, makespanMs: simulate(times.map((_, i) => i), times, lags).makespan };
}

/** "device 27 % slower than planned, server 3 % faster than planned" (empty when neither stage ran). */
export function speedSummary(speed: Pick<StageSpeed, 'device' | 'server'>): string {
  const one = (name: string, f: number | undefined): string[] => {
    if (f === undefined) return [];
    const pct = Math.round(100 * (f - 1));
    return [pct === 0 ? `${name} as planned` : `${name} ${Math.abs(pct)} % ${pct > 0 ? 'slower' : 'faster'} than planned`];
  };
  return [...one('device', speed.device), ...one('server', speed.server)].join(', ');
}

/**
 * A speed check as the CLI's deploy table shows it: drift since profiling, and the plan at today's
 * speeds. `before` names the pre-run check (the settled warm-up runs: a forecast) rather than the
 * timed runs' own.
 */
export function speedCheckLine(measuredMs: number, r: Retimed, before = false): string {
  const speeds = speedSummary(r.speed) || 'no compute stage ran';
  const what = before ? `pre-run speed check (${r.speed.runs} warm-up run(s))` : `speed check (${r.speed.runs} timed run(s))`;
  return `${what}: ${speeds}; at these speeds the plan predicts ${r.makespanMs.toFixed(1)} ms (measured ${fmtDeviation(measuredMs, r.makespanMs)})`;
}
