import { strict as assert } from 'node:assert';
import type { BundleManifest } from '../../../src/core/bundle/manifest';
import type { JobRecord } from '../../../src/core/deploy/runReport';
import { retimedMakespan, speedSummary, stageSpeed } from '../../../src/core/deploy/stageSpeed';
import { linkLags, simulate, type StageTimes } from '../../../src/core/plan/flowShop';

/** The plan's lags on the test link (20 ms RTT): each message 10 ms in flight. */
const lagsOf = (times: readonly StageTimes[]) => times.map((t) => linkLags(t, 10));

/** A bundle whose plan is exactly the flow shop of `times` (job i = plan job 10 + i, to tell run and plan numbering apart). */
function bundle(times: StageTimes[]): BundleManifest {
  const { jobs, makespan } = simulate(times.map((_, i) => i), times, lagsOf(times));
  const kind = (t: StageTimes): 'local' | 'split' | 'remote' => (t[1] === 0 ? 'local' : t[0] === 0 ? 'remote' : 'split');
  return {
    version: 1,
    strategy: 'JPS',
    network: { name: 'test', upMbps: 10, downMbps: 40, rttMs: 20 },
    predicted: {
      makespanMs: makespan,
      schedule: jobs.map((j) => ({ job: 10 + j.job, model: 'm', candidate: 0, device: j.stages[0] ?? null, uplink: j.stages[1] ?? null, server: j.stages[2] ?? null, downlink: j.stages[3] ?? null })),
    },
    runtime: { deviceThreads: 1, serverThreads: 1, optimization: 'disabled' },
    models: [],
    cuts: [],
    jobs: times.map((t, i) => ({ job: 10 + i, model: 'm', kind: kind(t) })),
  };
}

/** A run of `times` (the run's own numbering: 0, 1, …) with device and server stages scaled by `d` and `s`. */
function run(times: StageTimes[], d: number, s: number, fallback: number[] = []): { jobs: JobRecord[] } {
  const scaled = times.map(([a, b, c, e]) => [a * d, b, c * s, e] as StageTimes);
  const { jobs } = simulate(scaled.map((_, i) => i), scaled);
  return {
    jobs: jobs.map((j) => ({
      job: j.job,
      model: 'm',
      planned: 'split',
      ran: fallback.includes(j.job) ? 'fallback' : 'split',
      device: fallback.includes(j.job) ? [0, 1000] : (j.stages[0] ?? null),
      uplink: j.stages[1] ?? null,
      server: j.stages[2] ?? null,
      downlink: j.stages[3] ?? null,
      doneMs: Math.max(...j.stages.map((x) => x?.[1] ?? 0)),
    })),
  };
}

describe('speed check: the plan re-timed at the compute speeds a run measured', () => {
  const times: StageTimes[] = [[5, 30, 3, 10], [6, 0, 0, 0], [6, 0, 0, 0], [4, 20, 2, 8], [6, 0, 0, 0]];
  const m = bundle(times);

  it('at the profiled speeds gives back the plan\'s own makespan', () => {
    const r = retimedMakespan(m, stageSpeed(m, [run(times, 1, 1)]));
    assert.ok(Math.abs((r.speed.device ?? 0) - 1) < 1e-12 && Math.abs((r.speed.server ?? 0) - 1) < 1e-12, JSON.stringify(r.speed));
    assert.ok(Math.abs(r.makespanMs - m.predicted.makespanMs) < 1e-9);
  });

  it('measures each computer\'s drift separately and leaves the links as planned', () => {
    const speed = stageSpeed(m, [run(times, 1.3, 0.9), run(times, 1.3, 0.9)]);
    assert.ok(Math.abs((speed.device ?? 0) - 1.3) < 1e-9 && Math.abs((speed.server ?? 0) - 0.9) < 1e-9, JSON.stringify(speed));
    assert.equal(speed.runs, 2);
    const r = retimedMakespan(m, speed);
    const expected = simulate([0, 1, 2, 3, 4], times.map(([a, b, c, e]) => [a * 1.3, b, c * 0.9, e] as StageTimes), lagsOf(times)).makespan;
    assert.ok(Math.abs(r.makespanMs - expected) < 1e-9, `${r.makespanMs} vs ${expected}`);
    assert.ok(r.makespanMs > m.predicted.makespanMs);
  });

  it('leaves fallbacks out and cycles the plan for longer runs', () => {
    const speed = stageSpeed(m, [run(times, 2, 1, [0])]);
    assert.ok(Math.abs((speed.device ?? 0) - 2) < 1e-9, 'job 0 fell back: its 1000 ms whole-model run is not a head');
    const long = retimedMakespan(m, { device: 1, server: 1, runs: 1 }, 10);
    assert.ok(Math.abs(long.makespanMs - simulate([...Array(10).keys()], [...times, ...times], lagsOf([...times, ...times])).makespan) < 1e-9);
  });

  it('is not moved by one slow run among several', () => {
    const speed = stageSpeed(m, [run(times, 1.1, 1), run(times, 1.1, 1), run(times, 3, 3), run(times, 1.1, 1)]);
    assert.ok(Math.abs((speed.device ?? 0) - 1.1) < 1e-9 && Math.abs((speed.server ?? 0) - 1) < 1e-9, JSON.stringify(speed));
  });

  it('says which computer drifted, and how far', () => {
    assert.equal(speedSummary({ device: 1.27, server: 0.97 }), 'device 27 % slower than planned, server 3 % faster than planned');
    assert.equal(speedSummary({ device: 1.001 }), 'device as planned');
    assert.equal(speedSummary({}), '');
  });
});
