import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/analysis';
import { latencyOf, type CutCandidate } from '../../../src/core/plan/cut';
import { planOffloading, type ModelPlan } from '../../../src/core/plan/plan';
import { layerFeatures } from '../../../src/core/predictor/features';
import { fitPredictor } from '../../../src/core/predictor/fitPredictor';
import type { Sample } from '../../../src/core/predictor/predictor';
import { loadModelFile } from '../../../src/node/modelFile';
import { REPO_ROOT } from '../../helpers/paths';

const headKey = (c: CutCandidate): string => [...c.head].sort((x, y) => x - y).join(',');

describe('plan: handing a session’s outputs back (outputCost.ts)', () => {
  it('charges a predictor’s cost per MB to the cut tensors a head returns and to the model outputs the device returns', async () => {
    const a = analyzeModel((await loadModelFile(path.join(REPO_ROOT, 'examples', 'googlenet.onnx'))).model);
    const idle = { busyThreads: 0, cpuUtilisation: 0.02, freeMemoryGB: 2 };
    const samples: Sample[] = layerFeatures(a).map((features, i) => ({ model: `m${i % 3}`, features, load: idle, ms: 0.01 + features.macs / 2e7 + features.outputBytes / 4e6 }));
    const fitted = fitPredictor('pi', samples, idle).predictor;
    const device = (outputMsPerMB?: number) => ({ ...fitted, session: { scale: 1, perLayerMs: 0, ...(outputMsPerMB ? { outputMsPerMB } : {}) } });
    const server = { kind: 'measured', name: 'server', description: '', layerCount: a.layers.layers.length, layers: a.layers.layers.map((l) => ({ id: l.id, ms: 0.05 })) } as const;
    const link = { name: 'wifi', upMbps: 50, downMbps: 50, rttMs: 10, deviceSend: { perMessageMs: 0.1, perMBMs: 1 } };
    const plan = (perMB?: number) => planOffloading({ models: [{ name: 'g', analysis: a, jobs: 4 }], device: device(perMB), server, link });
    const free = plan().models[0] as ModelPlan;
    const paid = plan(4).models[0] as ModelPlan;
    const outputBytes = [...a.layers.graphOutputs.keys()].reduce((s, t) => s + (a.layers.tensorBytes.get(t) ?? 0), 0);
    const lo = (m: ModelPlan): CutCandidate => m.candidates[m.lo] ?? assert.fail('LO');
    assert.ok(Math.abs(lo(paid).deviceMs - lo(free).deviceMs - (4 * outputBytes) / 1e6) < 1e-9, 'LO: the model outputs, on the device');
    // The same head in both plans: its device stage grows by 4 ms per MB of what it hands on.
    let compared = 0;
    for (const c of free.candidates) {
      const same = paid.candidates.find((d) => headKey(d) === headKey(c));
      if (!same || c.head.size === 0 || c.head.size === a.layers.layers.length) continue;
      const cutBytes = c.cutTensors.reduce((s, t) => s + (a.layers.tensorBytes.get(t) ?? 0), 0);
      assert.ok(Math.abs(same.deviceMs - c.deviceMs - (4 * cutBytes) / 1e6) < 1e-9, `head of ${c.head.size} layers`);
      assert.equal(same.serverMs, c.serverMs);
      compared++;
    }
    assert.ok(compared > 0, 'some split heads were compared');
    assert.ok(latencyOf(paid.candidates[paid.po] as CutCandidate) >= latencyOf(free.candidates[free.po] as CutCandidate));
    assert.equal(plan(4).link.deviceOutputMsPerMB, undefined, 'the plan reports the network as given');
  });
});
