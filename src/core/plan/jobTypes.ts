import type { CutCandidate } from './cut';
import type { StageTimes } from './flowShop';

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
}

export function stageTimes(c: CutCandidate): StageTimes {
  return [c.deviceMs, c.uplinkMs, c.serverMs, c.downlinkMs];
}

export function jobTypes(classes: readonly JobClass[]): JobType[] {
  return classes.flatMap((cls, i) => cls.candidates.map((c, k) => ({ cls: i, candidate: k, times: stageTimes(c) })));
}

/** The completion times a sequence leaves on the four resources, after one more job. */
export function advance(f: readonly number[], t: StageTimes): number[] {
  const out = [...f];
  let ready = 0;
  for (let m = 0; m < 4; m++) {
    const d = t[m] as number;
    if (d <= 0) continue;
    ready = Math.max(ready, out[m] as number) + d;
    out[m] = ready;
  }
  out[4] = Math.max(out[4] ?? 0, ready);
  return out;
}
