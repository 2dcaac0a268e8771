import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../../src/core/analysis';
import { layerFeatures, type LayerFeatures } from '../../src/core/predictor/features';
import { FEATURE_SET } from '../../src/core/predictor/predictor';
import { loadModelFile } from '../../src/node/modelFile';
import { REPO_ROOT } from '../helpers/paths';
import { cli } from '../helpers/cli';

/** A profile as `edgecut profile` writes it, its layer times a made-up function of the real features. */
async function profile(file: string, strip: boolean): Promise<object> {
  const a = analyzeModel((await loadModelFile(path.join(REPO_ROOT, 'examples', file))).model);
  // Profiles written before the im2col row count had no such field.
  const features = layerFeatures(a).map((f) => (strip ? (Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'im2colRows')) as unknown as LayerFeatures) : f));
  const layers = features.map((f, id) => ({ id, ms: 0.005 + f.macs * 1e-8 + (f.im2colRows ?? 0) * 1e-6 }));
  const sum = layers.reduce((s, l) => s + l.ms, 0);
  return { kind: 'measured', name: 'pi', model: file, layerCount: layers.length, layers, layerFeatures: features, loads: [{ load: 0, cpuUtilisation: 0.05, freeMemoryBytes: 2e9, wholeModelMs: { median: sum }, layers }] };
}

describe('edgecut fit (CLI)', () => {
  it('fits on the current feature set, and names profiles that predate im2col row counts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-fit-'));
    const files = await Promise.all(
      [['resnet18.onnx', false], ['googlenet.onnx', true]].map(async ([model, strip]) => {
        const f = path.join(dir, `${model as string}.profile.json`);
        writeFileSync(f, JSON.stringify(await profile(model as string, strip as boolean)));
        return f;
      }),
    );
    const out = path.join(dir, 'pi.predictor.json');
    const r = await cli('fit', ...files, '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 profile\(s\) predate im2col row counts \(googlenet\.onnx\): their k×k convolutions' rows are estimated for square maps/);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { features: number }).features, FEATURE_SET);
    const fresh = await cli('fit', files[0] as string, '--out', out);
    assert.equal(fresh.code, 0, fresh.err);
    assert.doesNotMatch(fresh.out, /predate/);
  });

  it('merges repeated profiles of one model by each layer’s fastest, or with --repeats median, and refuses another merge', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-fit-'));
    const base = (await profile('resnet18.onnx', false)) as { loads: { layers: { id: number; ms: number }[]; wholeModelMs: { median: number } }[] };
    // Three profiles of one model at three speeds, each slowest somewhere else.
    const files = [1, 1.3, 1.6].map((slow, i) => {
      const loads = base.loads.map((l) => ({ ...l, wholeModelMs: { median: l.wholeModelMs.median * slow }, layers: l.layers.map((x) => ({ ...x, ms: x.ms * (x.id % 3 === i ? 2 : slow) })) }));
      const f = path.join(dir, `resnet18.${i}.profile.json`);
      writeFileSync(f, JSON.stringify({ ...base, loads }));
      return f;
    });
    const other = path.join(dir, 'googlenet.profile.json');
    writeFileSync(other, JSON.stringify(await profile('googlenet.onnx', false)));
    const out = path.join(dir, 'pi.predictor.json');
    const fastest = await cli('fit', ...files, other, '--out', out);
    assert.equal(fastest.code, 0, fastest.err);
    assert.match(fastest.out, /4 profiles of 2 models: repeated profiles merged by each layer's fastest time/);
    const median = await cli('fit', ...files, other, '--repeats', 'median', '--out', out);
    assert.equal(median.code, 0, median.err);
    assert.match(median.out, /merged by each layer's median time/);
    // Leave-one-model-out measures resnet18 by its merged whole-model time: the fastest, or the median of 1, 1.3 and 1.6×.
    const measured = (text: string): number => Number(/resnet18\.onnx\s*│?\s*([\d.]+)/.exec(text)?.[1]);
    assert.ok(Math.abs(measured(median.out) / measured(fastest.out) - 1.3) < 0.05, `${measured(median.out)} against ${measured(fastest.out)}`);
    const bad = await cli('fit', ...files, '--repeats', 'mean', '--out', out);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--repeats mean: use fastest .* or median/);
  });

  it('names a training model whose whole runs stray from the session model', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-fit-'));
    const files = await Promise.all(
      (['resnet18.onnx', 'googlenet.onnx', 'resnet18.dynamo.onnx'] as const).map(async (model) => {
        const p = (await profile(model, false)) as { loads: { wholeModelMs: { median: number } }[] };
        // The dynamo export's session runs at 0.7× its layers, the others at their sum (profiles that measured the bookkeeping: the session model is a median scale).
        const ratio = model === 'resnet18.dynamo.onnx' ? 0.7 : 1;
        const f = path.join(dir, `${model}.profile.json`);
        writeFileSync(f, JSON.stringify({ ...p, profilerNodeMs: 0, loads: p.loads.map((l) => ({ ...l, wholeModelMs: { median: l.wholeModelMs.median * ratio } })) }));
        return f;
      }),
    );
    const r = await cli('fit', ...files, '--out', path.join(dir, 'pi.predictor.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /note: resnet18\.dynamo\.onnx ran its whole model in 0\.70× what the session model makes of its layers; a model like it is likely predicted high by about 43 %/);
    assert.doesNotMatch(r.out, /note: (resnet18\.onnx|googlenet)/);
  });
});
