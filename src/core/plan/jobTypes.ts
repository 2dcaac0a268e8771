import type { CutCandidate } from './cut';
import { linkLags, pass, type StageLags, type StageTimes } from './flowShop';

/** Jobs of one model: how many, and the cuts each may choose from (TMC'24: per-model sets). */
export interface JobClass {
  readonly model: string;
  readonly count: number;
  readonly candidates: readonly CutCandidate[];
}

/** One choosable kind of job: a model's job split at one of its candidate cuts. */
export interface JobType {
  readonly cls: number;
  readonly candidate: number;
  readonly times: StageTimes;
  readonly lags: StageLags;
}

/** A job split at `c`: its time on each stage, and each message's flight after the link that sends it. */
export function jobType(cls: number, candidate: number, c: CutCandidate): JobType {
  const times: StageTimes = [c.deviceMs, c.uplinkMs, c.serverMs, c.downlinkMs];
  return { cls, candidate, times, lags: linkLags(times, c.propagationMs) };
}

export function jobTypes(classes: readonly JobClass[]): JobType[] {
  return classes.flatMap((cls, i) => cls.candidates.map((c, k) => jobType(i, k, c)));
}

/** The completion times a sequence leaves on the four resources (and its makespan, [4]), after one more job. */
export function advance(f: readonly number[], t: JobType): number[] {
  const out = f.slice(0, 4);
  const done = pass(out, t.times, t.lags);
  out[4] = Math.max(f[4] ?? 0, done);
  return out;
}
