import { exactSchedule } from './exactSchedule';
import { aggregated, flowShopOrder, johnsonOrder, pass, sum } from './flowShop';
import { jobTypes, type JobClass, type JobType } from './jobTypes';
import { twoStageMix } from './twoStage';

/** A joint partition-and-scheduling decision: each job's cut, in pipeline order. */
export interface JobSequence {
  readonly sequence: readonly JobType[];
  readonly makespan: number;
  /** How the sequence was found: proven optimal, optimal for two stages, or by search. */
  readonly method: 'exact' | 'two-stage-exact' | 'search';
}

/** How many jobs take each cut type. */
type Mix = ReadonlyMap<JobType, number>;

const EXACT_MAX_JOBS = 10;
/** State budget of the two-stage program when it only seeds the four-stage search. */
const SEED_STATES = 20_000;

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
  const tail = twoStageTail(types);
  if (tail !== undefined) {
    const { mix, exact } = twoStageMix(classes, (t) => t.times[0], (t) => t.times[1], { tailMs: tail });
    const found = expand(ordered(toMix(mix)));
    if (exact) return { ...found, method: 'two-stage-exact' };
    const searched = searchSchedule(classes);
    return searched.makespan < found.makespan ? searched : { ...found, method: 'search' };
  }
  const found = searchSchedule(classes);
  if (total <= EXACT_MAX_JOBS && types.length <= 24) {
    const exact = exactSchedule(classes, 150_000);
    if (exact && exact.makespan <= found.makespan + 1e-9) return { sequence: exact.sequence, makespan: exact.makespan, method: 'exact' };
  }
  return found;
}

/**
 * The lag after the uplink when every job type uses only the device and the uplink, with no lag
 * between them and one propagation delay for all that send (one link): undefined otherwise.
 */
function twoStageTail(types: readonly JobType[]): number | undefined {
  if (!types.every((t) => t.times[2] === 0 && t.times[3] === 0 && t.lags[0] === 0)) return undefined;
  const tails = new Set(types.filter((t) => t.times[1] > 0).map((t) => t.lags[1]));
  return tails.size <= 1 ? ([...tails][0] ?? 0) : undefined;
}

/** The search part of JPS for four stages (no exactness proof); exported for the benchmarks. */
export function searchSchedule(classes: readonly JobClass[]): JobSequence {
  const types = jobTypes(classes);
  const best = improve(types, searchMixes(classes, types));
  const quick = expand(best);
  if (quick.sequence.length > 60) return quick;
  const neh = flowShopOrder(quick.sequence.map((t) => t.times), quick.sequence.map((t) => t.lags)).map((j) => quick.sequence[j] as JobType);
  const nehSpan = spanOf(neh.map((t) => [t, 1] as const));
  return nehSpan < quick.makespan ? { sequence: neh, makespan: nehSpan, method: 'search' } : quick;
}

interface Ordered {
  readonly blocks: readonly (readonly [JobType, number])[];
  readonly makespan: number;
  readonly mix: Mix;
}

function searchMixes(classes: readonly JobClass[], types: readonly JobType[]): Ordered {
  const dev = (t: JobType): number => t.times[0];
  const seed = (a: (t: JobType) => number, b: (t: JobType) => number): Mix => toMix(twoStageMix(classes, a, b, { maxStates: SEED_STATES }).mix);
  let best = ordered(seed(dev, (t) => t.times[1]));
  const consider = (mix: Mix): void => {
    const o = ordered(mix);
    if (o.makespan < best.makespan - 1e-12) best = o;
  };
  consider(seed(dev, (t) => t.times[1] + t.times[2] + t.times[3]));
  consider(seed((t) => t.times[0] + t.times[1], (t) => t.times[2] + t.times[3]));
  consider(seed(dev, (t) => Math.max(t.times[1], t.times[2], t.times[3])));
  if (classes.length === 1) pairMixes((classes[0] as JobClass).count, types, consider);
  else for (const t of types) consider(new Map(classes.map((c, i) => [i === t.cls ? t : (types.find((x) => x.cls === i) as JobType), c.count])));
  return best;
}

/** Every mix of one or two cuts for a single model, handed to `visit` one at a time. */
function pairMixes(n: number, types: readonly JobType[], visit: (mix: Mix) => void): void {
  const pool = types.length > 16 ? [...types].sort((a, b) => sum(a.times) - sum(b.times)).slice(0, 16) : types;
  pool.forEach((x, i) => {
    visit(new Map([[x, n]]));
    for (const y of pool.slice(i + 1)) for (let m = 1; m < n; m++) visit(new Map([[x, m], [y, n - m]]));
  });
}

/** First-improvement local search: move one job to another cut of its model while it helps. */
function improve(types: readonly JobType[], start: Ordered): Ordered {
  let best = start;
  for (let round = 0; round < 200; round++) {
    let next: Ordered | undefined;
    for (const [from] of best.mix) {
      for (const to of types) {
        if (to === from || to.cls !== from.cls) continue;
        const mix = new Map(best.mix);
        const left = (mix.get(from) ?? 0) - 1;
        if (left > 0) mix.set(from, left);
        else mix.delete(from);
        mix.set(to, (mix.get(to) ?? 0) + 1);
        const o = ordered(mix);
        if (o.makespan < best.makespan - 1e-9) {
          next = o;
          break;
        }
      }
      if (next) break;
    }
    if (!next) break;
    best = next;
  }
  return best;
}

/** Orders a mix by the best of the three CDS orders (Johnson on stages [0,k) vs [k,4)), on types. */
function ordered(mix: Mix): Ordered {
  const distinct = [...mix.keys()];
  let best: Ordered | undefined;
  for (let k = 1; k < 4; k++) {
    const halves = distinct.map((t) => aggregated(t.times, t.lags, k));
    const order = johnsonOrder(distinct.map((_, i) => i), (i) => (halves[i] as { a: number }).a, (i) => (halves[i] as { b: number }).b);
    const blocks = order.map((i) => [distinct[i] as JobType, mix.get(distinct[i] as JobType) ?? 0] as const);
    const makespan = spanOf(blocks);
    if (!best || makespan < best.makespan) best = { blocks, makespan, mix };
  }
  return best as Ordered;
}

/** Makespan of blocks of identical jobs, without building the job list. */
function spanOf(blocks: readonly (readonly [JobType, number])[]): number {
  const free = [0, 0, 0, 0];
  let makespan = 0;
  for (const [t, count] of blocks) {
    for (let c = 0; c < count; c++) makespan = Math.max(makespan, pass(free, t.times, t.lags));
  }
  return makespan;
}

function toMix(sequence: readonly JobType[]): Mix {
  const mix = new Map<JobType, number>();
  for (const t of sequence) mix.set(t, (mix.get(t) ?? 0) + 1);
  return mix;
}

function expand(o: Ordered): JobSequence {
  return { sequence: o.blocks.flatMap(([t, n]) => Array<JobType>(n).fill(t)), makespan: o.makespan, method: 'search' };
}
