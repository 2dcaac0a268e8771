import { strict as assert } from 'node:assert';
import { runOverhead, type MeasuredStages } from '../../../src/core/deploy/runOverhead';
import { simulate, type StageTimes } from '../../../src/core/plan/flowShop';

/** Jobs exactly as the flow shop schedules them, shifted by `gap` ms before job `at`'s device stage. */
function measured(times: StageTimes[], gap = 0, at = -1): MeasuredStages[] {
  const { jobs } = simulate(times.map((_, i) => i), times);
  return jobs.map((j) => {
    const shift = (s: readonly [number, number] | null | undefined): [number, number] | null => (s ? [s[0] + (j.job >= at && at >= 0 ? gap : 0), s[1] + (j.job >= at && at >= 0 ? gap : 0)] : null);
    const [device, uplink, server, downlink] = j.stages.map(shift) as [ReturnType<typeof shift>, ReturnType<typeof shift>, ReturnType<typeof shift>, ReturnType<typeof shift>];
    return { job: j.job, device, uplink, server, downlink, doneMs: Math.max(...[device, uplink, server, downlink].map((s) => s?.[1] ?? 0)) };
  });
}

describe('runtime overhead against the flow-shop schedule', () => {
  const times: StageTimes[] = [[5, 20, 3, 2], [5, 20, 3, 2], [10, 0, 0, 0], [10, 0, 0, 0], [4, 8, 6, 1]];

  it('is zero for a run that is exactly the flow shop of its own stage times', () => {
    const r = runOverhead(measured(times));
    assert.equal(r.overheadMs, 0);
    assert.equal(r.flowShopMs, simulate([0, 1, 2, 3, 4], times).makespan);
  });

  it('is the idle time the runtime left on the critical path', () => {
    const r = runOverhead(measured(times, 7, 4));
    assert.ok(Math.abs(r.overheadMs - 7) < 1e-9, `overhead ${r.overheadMs}`);
    assert.ok(Math.abs(r.overheadPct - (100 * 7) / r.flowShopMs) < 1e-9);
  });

  it('replays the jobs in the order they started, whatever order the report lists them in', () => {
    const jobs = measured(times);
    assert.equal(runOverhead([...jobs].reverse()).overheadMs, 0);
  });
});
