import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/analysis';
import { layerFeatures } from '../../../src/core/predictor/features';
import { loadModelFile } from '../../../src/node/modelFile';
import { ppocrModel, REPO_ROOT, requireOrSkip, sharedModelsDir } from '../../helpers/paths';

async function features(file: string, dims: Record<string, number> = {}) {
  const a = analyzeModel((await loadModelFile(file)).model, { dims });
  return a.layers.layers.map((l, i) => ({ ops: l.ops.filter((o) => o !== 'Constant'), f: layerFeatures(a)[i] as ReturnType<typeof layerFeatures>[number] }));
}

describe('layer features: element-wise work by kind', () => {
  it('squeezenet: a Concat layer is all copy, a Conv+Relu layer has none', async function () {
    const dir = sharedModelsDir();
    requireOrSkip(this, !!dir, 'the shared models folder', 'set EDGECUT_SHARED_DIR to the folder holding models/');
    if (!dir) return;
    const layers = await features(path.join(dir, 'squeezenet1_1.onnx'));
    const concats = layers.filter((l) => l.ops.join('+') === 'Concat');
    assert.equal(concats.length, 8);
    for (const { f } of concats) {
      assert.equal(f.opClass, 'elementwise');
      assert.ok(f.elementOps > 0);
      assert.equal(f.copyElements, f.elementOps, 'a Concat only moves its elements');
      assert.equal(f.specialOps, 0);
      assert.equal(f.copyElements * 4, f.outputBytes, 'one element copied per output element');
    }
    const conv = layers.find((l) => l.f.opClass === 'conv');
    assert.equal(conv?.f.copyElements, 0);
    assert.equal(conv?.f.specialOps, 0);
  });

  it('densenet121: Concat+BatchNormalization+Relu splits into a copy and arithmetic', async () => {
    const layers = await features(path.join(REPO_ROOT, 'test/fixtures/densenet121.onnx'));
    const fused = layers.filter((l) => l.ops.join('+') === 'Concat+BatchNormalization+Relu');
    assert.ok(fused.length > 50);
    for (const { f } of fused) {
      assert.ok((f.copyElements ?? 0) > 0 && (f.copyElements ?? 0) < f.elementOps, `copy ${f.copyElements} of ${f.elementOps}`);
      assert.equal(f.elementOps, 3 * (f.copyElements ?? 0), 'Concat, BN and Relu each touch every element once');
    }
  });

  it('PP-OCR cls: Softmax counts as special work, HardSigmoid (a clipped multiply-add) as arithmetic', async () => {
    const layers = await features(ppocrModel('cls'), { 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 });
    const hardSigmoid = layers.filter((l) => l.ops.includes('HardSigmoid'));
    assert.ok(hardSigmoid.length > 0);
    for (const { f } of hardSigmoid) {
      assert.equal(f.specialOps, 0, f.opClass);
      assert.ok(f.elementOps - (f.copyElements ?? 0) > 0);
    }
    const softmax = layers.find((l) => l.ops.join('+') === 'Softmax');
    assert.ok((softmax?.f.specialOps ?? 0) > 0);
    assert.equal(softmax?.f.specialOps, softmax?.f.elementOps);
  });

  it('EfficientNet-B0: a SiLU tail (Sigmoid, then Mul) is half special work', async () => {
    const layers = await features(path.join(REPO_ROOT, 'test/fixtures/torchvision/efficientnet_b0.onnx'));
    const silu = layers.filter((l) => l.f.opClass === 'depthwiseConv' && l.ops.filter((o) => o !== 'Identity').join('+') === 'Conv+Sigmoid+Mul');
    assert.equal(silu.length, 16, 'every depthwise conv of the 16 MBConv blocks');
    for (const { f } of silu) {
      assert.equal(f.specialOps, f.outputBytes / 4, 'the Sigmoid: one special op per output element');
      assert.equal(f.elementOps, 2 * (f.specialOps ?? 0));
    }
  });
});

describe('layer features: im2col rows of k×k convolutions', () => {
  it('PP-OCR det: input channels × kernel positions × output rows, none for 1×1 convs or pools', async () => {
    const layers = await features(ppocrModel('det'), { 'p2o.DynamicDimension.1': 320, 'p2o.DynamicDimension.2': 320 });
    // The 5×5 depthwise convs of the 10×10 stage: 384 channels, 25 positions, 10 rows.
    const deep = layers.filter((l) => l.f.opClass === 'depthwiseConv' && l.f.kernel === 25 && l.f.filters === 384 && l.f.outputBytes === 384 * 100 * 4);
    assert.ok(deep.length >= 3, `${deep.length} such layers`);
    for (const { f } of deep) assert.equal(f.im2colRows, 384 * 25 * 10);
    for (const { f } of layers.filter((l) => l.f.opClass === 'pointwiseConv' || l.f.opClass === 'pool')) assert.equal(f.im2colRows, 0);
  });

  it('PP-OCR rec: narrow maps give a few rows per channel, so fewer rows per MAC than det', async () => {
    const rec = await features(ppocrModel('rec'), { 'p2o.DynamicDimension.1': 320 });
    const det = await features(ppocrModel('det'), { 'p2o.DynamicDimension.1': 320, 'p2o.DynamicDimension.2': 320 });
    const perMac = (ls: typeof rec): number => {
      const dw = ls.filter((l) => l.f.opClass === 'depthwiseConv' && l.f.kernel === 25);
      return dw.reduce((s, l) => s + (l.f.im2colRows ?? 0), 0) / dw.reduce((s, l) => s + l.f.macs, 0);
    };
    // Per output position a k×k conv has K rows ÷ W: det's 10- and 20-wide maps against rec's 80.
    assert.ok(perMac(det) > 3 * perMac(rec), `det ${perMac(det)} rec ${perMac(rec)} rows per MAC`);
  });
});

describe('layer features: torchvision exports (test/fixtures/torchvision)', () => {
  const torchvision = (name: string): string => path.join(REPO_ROOT, 'test/fixtures/torchvision', `${name}.onnx`);

  it('add up to the multiply-accumulates torchvision publishes for each network (its model table, GFLOPS = G MACs)', async () => {
    const published: Record<string, number> = { mobilenet_v3_small: 0.06, mobilenet_v3_large: 0.22, shufflenet_v2_x1_0: 0.14, mnasnet1_0: 0.31, efficientnet_b0: 0.39, regnet_y_400mf: 0.4 };
    for (const [name, gmacs] of Object.entries(published)) {
      const macs = (await features(torchvision(name))).reduce((s, l) => s + l.f.macs, 0);
      // The table gives two decimals: within half a unit of the last one.
      assert.ok(Math.abs(macs / 1e9 - gmacs) <= 0.005 + 1e-9, `${name}: ${(macs / 1e9).toFixed(4)} G MACs, published ${gmacs}`);
    }
  });

  it('RegNetY-400MF: grouped 3×3 convs of 8 channels a group are convs with their groups; depthwise convs stay depthwise', async () => {
    const layers = await features(torchvision('regnet_y_400mf'));
    const grouped = layers.filter((l) => l.f.opClass === 'conv' && l.f.kernel === 9 && l.f.filters !== 32);
    assert.equal(grouped.length, 16, 'one per block: 1 + 3 + 6 + 6');
    for (const { f } of grouped) {
      assert.equal(f.groups, f.filters / 8, `${f.filters} filters`);
      const positions = f.outputBytes / 4 / f.filters;
      assert.equal(f.macs, f.filters * positions * 8 * 9, 'each output sums its group’s 8 channels × 9 positions');
    }
    const mobile = await features(torchvision('mobilenet_v3_small'));
    const depthwise = mobile.filter((l) => l.f.opClass === 'depthwiseConv');
    assert.ok(depthwise.length >= 11, `${depthwise.length} depthwise layers`);
    for (const { f } of depthwise) assert.equal(f.groups, f.filters);
    assert.ok(mobile.filter((l) => l.f.opClass === 'pointwiseConv').every((l) => l.f.groups === undefined));
  });
});
