import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { CutCandidate } from '../../../src/core/plan/cut';
import { exactSchedule } from '../../../src/core/plan/exactSchedule';
import { aggregated, johnsonOrder, linkLags, makespanOf, simulate, type StageLags, type StageTimes } from '../../../src/core/plan/flowShop';
import { planJobs, searchSchedule } from '../../../src/core/plan/jps';
import { jobType, type JobClass } from '../../../src/core/plan/jobTypes';

const ms = fc.double({ min: 0, max: 100, noNaN: true });
const maybe = (p: fc.Arbitrary<number>) => fc.oneof(p, fc.constant(0));
const times = fc.tuple(maybe(ms), maybe(ms), maybe(ms), maybe(ms)).map((t) => t as unknown as StageTimes);

function cand(t: readonly number[], propagationMs = 0): CutCandidate {
  return { head: new Set(), cutTensors: [], deviceMs: t[0] ?? 0, uplinkMs: t[1] ?? 0, serverMs: t[2] ?? 0, downlinkMs: t[3] ?? 0, propagationMs };
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
  const lags: StageLags[] = [];
  const left = classes.map((c) => c.count);
  const go = (): void => {
    if (seq.length === total) {
      best = Math.min(best, makespanOf(seq.map((_, i) => i), seq, lags));
      return;
    }
    classes.forEach((c, i) => {
      if ((left[i] as number) === 0) return;
      left[i] = (left[i] as number) - 1;
      for (const k of c.candidates) {
        const t = jobType(i, 0, k);
        seq.push(t.times);
        lags.push(t.lags);
        go();
        seq.pop();
        lags.pop();
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

  it('with lags, a job enters a stage no earlier than the previous one’s end plus its lag, and is done after the last lag (property)', () => {
    fc.assert(
      fc.property(fc.array(times, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 30, noNaN: true }), (ts, flight) => {
        const lags = ts.map((t) => linkLags(t, flight));
        const { jobs, makespan } = simulate(ts.map((_, i) => i), ts, lags);
        let latest = 0;
        for (const j of jobs) {
          let ready = 0;
          j.stages.forEach((span, m) => {
            if (!span) return;
            assert.ok(span[0] >= ready - 1e-9, 'stage starts after the previous one and its lag');
            ready = span[1] + ((lags[j.job] as StageLags)[m] as number);
          });
          latest = Math.max(latest, ready);
        }
        for (let m = 0; m < 4; m++) {
          const spans = jobs.map((j) => j.stages[m]).filter((s): s is [number, number] => !!s).sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < spans.length; i++) assert.ok((spans[i] as [number, number])[0] >= (spans[i - 1] as [number, number])[1] - 1e-9, 'a lag holds no resource, a stage still holds one');
        }
        assert.ok(Math.abs(makespan - latest) < 1e-9);
        assert.equal(makespan, makespanOf(ts.map((_, i) => i), ts, lags));
      }),
    );
  });

  it('a message in flight frees the link: back-to-back uploads overlap their propagation delays', () => {
    // Three jobs that only upload: 10 ms on the link each, 20 ms in flight. The link is busy for
    // 30 ms, and the last message arrives 20 ms later; charging the flight as link time would say 90.
    const ts: StageTimes[] = [[1, 10, 0, 0], [1, 10, 0, 0], [1, 10, 0, 0]];
    const lags = ts.map((t) => linkLags(t, 20));
    assert.equal(makespanOf([0, 1, 2], ts, lags), 1 + 30 + 20);
    const { jobs, makespan } = simulate([0, 1], [[1, 10, 5, 2], [1, 10, 5, 2]], [linkLags([1, 10, 5, 2], 20), linkLags([1, 10, 5, 2], 20)]);
    assert.deepEqual(jobs[1]?.stages, [[1, 2], [11, 21], [41, 46], [46, 48]]);
    assert.equal(makespan, 48 + 20);
  });

  it("Mitten's rule (Johnson on a + l, b + l) is optimal for two stages with time lags between them (brute force)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ms, ms, ms), { minLength: 1, maxLength: 6 }), (abl) => {
        const ts = abl.map(([a, b]) => [a, b, 0, 0] as StageTimes);
        const lags = abl.map(([, , l]) => [l, 0, 0, 0] as StageLags);
        const halves = ts.map((t, j) => aggregated(t, lags[j] as StageLags, 1));
        const order = johnsonOrder(ts.map((_, i) => i), (j) => (halves[j] as { a: number }).a, (j) => (halves[j] as { b: number }).b);
        const best = Math.min(...permutations(ts.length).map((p) => makespanOf(p, ts, lags)));
        assert.ok(makespanOf(order, ts, lags) <= best + 1e-9, `${makespanOf(order, ts, lags)} vs ${best}`);
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

/** Propagation delay of the one link every candidate of an instance shares (0: the papers' model). */
const flight = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 30, noNaN: true }));
const candidateSets = fc.tuple(fc.array(times, { minLength: 1, maxLength: 3 }), flight).map(([ts, f]) => ts.map((t) => cand(t, f)));

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
    const twoStage = fc.array(fc.tuple(ms, maybe(ms)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(twoStage, twoStage, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), flight, (t1, t2, n1, n2, f) => {
        const [c1, c2] = [t1, t2].map((ts) => ts.map(([a, b]) => cand([a, b, 0, 0], f))) as [CutCandidate[], CutCandidate[]];
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
      fc.property(fc.tuple(fc.array(times, { minLength: 2, maxLength: 5 }), flight).map(([ts, f]) => ts.map((t) => cand(t, f))), fc.integer({ min: 2, max: 6 }), (cands, n) => {
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
