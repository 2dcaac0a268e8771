import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel } from '../../src/core/analysis';
import { decodeModel } from '../../src/core/onnx/decode';
import { externalReferences } from '../../src/core/onnx/externalData';
import { withSyntheticWeights } from '../../src/core/onnx/syntheticWeights';
import { fitPredictor } from '../../src/core/predictor/fitPredictor';
import { layerFeatures } from '../../src/core/predictor/features';
import { KERNEL_GRID_PRODUCER, kernelGrid } from '../../src/core/predictor/kernelGrid';
import { KERNEL_GRID_MODEL, profileSamples, profileSessions, type ProfileForFit } from '../../src/core/predictor/profileSamples';

process.env.ORT_DISABLE_TELEMETRY = '1';

describe('kernel grid (nn-Meter-style sampled kernels for fit)', function () {
  this.timeout(120_000);
  const { kernels, model: bytes } = kernelGrid();
  const model = decodeModel(bytes);
  const analysis = analyzeModel(model);

  it('is deterministic, within the MAC budget, and different for another seed', () => {
    assert.deepEqual(kernelGrid().kernels, kernels);
    assert.notDeepEqual(kernelGrid(2).kernels, kernels);
    const worst = Math.max(...analysis.layers.layers.map((l) => l.macs));
    assert.ok(worst <= 150e6 && worst > 10e6, `largest kernel ${worst} MACs`);
    assert.ok(kernels.length >= 150, `${kernels.length} kernels`);
    const small = kernelGrid(1, 1, 1e6);
    assert.ok(analyzeModel(decodeModel(small.model)).layers.layers.every((l) => l.macs <= 1e6), 'a tighter budget is kept');
  });

  it('is a graph-only model marked as a kernel grid, one layer per kernel, covering every op class fit learns', () => {
    assert.equal(model.producer, KERNEL_GRID_PRODUCER);
    assert.equal(externalReferences(model.graph).length > 0, true, 'weights are left for the profiler to synthesise');
    assert.equal(analysis.layers.layers.length, kernels.length);
    const classes = new Set(layerFeatures(analysis).map((f) => f.opClass));
    for (const c of ['conv', 'pointwiseConv', 'depthwiseConv', 'gemm', 'pool', 'elementwise'] as const) assert.ok(classes.has(c), `no ${c} kernel`);
  });

  it("declares the output shapes EdgeCut's own shape inference derives", () => {
    for (const o of model.graph.outputs) assert.deepEqual(analysis.shapes.facts.get(o.name)?.shape, o.dims, o.name);
  });

  it('passes onnx.checker and strict shape inference (python3-onnx) once weights are synthesised', function () {
    if (!existsSync('/usr/bin/python3')) this.skip();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'edgecut-grid-')), 'grid.onnx');
    writeFileSync(file, withSyntheticWeights(bytes));
    const script = 'import onnx,sys\nm=onnx.load(sys.argv[1])\nonnx.checker.check_model(m)\nonnx.shape_inference.infer_shapes(m, strict_mode=True)\nprint("ok")';
    assert.match(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }), /ok/);
  });

  it('runs in ONNX Runtime and every output has its declared shape', async () => {
    const session = await ort.InferenceSession.create(withSyntheticWeights(bytes), { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
    const feeds: Record<string, ort.Tensor> = {};
    for (const i of model.graph.inputs) {
      const dims = (i.dims ?? []) as number[];
      feeds[i.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
    }
    const out = await session.run(feeds);
    for (const o of model.graph.outputs) assert.deepEqual([...(out[o.name]?.dims ?? [])], o.dims, o.name);
    await session.release();
  });

  it('a grid profile trains fit but is neither held out nor a session', () => {
    const layers = analysis.layers.layers.map((l) => ({ id: l.id, ms: 0.05 + l.macs / 2e8 + l.elementOps / 1e9 }));
    const grid: ProfileForFit = { model: 'kernel-grid.onnx', kernelGrid: true, layerFeatures: layerFeatures(analysis), loads: [{ load: 0, cpuUtilisation: 0.5, freeMemoryBytes: 2e9, wholeModelMs: { median: 99 }, layers }] };
    const samples = profileSamples(grid);
    assert.equal(samples.length, kernels.length);
    assert.ok(samples.every((s) => s.model === KERNEL_GRID_MODEL));
    assert.deepEqual(profileSessions(grid), []);
    const network = { ...grid, model: 'net.onnx', kernelGrid: false };
    const { report } = fitPredictor('t', [...samples, ...profileSamples(network)], { cpuUtilisation: 0.5, freeMemoryGB: 2 }, profileSessions(network));
    assert.deepEqual(report.leaveOneModelOut.map((r) => r.model), []);
    const two = fitPredictor('t', [...samples, ...profileSamples(network), ...profileSamples({ ...network, model: 'other.onnx' })], { cpuUtilisation: 0.5, freeMemoryGB: 2 });
    assert.deepEqual(two.report.leaveOneModelOut.map((r) => r.model).sort(), ['net.onnx', 'other.onnx']);
  });
});
