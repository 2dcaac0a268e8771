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
});
