import { strict as assert } from 'node:assert';
import { deployTable } from '../../../src/core/deploy/deployTable';
import type { SmokeTest } from '../../../src/core/deploy/runReport';

describe('the deploy report table (CLI and output channel)', () => {
  const run: SmokeTest = {
    strategy: 'JPS',
    jobs: [
      { job: 0, model: 'm', planned: 'split', ran: 'split', device: [0, 5], uplink: [5, 30], server: [30, 33], downlink: [33, 40], doneMs: 40 },
      { job: 1, model: 'm', planned: 'local', ran: 'local', device: [5, 11], uplink: null, server: null, downlink: null, doneMs: 11 },
    ],
    makespanMs: 40,
    predictedMakespanMs: 32,
    clockOffsetMs: 0,
    duplicates: 0,
    notes: [],
    makespansMs: [39, 40, 44],
    verified: { jobs: 2, maxRelativeDifference: 2e-7 },
  };

  it('lists every job with its stages and compares the makespans', () => {
    const text = deployTable(run, 32);
    assert.match(text, /^job +ran +device ms +uplink ms +server ms +downlink ms +done ms$/m);
    assert.match(text, /^ *0 +split +0\.0–5\.0 +5\.0–30\.0 +30\.0–33\.0 +33\.0–40\.0 +40\.0$/m);
    assert.match(text, /^ *1 +local +5\.0–11\.0 +— +— +— +11\.0$/m);
    assert.match(text, /makespan: measured 40\.0 ms \(median of 39\.0, 40\.0, 44\.0\), predicted 32\.0 ms \(\+25\.0 % vs predicted\)/);
    assert.match(text, /2 job\(s\) checked against the whole model, largest relative difference 2\.0e-7/);
    assert.doesNotMatch(text, /speed check/);
  });

  it('adds the speed check when the runner measured one', () => {
    const text = deployTable({ ...run, retimed: { speed: { device: 1.25, server: 1, runs: 6 }, makespanMs: 38.5 } }, 32);
    assert.match(text, /speed check \(6 timed run\(s\)\): device 25 % slower than planned, server as planned; at these speeds the plan predicts 38\.5 ms \(measured \+3\.9 %\)/);
    assert.doesNotMatch(text, /pre-run/);
  });

  it('shows the pre-run speed check (the forecast from the warm-up) before the timed runs\' own', () => {
    const text = deployTable({ ...run, forecast: { speed: { device: 0.9, server: 1.2, runs: 9 }, makespanMs: 36 }, retimed: { speed: { device: 1.25, server: 1, runs: 6 }, makespanMs: 38.5 } }, 32);
    const pre = text.search(/pre-run speed check \(9 warm-up run\(s\)\): device 10 % faster than planned, server 20 % slower than planned; at these speeds the plan predicts 36\.0 ms \(measured \+11\.1 %\)/);
    assert.ok(pre >= 0, text);
    assert.ok(text.indexOf('speed check (6 timed run(s))') > pre);
  });
});
