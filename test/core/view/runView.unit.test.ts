import { strict as assert } from 'node:assert';
import type { JobRecord } from '../../../src/core/deploy/runReport';
import { fmtDeviation } from '../../../src/core/format';
import { measuredVsPredicted, runComparison, runView, type RunReportJobs } from '../../../src/core/view/runView';

const job = (device: [number, number] | null, uplink: [number, number] | null, server: [number, number] | null, downlink: [number, number] | null, ran: JobRecord['ran'] = 'split', fallbackReason?: string) => ({
  ran,
  device,
  uplink,
  server,
  downlink,
  ...(fallbackReason ? { fallbackReason } : {}),
});

describe('a deployed run as the timeline draws it (runView)', () => {
  const report: RunReportJobs = {
    jobs: [
      job([0, 10], [10, 14], [14, 16], [16, 17]),
      job([10, 18], [18, 22], null, null, 'fallback', 'connection reset'),
      job([18, 30], null, null, null, 'local'),
    ],
    makespanMs: 30,
    predictedMakespanMs: 25,
    notes: ['server failed (connection reset): the jobs it had not answered finished on the device with the whole model'],
  };

  it("maps the device's run order back to the plan's jobs and keeps the four spans", () => {
    const run = runView('d1', 'JPS', report, [2, 0, 1]);
    assert.deepEqual(run.jobs.map((j) => j.job), [2, 0, 1]);
    assert.deepEqual(run.jobs[0]?.stages, [{ start: 0, end: 10 }, { start: 10, end: 14 }, { start: 14, end: 16 }, { start: 16, end: 17 }]);
    assert.deepEqual(run.jobs[2]?.stages, [{ start: 18, end: 30 }, null, null, null]);
    assert.equal(run.makespanMs, 30);
    assert.equal(run.predictedMakespanMs, 25);
    assert.equal(run.strategy, 'JPS');
    assert.equal(run.id, 'd1');
    assert.equal(run.notes.length, 1);
  });

  it('carries the speed check of the timed runs (and none when the runner had none)', () => {
    assert.equal(runView('d1', 'JPS', report, [0, 1, 2]).speedCheck, undefined);
    const run = runView('d1', 'JPS', { ...report, retimed: { speed: { device: 1.2, server: 0.9, runs: 4 }, makespanMs: 29 } }, [0, 1, 2]);
    assert.deepEqual(run.speedCheck, { device: 1.2, server: 0.9, runs: 4, makespanMs: 29 });
    assert.equal(runComparison(run), 'measured 30.0 ms vs predicted 25.0 ms (+20.0 %) · device 20 % slower than planned, server 10 % faster than planned: 29.0 ms predicted at that speed');
  });

  it("prefers the runner's forecast (the warm-up's speeds, before the timed runs) to the timed runs' check", () => {
    const run = runView('d1', 'JPS', { ...report, forecast: { speed: { device: 1.1, runs: 7 }, makespanMs: 27.5 }, retimed: { speed: { device: 1.2, runs: 4 }, makespanMs: 29 } }, [0, 1, 2]);
    assert.deepEqual(run.speedCheck, { device: 1.1, runs: 7, makespanMs: 27.5 });
    assert.equal(runComparison(run), 'measured 30.0 ms vs predicted 25.0 ms (+20.0 %) · device 10 % slower than planned: 27.5 ms predicted at that speed');
  });

  it('appends the speed check to the comparison the notification shows', () => {
    const plain = runView('d1', 'JPS', report, [0, 1, 2]);
    assert.equal(runComparison(plain), 'measured 30.0 ms vs predicted 25.0 ms (+20.0 %)');
    const drifted = runView('d1', 'JPS', { ...report, retimed: { speed: { device: 1.2, runs: 4 }, makespanMs: 29.4 } }, [0, 1, 2]);
    assert.equal(runComparison(drifted), 'measured 30.0 ms vs predicted 25.0 ms (+20.0 %) · device 20 % slower than planned: 29.4 ms predicted at that speed');
  });

  it('marks the jobs that fell back to the device, with the reason', () => {
    const run = runView('d1', 'PO', report, [0, 1, 2]);
    assert.deepEqual(run.jobs.map((j) => j.fallback), [undefined, 'connection reset', undefined]);
  });

  it('cycles through the planned order when the run had more jobs than the plan', () => {
    const run = runView('d1', 'JPS', report, [1, 0]);
    assert.deepEqual(run.jobs.map((j) => j.job), [1, 0, 1]);
  });

  it('has no predicted makespan when the run had another number of jobs (NaN from the runner)', () => {
    const run = runView('d1', 'JPS', { ...report, predictedMakespanMs: NaN }, [0, 1, 2]);
    assert.equal(run.predictedMakespanMs, null);
    assert.equal(measuredVsPredicted(run.makespanMs, run.predictedMakespanMs), 'measured 30.0 ms (no prediction for this number of jobs)');
  });

  it('says measured against predicted with a signed deviation', () => {
    assert.equal(measuredVsPredicted(30, 25), 'measured 30.0 ms vs predicted 25.0 ms (+20.0 %)');
    assert.equal(measuredVsPredicted(123.4, 150), 'measured 123 ms vs predicted 150 ms (−17.7 %)');
    assert.equal(fmtDeviation(100, 100), '+0.0 %');
  });
});
