import { strict as assert } from 'node:assert';
import type { MeasuredRun, PlanView, StrategyKey, TimelineJob } from '../../../src/protocol';
import { nextTimeline, timelineChoices, timelineModel } from '../../../src/core/view/timelineModel';

const span = (start: number, end: number) => ({ start, end });

/** Two split jobs on a 20 ms JPS plan; PO is one longer job mix. */
function plan(): PlanView {
  const jps: TimelineJob[] = [
    { job: 0, candidate: 1, stages: [span(0, 5), span(5, 9), span(9, 12), span(12, 13)] },
    { job: 1, candidate: 2, stages: [span(5, 12), span(12, 15), span(15, 19), span(19, 20)] },
  ];
  const po: TimelineJob[] = [{ job: 0, candidate: 1, stages: [span(0, 5), span(5, 9), span(9, 12), span(12, 13)] }, { job: 1, candidate: 1, stages: [span(5, 10), span(10, 14), span(14, 17), span(17, 18)] }];
  const strategy = (makespanMs: number) => ({ makespanMs, reductionVsLO: 0 });
  return {
    version: 1,
    settings: { device: 'rpi4', server: 'gtx1080', network: '4g', jobs: 2 },
    link: { upMbps: 8.8, downMbps: 29.1, rttMs: 40 },
    deviceMs: [],
    serverMs: [],
    head: [],
    cutEdges: [],
    strategies: { LO: strategy(40), CO: strategy(30), PO: strategy(18), JPS: strategy(20) },
    timeline: { LO: [], CO: [], PO: po, JPS: jps },
    cuts: [],
    method: 'exact',
  };
}

/** The device ran plan job 1 first; plan job 0 fell back to the whole model on the device. */
const run = (strategy: StrategyKey = 'JPS'): MeasuredRun => ({
  id: 'd1',
  strategy,
  jobs: [
    { job: 1, stages: [span(0, 8), span(8, 12), span(12, 16), span(16, 17)] },
    { job: 0, stages: [span(8, 40), null, null, null], fallback: 'server answered 500' },
  ],
  makespanMs: 40,
  predictedMakespanMs: 20,
  notes: [],
});

describe('the pipeline timeline (timelineModel)', () => {
  it('without a run: one predicted bar per job stage, scaled to the plan, titled with its makespan', () => {
    const t = timelineModel(plan(), 'JPS', undefined, 800);
    assert.equal(t.bars.length, 8);
    assert.ok(t.bars.every((b) => b.kind === 'predicted'));
    assert.equal(t.scaleMs, 20);
    assert.equal(t.measured, false);
    assert.equal(t.title, 'JPS pipeline · 2 jobs · 20.0 ms');
    assert.equal(t.ariaLabel, 'JPS pipeline, 20.0 ms');
    assert.match(t.bars[0]?.text ?? '', /^job 0 device: 0\.00–5\.00 ms \(5\.00 ms, cut 1\)$/);
  });

  it('with a run of the strategy shown: measured bars in the lower half of their lanes, on the longer makespan', () => {
    const t = timelineModel(plan(), 'JPS', run(), 800);
    const measured = t.bars.filter((b) => b.kind === 'measured');
    const predicted = t.bars.filter((b) => b.kind === 'predicted');
    assert.equal(measured.length, 5);
    assert.equal(predicted.length, 8);
    assert.equal(t.scaleMs, 40);
    for (const m of measured) {
      const p = predicted.find((b) => b.lane === m.lane) as { y: number; height: number };
      assert.ok(m.y > p.y && m.y + m.height <= p.y + p.height, `measured bar ${m.lane} is not inside the lower half of its lane`);
    }
    // The 40 ms fallback spans the whole drawing width (800 − 70 left − 16 right).
    const fell = measured.find((b) => b.fallback);
    assert.ok(fell);
    assert.equal(Math.round(fell.x + fell.width), 800 - 16);
    assert.equal(t.measured, true);
  });

  it('titles and labels the comparison, and counts the fallbacks', () => {
    const t = timelineModel(plan(), 'JPS', run(), 800);
    assert.equal(t.title, 'JPS pipeline · 2 jobs · measured 40.0 ms vs predicted 20.0 ms (+100.0 %) · 1 fell back to the device');
    assert.match(t.ariaLabel, /^JPS pipeline, measured 40\.0 ms vs predicted 20\.0 ms \(\+100\.0 %\): predicted bars outlined, measured bars solid/);
    assert.match(t.ariaLabel, /1 job\(s\) fell back to the device \(hatched\)$/);
    assert.equal(t.fallbacks, 1);
  });

  it("adds the speed check: how far the device drifted since its profile, and the plan at that speed", () => {
    const t = timelineModel(plan(), 'JPS', { ...run(), speedCheck: { device: 1.27, runs: 9, makespanMs: 25.4 } }, 800);
    assert.equal(t.title, 'JPS pipeline · 2 jobs · measured 40.0 ms vs predicted 20.0 ms (+100.0 %) · device 27 % slower than planned: 25.4 ms predicted at that speed · 1 fell back to the device');
    assert.match(t.ariaLabel, /device 27 % slower than planned: 25\.4 ms predicted at that speed: predicted bars outlined/);
  });

  it("hovering a measured bar compares it with the plan's stage of the same job", () => {
    const t = timelineModel(plan(), 'JPS', run(), 800);
    const texts = t.bars.filter((b) => b.kind === 'measured').map((b) => b.text);
    assert.equal(texts[0], 'job 1 device: measured 0.00–8.00 ms (8.00 ms), predicted 7.00 ms');
    assert.equal(texts[1], 'job 1 uplink: measured 8.00–12.0 ms (4.00 ms), predicted 3.00 ms');
    assert.equal(texts[4], 'job 0 device: measured 8.00–40.0 ms (32.0 ms), predicted 5.00 ms — fell back to the whole model on the device: server answered 500');
    assert.match(t.bars.find((b) => b.kind === 'predicted')?.text ?? '', /^job 0 device: predicted 0\.00–5\.00 ms/);
  });

  it('shows a run only on the timeline of the strategy that was deployed', () => {
    const t = timelineModel(plan(), 'PO', run('JPS'), 800);
    assert.equal(t.measured, false);
    assert.ok(t.bars.every((b) => b.kind === 'predicted'));
    assert.equal(t.scaleMs, 18);
  });

  it('the toggle steps through JPS and PO, and a deployed LO or CO', () => {
    assert.deepEqual(timelineChoices(undefined), ['JPS', 'PO']);
    assert.deepEqual(timelineChoices(run('PO')), ['JPS', 'PO']);
    assert.deepEqual(timelineChoices(run('LO')), ['JPS', 'PO', 'LO']);
    assert.equal(nextTimeline('JPS', undefined), 'PO');
    assert.equal(nextTimeline('PO', undefined), 'JPS');
    assert.equal(nextTimeline('PO', run('CO')), 'CO');
    assert.equal(nextTimeline('CO', run('CO')), 'JPS');
    // A deployed LO whose run is gone (another plan): back to JPS.
    assert.equal(nextTimeline('LO', undefined), 'JPS');
  });
});
