import { strict as assert } from 'node:assert';
import { fitPredictor, predictLayer } from '../../../src/core/predictor/fitPredictor';
import type { LayerFeatures } from '../../../src/core/predictor/features';
import type { Sample } from '../../../src/core/predictor/predictor';
import { fitNonNegative } from '../../../src/core/predictor/regression';

function conv(macs: number, bytes: number): LayerFeatures {
  return { opClass: 'conv', macs, elementOps: 0, inputBytes: bytes, outputBytes: bytes, params: macs / 1000, kernel: 9, stride: 1, filters: 64 };
}

/** A device whose conv time is 0.3 ms + MACs at 5 GMAC/s, slowed in proportion to CPU load
 *  (as the profiler's --load makes it: busy threads raise the utilisation). */
const truth = (f: LayerFeatures, util: number): number => (0.3 + f.macs / 5e6) * (1 + 1.5 * util);

describe('latency predictor (fit)', () => {
  const samples: Sample[] = [];
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (const model of ['a', 'b', 'c', 'd']) {
    for (let i = 0; i < 30; i++) {
      const f = conv(1e6 + rnd() * 2e8, 1e4 + rnd() * 1e6);
      for (const [busy, util] of [[0, 0.02], [1, 0.3], [2, 0.6]] as const) samples.push({ model, features: f, load: { busyThreads: busy, cpuUtilisation: util, freeMemoryGB: 2 }, ms: truth(f, util) * (1 + (rnd() - 0.5) * 0.04) });
    }
  }
  const { predictor, report } = fitPredictor('test', samples, { cpuUtilisation: 0.02, freeMemoryGB: 2 });

  it('reaches a high cross-validated R² and keeps a load-aware form', () => {
    const c = report.perClass.find((x) => x.opClass === 'conv');
    assert.ok(c && c.r2 > 0.97, `R² ${c?.r2}`);
    const f = conv(1e8, 1e5);
    const idle = predictLayer(predictor, f, { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 });
    const busy = predictLayer(predictor, f, { busyThreads: 2, cpuUtilisation: 0.6, freeMemoryGB: 2 });
    assert.ok(Math.abs(idle - truth(f, 0.02)) / truth(f, 0.02) < 0.1, `idle ${idle} vs ${truth(f, 0.02)}`);
    assert.ok(Math.abs(busy - truth(f, 0.6)) / truth(f, 0.6) < 0.1, `busy ${busy} vs ${truth(f, 0.6)}`);
    assert.ok(c.r2Loaded > 0.95, `R² under load ${c.r2Loaded}`);
  });

  it('predicts models left out of the fit within 10%', () => {
    assert.equal(report.leaveOneModelOut.length, 4);
    for (const r of report.leaveOneModelOut) assert.ok(Math.abs(r.errorPct) < 10, `${r.model}: ${r.errorPct.toFixed(1)}%`);
  });
});

describe('non-negative least squares', () => {
  it('recovers non-negative weights, gives an unused feature none, and clamps a negative slope to zero', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i, (i * 7) % 13, (i * 3) % 5]);
    const y = rows.map(([a, b, c]) => 2 * (a as number) + 0.5 * (b as number) + 0 * (c as number) + 1);
    const fit = fitNonNegative(rows, y);
    const w = fit.weights.map((v, j) => v / (fit.scales[j] as number));
    assert.ok(Math.abs((w[0] as number) - 2) < 1e-3 && Math.abs((w[1] as number) - 0.5) < 1e-3, `weights ${w}`);
    assert.ok((w[2] as number) >= 0 && (w[2] as number) < 1e-3);
    assert.ok(Math.abs(fit.bias - 1) < 1e-2, `bias ${fit.bias}`);
    const neg = fitNonNegative(rows, rows.map(([a]) => 10 - (a as number)));
    // y falls with the first feature: unconstrained least squares would give it −1.
    assert.ok(Math.abs(neg.weights[0] as number) < 1e-9, `weight ${neg.weights[0]}`);
  });
});
