import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/analysis';
import { loadModelFile } from '../../../src/node/modelFile';
import { requireOrSkip, sharedModelsDir } from '../../helpers/paths';
import { fitPredictor, predictLayer, sessionModel, sessionOutliers } from '../../../src/core/predictor/fitPredictor';
import { computeMs, mergeRepeats, profileSamples, profileSessions, type ProfileForFit, type Session } from '../../../src/core/predictor/profileSamples';
import { layerFeatures, type LayerFeatures } from '../../../src/core/predictor/features';
import { bestForm, covers, FEATURE_SET, im2colRowsOf, type Sample } from '../../../src/core/predictor/predictor';
import { parseComputeProfile } from '../../../src/core/profiles/parseProfile';
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

describe('latency predictor (load features that hardly moved)', () => {
  // As on the testbed: busy threads slow the device, while the host-wide CPU utilisation and
  // free memory wander by hundredths from run to run and mean nothing. Each model's layers also
  // carry a model-wide bias (±8 %), which an unguarded load fit explains with that wander.
  const samples: Sample[] = [];
  let seed = 11;
  const rnd = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const models = ['a', 'b', 'c', 'd', 'e', 'f'];
  models.forEach((model, i) => {
    const bias = 1 + 0.08 * Math.sin(3 * i);
    const layers = Array.from({ length: 20 }, () => conv(1e6 + rnd() * 2e8, 1e4 + rnd() * 1e6));
    for (const busy of [0, 1, 2]) {
      const load = { busyThreads: busy, cpuUtilisation: 0.49 + 0.01 * rnd(), freeMemoryGB: 24.5 + 0.05 * rnd() };
      for (const f of layers) samples.push({ model, features: f, load, ms: truth(f, 0) * bias * (1 + 0.7 * busy) });
    }
  });
  const { predictor } = fitPredictor('wander', samples, { busyThreads: 0, cpuUtilisation: 0.495, freeMemoryGB: 24.52 });

  it('ignores them: an idle layer measured at a free memory just outside the training runs is predicted as idle', () => {
    const f = conv(1e8, 1e5);
    for (const freeMemoryGB of [24.45, 24.6, 24.7]) {
      const idle = predictLayer(predictor, f, { busyThreads: 0, cpuUtilisation: 0.5, freeMemoryGB });
      assert.ok(Math.abs(idle - truth(f, 0)) / truth(f, 0) < 0.1, `free ${freeMemoryGB} GB: ${idle.toFixed(2)} ms vs ${truth(f, 0).toFixed(2)}`);
    }
  });

  it('never learns that a busier CPU is faster (a run disturbed from outside)', () => {
    // Model a's idle run met a busy host (utilisation 0.64), its loaded runs a quiet one.
    const disturbed = samples.map((x) => (x.model === 'a' ? { ...x, load: { ...x.load, cpuUtilisation: x.load.busyThreads === 0 ? 0.64 : 0.54 } } : x));
    const p = fitPredictor('disturbed', disturbed, { busyThreads: 0, cpuUtilisation: 0.5, freeMemoryGB: 24.52 }).predictor;
    const f = conv(1e8, 1e5);
    const quiet = predictLayer(p, f, { busyThreads: 0, cpuUtilisation: 0.5, freeMemoryGB: 24.52 });
    const busier = predictLayer(p, f, { busyThreads: 0, cpuUtilisation: 0.7, freeMemoryGB: 24.52 });
    assert.ok(busier >= quiet - 1e-9, `utilisation 0.7: ${busier.toFixed(2)} ms, 0.5: ${quiet.toFixed(2)} ms`);
  });

  it('still learns the busy threads', () => {
    const f = conv(1e8, 1e5);
    const busy = predictLayer(predictor, f, { busyThreads: 2, cpuUtilisation: 0.5, freeMemoryGB: 24.5 });
    assert.ok(Math.abs(busy - 2.4 * truth(f, 0)) / (2.4 * truth(f, 0)) < 0.1, `busy ${busy.toFixed(2)} vs ${(2.4 * truth(f, 0)).toFixed(2)}`);
  });
});

describe('latency predictor (element-wise work by kind)', () => {
  /** Copying an element costs 0.1 ns, a transcendental 2 ns, plus 4 µs per layer. */
  const truth = (copy: number, special: number): number => 0.004 + (copy * 0.1 + special * 2) * 1e-6;
  const layer = (copy: number, special: number): LayerFeatures => ({ opClass: 'elementwise', macs: 0, elementOps: copy + special, copyElements: copy, specialOps: special, inputBytes: 4 * (copy + special), outputBytes: 4 * (copy + special), params: 0, kernel: 1, stride: 1, filters: 1 });
  const samples: Sample[] = [];
  for (let i = 1; i <= 20; i++) {
    const [copy, special] = i % 2 ? [i * 50_000, 0] : [0, i * 5_000];
    samples.push({ model: `m${i % 4}`, features: layer(copy, special), load: { busyThreads: 0, cpuUtilisation: 0, freeMemoryGB: 2 }, ms: truth(copy, special) });
  }
  const { predictor } = fitPredictor('kinds', samples, { cpuUtilisation: 0, freeMemoryGB: 2 });

  it('tells a copy from a Sigmoid of the same size', () => {
    const idle = { busyThreads: 0, cpuUtilisation: 0, freeMemoryGB: 2 };
    const copy = predictLayer(predictor, layer(400_000, 0), idle);
    const special = predictLayer(predictor, layer(0, 400_000), idle);
    assert.ok(Math.abs(copy / truth(400_000, 0) - 1) < 0.1, `copy ${copy} vs ${truth(400_000, 0)}`);
    assert.ok(Math.abs(special / truth(0, 400_000) - 1) < 0.1, `special ${special} vs ${truth(0, 400_000)}`);
  });

  it('writes its feature set, which a plan checks when it reads the predictor', () => {
    assert.equal(predictor.features, FEATURE_SET);
    assert.doesNotThrow(() => parseComputeProfile(JSON.parse(JSON.stringify(predictor)), 'p.json'));
    const older = { ...predictor, features: undefined };
    assert.throws(() => parseComputeProfile(older, 'old.predictor.json'), /old\.predictor\.json: this predictor was fitted on feature set 1.*fit it again/);
  });
});

describe('latency predictor (a fixed cost per layer only where the class has one)', () => {
  const samples = (fixedMs: number): Sample[] =>
    Array.from({ length: 60 }, (_, i) => {
      const f = conv(1e4 + ((i * 7919) % 60) * 5e4, 1e4 + ((i * 104729) % 60) * 2e4);
      return { model: `m${i % 4}`, features: f, load: { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 }, ms: fixedMs + f.macs / 5e6 };
    });

  it('keeps an intercept for a class whose small layers all cost 0.3 ms more, and none for one whose layers cost their work only', () => {
    const fixed = bestForm(samples(0.3));
    assert.ok(fixed.model.fit.bias > 0.2 && fixed.model.fit.bias < 0.4, `intercept ${fixed.model.fit.bias}`);
    const none = bestForm(samples(0));
    assert.equal(none.model.fit.bias, 0);
  });

  it('keeps a fixed cost that R² cannot see: 20 µs a layer, among layers up to 20 ms, by the relative error it removes', () => {
    // Pointwise convs on the testbed: the large layers rule R², the fixed cost rules the small ones.
    const layers = Array.from({ length: 80 }, (_, i) => conv(i % 2 ? 2e4 * (1 + (i % 7)) : 1e7 * (1 + (i % 11)), 1e4 * (1 + (i % 5))));
    const measured = layers.map((f, i) => ({ model: `m${i % 4}`, features: f, load: { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 }, ms: 0.02 + f.macs / 5e6 }));
    const fitted = bestForm(measured);
    assert.ok(Math.abs(fitted.model.fit.bias - 0.02) < 0.005, `intercept ${fitted.model.fit.bias}`);
    const small = conv(4e4, 1e4);
    const predicted = predictLayer({ ...fitPredictor('t', measured, { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor }, small, { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 });
    assert.ok(Math.abs(predicted - 0.028) < 0.004, `a 40 kMAC layer: ${predicted} ms, takes 0.028`);
  });
});

describe('latency predictor (output positions)', () => {
  // A GEMM whose packing is paid once per output position for all filters: 64 filters on the
  // positions of 32 cost less than twice as much. The outputs' weight alone charges it per filter.
  const layer = (filters: number, positions: number, channels: number): LayerFeatures => ({
    opClass: 'conv', macs: filters * positions * channels * 9, elementOps: 0, inputBytes: 4 * channels * positions, outputBytes: 4 * filters * positions, params: filters * channels * 9, kernel: 9, stride: 1, filters, im2colRows: channels * 9 * Math.round(Math.sqrt(positions)),
  });
  const time = (f: LayerFeatures): number => f.macs / 2e7 + (f.outputBytes / 4 / f.filters) * 2e-5;
  it('learns the per-position cost from layers of few and many filters, and predicts a held-out shape by it', () => {
    const measured: Sample[] = [];
    [8, 16, 48, 96, 256].forEach((filters, i) => [784, 3136, 12544].forEach((positions, j) => [3, 16, 64, 128].forEach((channels) => {
      const f = layer(filters, positions, channels);
      measured.push({ model: `m${(i + j) % 3}`, features: f, load: { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 }, ms: time(f) });
    })));
    const p = fitPredictor('t', measured, { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    const held = layer(64, 12321, 3);
    const predicted = predictLayer(p, held, { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 });
    assert.ok(Math.abs(predicted / time(held) - 1) < 0.05, `3→64 on 111×111: ${predicted.toFixed(3)} ms, takes ${time(held).toFixed(3)}`);
  });
});

describe('latency predictor (strided im2col)', () => {
  // MLAS copies a stride-1 im2col row four floats at a time and gathers a strided one float by
  // float: the same buffer costs several times more to build at stride 2.
  const layer = (stride: number, kernel: number, filters: number, side: number, channels: number): LayerFeatures => {
    const positions = side * side;
    return { opClass: 'conv', macs: filters * positions * channels * kernel, elementOps: 0, inputBytes: 4 * channels * positions * stride * stride, outputBytes: 4 * filters * positions, params: filters * channels * kernel, kernel, stride, filters, im2colRows: channels * kernel * side };
  };
  const time = (f: LayerFeatures): number => f.macs / 2e7 + (f.macs / f.filters) * (f.stride > 1 ? 4e-6 : 1e-6);
  it('prices a strided convolution’s im2col buffer above a stride-1 one’s, and predicts a held-out strided shape by it', () => {
    const measured: Sample[] = [];
    [1, 2].forEach((stride) => [9, 25].forEach((kernel) => [16, 64, 128].forEach((filters, i) => [14, 28, 56].forEach((side, j) => [8, 32, 96].forEach((channels) => {
      const f = layer(stride, kernel, filters, side, channels);
      measured.push({ model: `m${(i + j + stride) % 3}`, features: f, load: { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 }, ms: time(f) });
    })))));
    const p = fitPredictor('t', measured, { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    for (const held of [layer(2, 9, 64, 111, 3), layer(1, 49, 64, 56, 3), layer(2, 49, 64, 112, 3)]) {
      const predicted = predictLayer(p, held, { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 });
      assert.ok(Math.abs(predicted / time(held) - 1) < 0.05, `3→64 k${held.kernel} stride ${held.stride}: ${predicted.toFixed(3)} ms, takes ${time(held).toFixed(3)}`);
    }
  });
});

describe('latency predictor (grouped convolutions)', () => {
  // ONNX Runtime builds a grouped convolution's im2col buffer group by group: every input channel
  // is expanded, though each GEMM sees only its group's. Dense convolutions (one group) teach the
  // per-element cost of that buffer; a grouped one must be charged it for all its groups.
  const idle = { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 };
  const layer = (channels: number, filters: number, side: number, groups: number, kernel = 9): LayerFeatures => {
    const positions = side * side;
    const macs = filters * positions * (channels / groups) * kernel;
    return { opClass: 'conv', macs, elementOps: 0, inputBytes: 4 * channels * positions, outputBytes: 4 * filters * positions, params: (filters * channels * kernel) / groups, kernel, stride: 1, filters, im2colRows: channels * kernel * side, ...(groups > 1 ? { groups } : {}) };
  };
  /** 1 ns a MAC, 5 ns an im2col buffer element (input channels × kernel × positions, whatever the groups). */
  const time = (f: LayerFeatures): number => f.macs * 1e-6 + (f.im2colRows ?? 0) * Math.sqrt(f.outputBytes / 4 / f.filters) * 5e-6;
  const dense: Sample[] = [];
  [16, 32, 64, 128].forEach((channels, i) => [8, 48, 256].forEach((filters, k) => [7, 14, 28, 56].forEach((side, j) => [9, 25].forEach((kernel) => {
    const f = layer(channels, filters, side, 1, kernel);
    dense.push({ model: `m${(i + j + k) % 3}`, features: f, load: idle, ms: time(f) });
  }))));
  const grouped = [layer(104, 104, 28, 13), layer(208, 208, 14, 26), layer(440, 440, 7, 55)];

  it('charges the im2col buffer of every group, and predicts RegNet-like grouped layers from dense ones', () => {
    const p = fitPredictor('t', dense, { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    for (const f of grouped) {
      const predicted = predictLayer(p, f, idle);
      assert.ok(Math.abs(predicted / time(f) - 1) < 0.05, `${f.filters} channels in ${f.groups} groups: ${predicted.toFixed(3)} ms, takes ${time(f).toFixed(3)}`);
    }
  });

  it('prices a grouped layer recorded without its groups (an older profile) as one group, well below its time', () => {
    const p = fitPredictor('t', dense, { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    const f = grouped[2] as LayerFeatures;
    const unrecorded: LayerFeatures = { ...f, groups: undefined };
    const predicted = predictLayer(p, unrecorded, idle);
    assert.ok(predicted < 0.8 * time(f), `${predicted.toFixed(3)} ms, takes ${time(f).toFixed(3)}`);
  });
});

describe('latency predictor (the order profiles are given in)', () => {
  it('fits the same predictor, and the same held-out errors, whichever order the samples come in', () => {
    const models = ['squeezenet', 'mobilenet', 'resnet', 'googlenet', 'det', 'cls'];
    const samples: Sample[] = models.flatMap((model, m) => Array.from({ length: 14 }, (_, i) => {
      const f = conv(1e6 * (1 + ((i * 7 + m * 3) % 13)) * (m + 1), 4096 * (1 + ((i + m) % 5)));
      return { model, features: f, load: { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 }, ms: truth(f, 0.02) * (1 + 0.08 * Math.sin(i * 3 + m)) };
    }));
    const reversed = [...models].reverse().flatMap((model) => samples.filter((s) => s.model === model));
    const a = fitPredictor('t', samples, { cpuUtilisation: 0.02, freeMemoryGB: 2 });
    const b = fitPredictor('t', reversed, { cpuUtilisation: 0.02, freeMemoryGB: 2 });
    assert.deepEqual(b.predictor.classes, a.predictor.classes);
    const errors = (r: typeof a): Record<string, number> => Object.fromEntries(r.report.leaveOneModelOut.map((l) => [l.model, l.errorPct]));
    assert.deepEqual(errors(b), errors(a));
  });
});

describe('latency predictor (fused element-wise tails)', () => {
  // PP-OCR's depthwise layers carry eight element-wise passes over their output (batch norm as
  // Mul/Add, HardSwish), MobileNetV2's one (Clip). Fitted as one, the class cannot tell the
  // convolution's time from the tail's, which grows with the same output.
  const idle = { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 };
  const depthwise = (channels: number, side: number, passes: number): LayerFeatures => {
    const outputs = channels * side * side;
    return { opClass: 'depthwiseConv', macs: 9 * outputs, elementOps: passes * outputs, inputBytes: 4 * outputs, outputBytes: 4 * outputs, params: 9 * channels, kernel: 9, stride: 1, filters: channels, nodes: 1 + passes, im2colRows: channels * 9 * side };
  };
  const elementwise = (elements: number): LayerFeatures => ({ opClass: 'elementwise', macs: 0, elementOps: elements, inputBytes: 4 * elements, outputBytes: 4 * elements, params: 0, kernel: 1, stride: 1, filters: 1, nodes: 1 });
  /** 2 ns per element-wise op; the convolution 1 ns per MAC and 20 ns per im2col row. */
  const time = (f: LayerFeatures): number => f.elementOps * 2e-6 + f.macs * 1e-6 + (f.im2colRows ?? 0) * 2e-5;
  const convs: Sample[] = [];
  [16, 48, 96, 192].forEach((channels, i) => [10, 20, 40, 80].forEach((side, j) => {
    const f = depthwise(channels, side, 8);
    convs.push({ model: `ocr${(i + j) % 3}`, features: f, load: idle, ms: time(f) });
  }));
  const tails: Sample[] = [1e4, 5e4, 2e5, 6e5, 1.5e6, 3e6].map((n, i) => ({ model: `ocr${i % 3}`, features: elementwise(n), load: idle, ms: time(elementwise(n)) }));
  const held = [depthwise(144, 56, 1), depthwise(320, 14, 1), depthwise(32, 112, 1)];

  it('prices them by the element-wise class, and predicts a layer of one pass from layers of eight', () => {
    const p = fitPredictor('t', [...convs, ...tails], { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    assert.equal(p.classes.depthwiseConv?.tail, true);
    for (const f of held) {
      const predicted = predictLayer(p, f, idle);
      assert.ok(Math.abs(predicted / time(f) - 1) < 0.05, `${f.filters} channels: ${predicted.toFixed(3)} ms, takes ${time(f).toFixed(3)}`);
    }
  });

  it('prices a tail of a kind no training convolution had (EfficientNet\'s SiLU) by its kind, with the convolution still in its class', () => {
    // Sigmoid costs 5× an Add per element; element-wise layers of both kinds teach it, but every
    // training convolution's tail is arithmetic, so the class saw no special work at all.
    const special = (elements: number): LayerFeatures => ({ ...elementwise(elements), specialOps: elements });
    const sigmoids: Sample[] = [2e4, 1e5, 4e5, 1.2e6, 2.5e6].map((n, i) => ({ model: `net${i % 3}`, features: special(n), load: idle, ms: time(special(n)) + 8e-6 * n }));
    const p = fitPredictor('t', [...convs, ...tails, ...sigmoids], { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    const silu = (channels: number, side: number): LayerFeatures => ({ ...depthwise(channels, side, 2), specialOps: channels * side * side });
    for (const f of [silu(32, 112), silu(144, 56), silu(240, 28)]) {
      assert.ok(p.classes.depthwiseConv && covers(p.classes.depthwiseConv, f), `${f.filters} channels: in the depthwise class`);
      const truth = time(f) + 8e-6 * (f.specialOps ?? 0);
      const predicted = predictLayer(p, f, idle);
      assert.ok(Math.abs(predicted / truth - 1) < 0.1, `${f.filters} channels: ${predicted.toFixed(3)} ms, takes ${truth.toFixed(3)}`);
    }
  });

  it('are fitted with the convolution where no element-wise layers were measured, and then mispriced', () => {
    const p = fitPredictor('t', convs, { cpuUtilisation: 0.02, freeMemoryGB: 2 }).predictor;
    assert.equal(p.classes.depthwiseConv?.tail, undefined);
    const worst = Math.max(...held.map((f) => Math.abs(predictLayer(p, f, idle) / time(f) - 1)));
    assert.ok(worst > 0.1, `worst error ${(100 * worst).toFixed(1)} %`);
  });
});

describe('session model', () => {
  it('recovers whole = scale × layer sum + per-layer term, and keeps scale 1 with fewer than three sessions', () => {
    const sessions = [[10, 40], [50, 30], [100, 180], [3, 80], [35, 100]].map(([sum, layers], i) => ({
      model: `m${i}`,
      busyThreads: 0,
      layers: layers as number,
      layerSumMs: sum as number,
      wholeMs: 1.06 * (sum as number) - 0.008 * (layers as number),
    }));
    const m = sessionModel(sessions);
    assert.ok(Math.abs(m.scale - 1.06) < 1e-6 && Math.abs(m.perLayerMs + 0.008) < 1e-6, JSON.stringify(m));
    const two = sessionModel(sessions.slice(0, 2));
    assert.equal(two.scale, 1);
    const expected = sessions.slice(0, 2).reduce((s, x) => s + x.wholeMs - x.layerSumMs, 0) / 70;
    assert.ok(Math.abs(two.perLayerMs - expected) < 1e-9);
  });

  it('is a scale alone for sessions whose layer sums are without the profiler’s bookkeeping', () => {
    const sessions = [[10, 40], [50, 30], [100, 180], [3, 80]].map(([sum, layers], i) => ({ model: `m${i}`, busyThreads: 0, layers: layers as number, layerSumMs: sum as number, wholeMs: 1.04 * (sum as number) + 0.001 * (layers as number), calibrated: true }));
    const m = sessionModel(sessions);
    assert.equal(m.perLayerMs, 0);
    assert.ok(m.scale > 1.04 && m.scale < 1.08, JSON.stringify(m));
    assert.ok(sessionModel(sessions.map((x) => ({ ...x, calibrated: false }))).perLayerMs > 0, 'uncalibrated sessions keep their per-layer term');
    assert.equal(sessionModel(sessions.map((x) => ({ ...x, wholeMs: 3 * x.layerSumMs }))).scale, 1, 'an implausible scale is not used');
  });

  it('takes the median ratio for calibrated sessions: one model far off does not move the scale', () => {
    const ratios = [1.01, 0.99, 1.02, 1.0, 0.77];
    const sessions = ratios.map((r, i) => ({ model: `m${i}`, busyThreads: 0, layers: 50, layerSumMs: 2 + 10 * i, wholeMs: r * (2 + 10 * i), calibrated: true }));
    assert.ok(Math.abs(sessionModel(sessions).scale - 1.0) < 1e-12, 'the median of five');
    assert.ok(Math.abs(sessionModel(sessions.slice(0, 4)).scale - 1.005) < 1e-12, 'the median of four');
  });

  it('learns what handing the outputs back costs per MB from the sessions of large outputs, and takes it off their whole before the scale', () => {
    // As on the testbed: PP-OCR rec's 1 MB and det's 400 kB of outputs at 3 ms/MB beyond layers
    // that add up; the classifiers' 4 kB teach nothing of it.
    const sessions = [[20, 4e3], [5, 4e3], [10, 1.06e6], [40, 4e5], [25, 4e3]].map(([sum, bytes], i) => ({
      model: `m${i}`, busyThreads: 0, layers: 50, layerSumMs: sum as number, wholeMs: 1.01 * (sum as number) + (3 * (bytes as number)) / 1e6, calibrated: true, outputBytes: bytes as number,
    }));
    const m = sessionModel(sessions);
    assert.ok(Math.abs((m.outputMsPerMB ?? 0) - 3) < 0.05, `${m.outputMsPerMB} ms per MB`);
    assert.ok(Math.abs(m.scale - 1.01) < 0.002, `scale ${m.scale}: the outputs' time is not the layers'`);
    assert.equal(sessionModel(sessions.map(({ outputBytes: _b, ...x }) => x)).outputMsPerMB, undefined, 'profiles that did not record their outputs');
    const faster = sessions.map((x) => ((x.outputBytes ?? 0) > 1e5 ? { ...x, wholeMs: 0.95 * x.layerSumMs } : x));
    assert.equal(sessionModel(faster).outputMsPerMB, 0, 'never negative');
  });

  it('gets each profile’s output bytes, where it recorded them', () => {
    const profile: ProfileForFit = { model: 'm', layerFeatures: [conv(1e6, 1e4)], outputBytes: 409600, loads: [{ load: 0, cpuUtilisation: 0.02, freeMemoryBytes: 1e9, wholeModelMs: { median: 1 }, layers: [{ id: 0, ms: 0.9 }] }] };
    assert.equal(profileSessions(profile)[0]?.outputBytes, 409600);
    assert.equal(profileSessions({ ...profile, outputBytes: undefined })[0]?.outputBytes, undefined);
  });

  it('names the training models whose whole runs stray from it by more than 15 %, outputs’ cost taken off first', () => {
    const session = (model: string, ratio: number, outputBytes = 0): Session => ({ model, busyThreads: 0, layers: 80, layerSumMs: 10, wholeMs: 10 * ratio + (3 * outputBytes) / 1e6, calibrated: true, outputBytes });
    const idle = [session('a', 1.0), session('b', 1.02), session('c', 0.98), session('d', 1.01, 1e6), session('cls', 0.78)];
    const model = sessionModel(idle);
    assert.ok(Math.abs(model.scale - 1.0) < 0.02, `scale ${model.scale}`);
    const outliers = sessionOutliers(idle, model);
    assert.deepEqual(outliers.map((o) => o.model), ['cls']);
    assert.ok(Math.abs((outliers[0]?.ratio ?? 0) - 0.78) < 0.02, `ratio ${outliers[0]?.ratio}`);
    assert.deepEqual(sessionOutliers(idle, { ...model, outputMsPerMB: 0 }).map((o) => o.model), ['d', 'cls'], 'd’s 3 ms of outputs counted as its session');
  });

  it('falls back to a per-layer term when the fitted scale is implausible', () => {
    const sessions = [[10, 40], [50, 30], [100, 180]].map(([sum, layers], i) => ({ model: `m${i}`, busyThreads: 0, layers: layers as number, layerSumMs: sum as number, wholeMs: 2 * (sum as number) }));
    assert.equal(sessionModel(sessions).scale, 1);
  });
});

describe('repeated profiles', () => {
  const profile = (model: string, wholes: number[], ms: number[]): ProfileForFit => ({
    model,
    layerFeatures: ms.map((x) => conv(x * 1e6, 1e4)),
    loads: wholes.map((w, load) => ({ load, cpuUtilisation: 0.5, freeMemoryBytes: 1e9, wholeModelMs: { median: w }, layers: ms.map((x, id) => ({ id, ms: x * (1 + load) })) })),
  });

  it('merge into one profile of each layer’s fastest time per load level, by default; other models pass through', () => {
    const merged = mergeRepeats([profile('a', [10, 20], [1, 2]), profile('b', [5], [3]), profile('a', [14, 30], [3, 4]), profile('a', [11, 22], [2, 9])]);
    assert.equal(merged.length, 2);
    const a = merged.find((p) => p.model === 'a');
    assert.deepEqual(a?.loads.map((l) => l.wholeModelMs?.median), [10, 20]);
    assert.deepEqual(a?.loads[0]?.layers.map((l) => l.ms), [1, 2]);
    assert.deepEqual(a?.loads[1]?.layers.map((l) => l.ms), [2, 4]);
    assert.deepEqual(merged.find((p) => p.model === 'b')?.loads[0]?.wholeModelMs, { median: 5 });
  });

  it('takes each layer’s own fastest profile, not the whole model’s', () => {
    const [a] = mergeRepeats([profile('a', [10], [1, 5]), profile('a', [12], [3, 2])]);
    assert.deepEqual(a?.loads[0]?.layers.map((l) => l.ms), [1, 2]);
    assert.equal(a?.loads[0]?.wholeModelMs?.median, 10);
  });

  it('merge into their medians with median', () => {
    const [a] = mergeRepeats([profile('a', [10, 20], [1, 2]), profile('a', [14, 30], [3, 4]), profile('a', [11, 22], [2, 9])], 'median');
    assert.deepEqual(a?.loads.map((l) => l.wholeModelMs?.median), [11, 22]);
    assert.deepEqual(a?.loads[0]?.layers.map((l) => l.ms), [2, 4]);
    assert.deepEqual(a?.loads[1]?.layers.map((l) => l.ms), [4, 8]);
  });
});

describe("the profiler's bookkeeping (profilerNodeMs)", () => {
  const withNodes = (macs: number, nodes: number): LayerFeatures => ({ ...conv(macs, 1e4), nodes });
  const profile: ProfileForFit = {
    model: 'small',
    profilerNodeMs: 0.004,
    layerFeatures: [withNodes(1e6, 3), withNodes(2e6, 1), conv(3e6, 1e4)],
    loads: [{ load: 0, cpuUtilisation: 0.1, freeMemoryBytes: 1e9, wholeModelMs: { median: 0.2 }, layers: [{ id: 0, ms: 0.1 }, { id: 1, ms: 0.005 }, { id: 2, ms: 0.05 }] }],
  };

  it('comes out of every layer with a node count, per node, never below a tenth of the profiled time', () => {
    assert.ok(Math.abs(computeMs(0.1, withNodes(1, 3), 0.004) - 0.088) < 1e-12);
    assert.equal(computeMs(0.005, withNodes(1, 1), 0.004), 0.005 - 0.004);
    assert.equal(computeMs(0.002, withNodes(1, 1), 0.004), 0.0002);
    assert.equal(computeMs(0.1, conv(1, 1), 0.004), 0.1, 'an older profile without node counts keeps its times');
    assert.equal(computeMs(0.1, withNodes(1, 3), undefined), 0.1, 'an uncalibrated profile keeps its times');
  });

  it('is taken out of the training samples and of the session’s layer sum', () => {
    const ms = profileSamples(profile).map((x) => x.ms);
    assert.deepEqual(ms.map((x) => +x.toFixed(6)), [0.088, 0.001, 0.05]);
    assert.ok(Math.abs((profileSessions(profile)[0]?.layerSumMs ?? 0) - 0.139) < 1e-12);
  });

  it('is taken out of a measured profile used to plan', () => {
    const p = parseComputeProfile({ kind: 'measured', name: 'pi', layerCount: 3, ...profile, layers: profile.loads[0]?.layers, wholeModelMs: { median: 0.2 } }, 'pi.json');
    assert.equal(p.kind, 'measured');
    if (p.kind !== 'measured') return;
    assert.deepEqual(p.layers.map((l) => +l.ms.toFixed(6)), [0.088, 0.001, 0.05]);
    // What the plain session spends beyond the layers is spread over them, as before.
    assert.ok(Math.abs((p.overheadPerLayerMs ?? 0) - (0.2 - 0.139) / 3) < 1e-12);
  });

  it('of repeated profiles merges as their layers do: the fastest, or the median', () => {
    const repeats = [profile, { ...profile, profilerNodeMs: 0.002 }, { ...profile, profilerNodeMs: 0.003 }];
    assert.equal(mergeRepeats(repeats)[0]?.profilerNodeMs, 0.002);
    assert.equal(mergeRepeats(repeats, 'median')[0]?.profilerNodeMs, 0.003);
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

describe('im2col rows of profiles written before they were recorded', () => {
  it('are estimated exactly on square maps (resnet18) and left 0 where there is no k×k convolution', async function () {
    const dir = sharedModelsDir();
    requireOrSkip(this, !!dir, 'the shared models folder', 'set EDGECUT_SHARED_DIR to the folder holding models/');
    if (!dir) return;
    const a = analyzeModel((await loadModelFile(path.join(dir, 'resnet18.onnx'))).model);
    const fs = layerFeatures(a);
    const convs = fs.filter((f) => (f.im2colRows ?? 0) > 0);
    assert.ok(convs.length >= 17);
    for (const f of fs) {
      const { im2colRows, ...older } = f;
      const estimate = im2colRowsOf(older);
      if (im2colRows) assert.ok(Math.abs(estimate / im2colRows - 1) < 0.02, `estimate ${estimate} against ${im2colRows}`);
      else assert.equal(estimate, 0);
      assert.equal(im2colRowsOf(f), im2colRows);
    }
  });
});
