import { exactSchedule } from './exactSchedule';
import { flowShopOrder, johnsonOrder, makespanOf, sum, type StageTimes } from './flowShop';
import { jobTypes, type JobClass, type JobType } from './jobTypes';
import { twoStageMix } from './twoStage';

/** A joint partition-and-scheduling decision: each job's cut, in pipeline order. */
export interface JobSequence {
  readonly sequence: readonly JobType[];
  readonly makespan: number;
  /** How the sequence was found: proven optimal, optimal for two stages, or by search. */
  readonly method: 'exact' | 'two-stage-exact' | 'search';
}

const EXACT_MAX_JOBS = 10;

/**
 * JPS (Duan & Wu, ICPP'21; heterogeneous jobs: TMC'24): choose a cut per job and an order to
 * minimise the makespan of device → uplink → server → downlink.
 * - Only device and uplink cost anything (ideal server, no downlink): the two-stage dynamic
 *   program is exact.
 * - Otherwise: seeds from the two-stage program on several stage aggregations and every one- and
 *   two-cut mix, then a local search over single jobs' cuts, each mix ordered by CDS/NEH; small
 *   instances are solved exactly and the better answer is kept.
 */
export function planJobs(classes: readonly JobClass[]): JobSequence {
  const total = classes.reduce((s, c) => s + c.count, 0);
  if (total === 0) return { sequence: [], makespan: 0, method: 'exact' };
  const types = jobTypes(classes);
  const twoStage = types.every((t) => t.times[2] === 0 && t.times[3] === 0);
  const dev = (t: JobType): number => t.times[0];
  if (twoStage) {
    const mix = twoStageMix(classes, dev, (t) => t.times[1]);
    return { ...ordered(mix), method: 'two-stage-exact' };
  }
  let best = searchMixes(classes, types);
  if (total <= EXACT_MAX_JOBS && types.length <= 24) {
    const exact = exactSchedule(classes, 150_000);
    if (exact && exact.makespan <= best.makespan + 1e-9) return { sequence: exact.sequence, makespan: exact.makespan, method: 'exact' };
  }
  best = improve(classes, best);
  return { ...ordered(best.sequence, true), method: 'search' };
}

function searchMixes(classes: readonly JobClass[], types: readonly JobType[]): JobSequence {
  const dev = (t: JobType): number => t.times[0];
  const seeds: JobType[][] = [
    twoStageMix(classes, dev, (t) => t.times[1]),
    twoStageMix(classes, dev, (t) => t.times[1] + t.times[2] + t.times[3]),
    twoStageMix(classes, (t) => t.times[0] + t.times[1], (t) => t.times[2] + t.times[3]),
    twoStageMix(classes, dev, (t) => Math.max(t.times[1], t.times[2], t.times[3])),
  ];
  if (classes.length === 1) seeds.push(...pairMixes(classes[0] as JobClass, types));
  else for (const t of types) seeds.push(classes.flatMap((c, i) => Array<JobType>(c.count).fill(i === t.cls ? t : firstOf(types, i))));
  let best: JobSequence | undefined;
  for (const mix of seeds) {
    const s = ordered(mix);
    if (!best || s.makespan < best.makespan - 1e-12) best = s;
  }
  return best as JobSequence;
}

function firstOf(types: readonly JobType[], cls: number): JobType {
  return types.find((t) => t.cls === cls) as JobType;
}

/** Every mix of one or two cuts for a single model (JPS's structural insight: two cut types suffice in the two-stage case). */
function pairMixes(cls: JobClass, types: readonly JobType[]): JobType[][] {
  const n = cls.count;
  const pool = types.length > 16 ? [...types].sort((a, b) => sum(a.times) - sum(b.times)).slice(0, 16) : types;
  const mixes: JobType[][] = [];
  for (let i = 0; i < pool.length; i++) {
    for (let j = i + 1; j < pool.length; j++) {
      for (let m = 1; m < n; m++) {
        mixes.push([...Array<JobType>(m).fill(pool[i] as JobType), ...Array<JobType>(n - m).fill(pool[j] as JobType)]);
      }
    }
    mixes.push(Array<JobType>(n).fill(pool[i] as JobType));
  }
  return mixes;
}

/** First-improvement local search: change one job's cut (within its model) while it helps. */
function improve(classes: readonly JobClass[], start: JobSequence): JobSequence {
  const types = jobTypes(classes);
  let best = start;
  for (let round = 0; round < 50; round++) {
    let improved = false;
    const distinct = [...new Set(best.sequence)];
    for (const from of distinct) {
      for (const to of types) {
        if (to === from || to.cls !== from.cls) continue;
        const mix = [...best.sequence];
        mix[mix.indexOf(from)] = to;
        const s = ordered(mix);
        if (s.makespan < best.makespan - 1e-9) {
          best = s;
          improved = true;
          break;
        }
      }
      if (improved) break;
    }
    if (!improved) break;
  }
  return best;
}

/** Orders a fixed mix: Johnson on (device, rest) and CDS aggregations, NEH when asked. */
function ordered(mix: readonly JobType[], thorough = false): { sequence: JobType[]; makespan: number; method: 'search' } {
  const times: StageTimes[] = mix.map((t) => t.times);
  const jobs = mix.map((_, i) => i);
  const orders = thorough ? [flowShopOrder(times)] : [1, 2, 3].map((k) => johnsonOrder(jobs, (j) => sum((times[j] as StageTimes).slice(0, k)), (j) => sum((times[j] as StageTimes).slice(k))));
  let bestOrder = orders[0] as number[];
  let bestSpan = makespanOf(bestOrder, times);
  for (const o of orders.slice(1)) {
    const span = makespanOf(o, times);
    if (span < bestSpan) [bestOrder, bestSpan] = [o, span];
  }
  return { sequence: bestOrder.map((j) => mix[j] as JobType), makespan: bestSpan, method: 'search' };
}
