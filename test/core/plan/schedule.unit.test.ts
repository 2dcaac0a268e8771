import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { CutCandidate } from '../../../src/core/plan/cut';
import { exactSchedule } from '../../../src/core/plan/exactSchedule';
import { johnsonOrder, makespanOf, simulate, type StageTimes } from '../../../src/core/plan/flowShop';
import { planJobs, searchSchedule } from '../../../src/core/plan/jps';
import type { JobClass } from '../../../src/core/plan/jobTypes';

const ms = fc.double({ min: 0, max: 100, noNaN: true });
const maybe = (p: fc.Arbitrary<number>) => fc.oneof(p, fc.constant(0));
const times = fc.tuple(maybe(ms), maybe(ms), maybe(ms), maybe(ms)).map((t) => t as unknown as StageTimes);

function cand(t: readonly number[]): CutCandidate {
  return { head: new Set(), cutTensors: [], deviceMs: t[0] ?? 0, uplinkMs: t[1] ?? 0, serverMs: t[2] ?? 0, downlinkMs: t[3] ?? 0 };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Minimum makespan over every sequence of cut choices (tiny instances only). */
function bruteForce(classes: readonly JobClass[]): number {
  const total = classes.reduce((s, c) => s + c.count, 0);
  let best = Infinity;
  const seq: StageTimes[] = [];
  const left = classes.map((c) => c.count);
  const go = (): void => {
    if (seq.length === total) {
      best = Math.min(best, makespanOf(seq.map((_, i) => i), seq));
      return;
    }
    classes.forEach((c, i) => {
      if ((left[i] as number) === 0) return;
      left[i] = (left[i] as number) - 1;
      for (const k of c.candidates) {
        seq.push([k.deviceMs, k.uplinkMs, k.serverMs, k.downlinkMs]);
        go();
        seq.pop();
      }
      left[i] = (left[i] as number) + 1;
    });
  };
  go();
  return best;
}

describe('flow-shop schedules', () => {
  it('never overlap on a resource and keep each job’s stage order (property)', () => {
    fc.assert(
      fc.property(fc.array(times, { minLength: 1, maxLength: 12 }), (ts) => {
        const { jobs, makespan } = simulate(ts.map((_, i) => i), ts);
        for (let m = 0; m < 4; m++) {
          const spans = jobs.map((j) => j.stages[m]).filter((s): s is [number, number] => !!s).sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < spans.length; i++) assert.ok((spans[i] as [number, number])[0] >= (spans[i - 1] as [number, number])[1] - 1e-9);
        }
        for (const j of jobs) {
          const done = j.stages.filter((s): s is [number, number] => !!s);
          for (let i = 1; i < done.length; i++) assert.ok((done[i] as [number, number])[0] >= (done[i - 1] as [number, number])[1] - 1e-9);
          for (const [s, e] of done) assert.ok(e <= makespan + 1e-9 && s >= 0);
        }
        assert.equal(makespan, makespanOf(ts.map((_, i) => i), ts));
      }),
    );
  });

  it("Johnson's rule is optimal for two stages (brute force over permutations)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ms, ms), { minLength: 1, maxLength: 6 }), (ab) => {
        const ts = ab.map(([a, b]) => [a, b, 0, 0] as StageTimes);
        const order = johnsonOrder(ts.map((_, i) => i), (j) => (ts[j] as StageTimes)[0], (j) => (ts[j] as StageTimes)[1]);
        const best = Math.min(...permutations(ts.length).map((p) => makespanOf(p, ts)));
        assert.ok(makespanOf(order, ts) <= best + 1e-9);
      }),
    );
  });
});

const candidateSets = fc.array(times, { minLength: 1, maxLength: 3 }).map((ts) => ts.map(cand));

describe('JPS joint partition and scheduling', () => {
  it('the exact dynamic program equals brute force (property)', () => {
    fc.assert(
      fc.property(candidateSets, fc.integer({ min: 1, max: 4 }), (cands, n) => {
        const classes = [{ model: 'm', count: n, candidates: cands }];
        const exact = exactSchedule(classes);
        assert.ok(exact);
        assert.ok(Math.abs(exact.makespan - bruteForce(classes)) < 1e-6);
        assert.equal(exact.sequence.length, n);
      }),
      { numRuns: 150 },
    );
  });

  it('is exact in the two-stage case (device → uplink), for one model and for heterogeneous jobs', () => {
    const twoStage = fc.array(fc.tuple(ms, ms).map(([a, b]) => cand([a, b, 0, 0])), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(twoStage, twoStage, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), (c1, c2, n1, n2) => {
        const classes = [{ model: 'a', count: n1, candidates: c1 }, ...(n2 ? [{ model: 'b', count: n2, candidates: c2 }] : [])];
        const plan = planJobs(classes);
        assert.equal(plan.method, 'two-stage-exact');
        const exact = exactSchedule(classes) ?? assert.fail('exact');
        assert.ok(plan.makespan <= exact.makespan + 1e-6, `${plan.makespan} vs ${exact.makespan}`);
      }),
      { numRuns: 150 },
    );
  });

  it('with server and downlink times, planJobs is exact on small instances and its search alone stays within 5%', () => {
    let worst = 1;
    fc.assert(
      fc.property(fc.array(times, { minLength: 2, maxLength: 5 }).map((ts) => ts.map(cand)), fc.integer({ min: 2, max: 6 }), (cands, n) => {
        const classes = [{ model: 'm', count: n, candidates: cands }];
        const exact = exactSchedule(classes) ?? assert.fail('exact');
        const found = searchSchedule(classes);
        if (exact.makespan > 1) worst = Math.max(worst, found.makespan / exact.makespan);
        assert.ok(planJobs(classes).makespan <= exact.makespan + 1e-6, 'planJobs proves small instances');
      }),
      { numRuns: 100 },
    );
    assert.ok(worst <= 1.05, `search / exact reached ${worst.toFixed(4)}`);
  });
});
