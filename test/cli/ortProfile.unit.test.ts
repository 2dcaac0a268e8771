import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { runCli } from '../../src/cli/main';
import { sharedModelsDir } from '../helpers/paths';

describe('edgecut profile --from-ort-profile', function () {
  this.timeout(120_000);
  it('imports a profile recorded with ONNX Runtime and plans with it', async function () {
    const shared = sharedModelsDir();
    if (!shared) this.skip();
    const model = path.join(shared as string, 'squeezenet1_1.onnx');
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-ortprof-'));
    process.env.ORT_DISABLE_TELEMETRY = '1';
    const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled', enableProfiling: true, profileFilePrefix: path.join(dir, 'p'), intraOpNumThreads: 1 });
    const x = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.1), [1, 3, 224, 224]);
    for (let i = 0; i < 3; i++) await s.run({ input: x });
    s.endProfiling();
    await s.release();
    const trace = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.json')) as string);
    const out = path.join(dir, 'imported.json');
    let err = '';
    const code = await runCli(['profile', model, '--from-ort-profile', trace, '--out', out], { stdout: () => undefined, stderr: (t) => void (err += t) });
    assert.equal(code, 0, err);
    const p = JSON.parse(readFileSync(out, 'utf8')) as { kind: string; layers: { ms: number }[]; unmatched: number[] };
    assert.equal(p.kind, 'measured');
    assert.deepEqual(p.unmatched, []);
    assert.ok(p.layers.every((l) => l.ms >= 0) && p.layers.some((l) => l.ms > 0));
    let planOut = '';
    assert.equal(await runCli(['plan', model, '--device', out, '--json'], { stdout: (t) => void (planOut += t), stderr: () => undefined }), 0);
    assert.ok(JSON.parse(planOut).strategies.LO.makespanMs > 0);
  });

  it('refuses a file that is not an ORT profile', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-ortprof-'));
    let err = '';
    const model = path.join(sharedModelsDir() ?? '', 'squeezenet1_1.onnx');
    const code = await runCli(['profile', model, '--from-ort-profile', model, '--out', path.join(dir, 'x.json')], { stdout: () => undefined, stderr: (t) => void (err += t) });
    assert.equal(code, 2);
    assert.match(err, /not an ONNX Runtime profile/);
  });
});
