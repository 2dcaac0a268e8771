import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/analysis';
import { planOffloading } from '../../../src/core/plan/plan';
import { BUILTIN_DEVICES, BUILTIN_NETWORKS, BUILTIN_SERVERS } from '../../../src/core/profiles/builtins';
import { modelView } from '../../../src/core/view/modelView';
import { planView } from '../../../src/core/view/planView';
import { loadModelFile } from '../../../src/node/modelFile';
import { REPO_ROOT } from '../../helpers/paths';

describe('webview view models', () => {
  it('describe the layer graph and a plan consistently', async () => {
    const loaded = await loadModelFile(path.join(REPO_ROOT, 'examples', 'googlenet.onnx'));
    const a = analyzeModel(loaded.model);
    const mv = modelView(a, 'googlenet.onnx', loaded.graphOnly, loaded.warnings);
    assert.equal(mv.layers.length, a.layers.layers.length);
    for (const e of mv.edges) assert.ok(e.from < e.to && e.bytes > 0, `edge ${e.tensor}`);
    assert.equal(mv.layers[0]?.outputShape, '1×64×112×112');
    const settings = { device: 'rpi4', server: 'gtx1080', network: 'wifi', jobs: 8 };
    const plan = planOffloading({
      models: [{ name: 'g', analysis: a, jobs: 8 }],
      device: BUILTIN_DEVICES.rpi4 as never,
      server: BUILTIN_SERVERS.gtx1080 as never,
      link: BUILTIN_NETWORKS.wifi as never,
    });
    const pv = planView(plan, settings, 3);
    assert.equal(pv.version, 3);
    assert.equal(pv.deviceMs.length, mv.layers.length);
    assert.equal(pv.timeline.JPS.length, 8);
    assert.equal(pv.cuts.reduce((s, c) => s + c.jobs, 0), 8);
    const head = new Set(pv.head);
    assert.ok(head.size > 0 && head.size < mv.layers.length, 'over Wi-Fi the shown cut splits the model');
    const crossing = new Set(mv.edges.filter((e) => head.has(e.from) && !head.has(e.to)).map((e) => e.tensor));
    assert.deepEqual(new Set(pv.cutEdges.map((c) => c.tensor)), crossing);
    assert.ok(pv.strategies.JPS.makespanMs <= pv.strategies.PO.makespanMs);
  });
});
