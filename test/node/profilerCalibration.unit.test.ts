import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel } from '../../src/core/analysis';
import { decodeModel } from '../../src/core/onnx/decode';
import { layerFeatures } from '../../src/core/predictor/features';
import { CALIBRATION_NODES, calibrationChainModel, profilerNodeMs } from '../../src/core/predictor/profilerCalibration';
import { ortNodeTimes, type OrtTraceEvent } from '../../src/core/profiles/ortProfile';

process.env.ORT_DISABLE_TELEMETRY = '1';

describe('profiler calibration (ONNX Runtime’s per-node bookkeeping, measured)', function () {
  this.timeout(120_000);
  const bytes = calibrationChainModel();

  it('is a chain of 200 cheap nodes, each a layer of one node', () => {
    const a = analyzeModel(decodeModel(bytes));
    assert.equal(a.model.graph.nodes.length, CALIBRATION_NODES);
    assert.deepEqual(new Set(a.model.graph.nodes.map((n) => n.opType)), new Set(['Relu', 'Add']));
    assert.ok(layerFeatures(a).every((f) => f.nodes !== undefined && f.nodes >= 1));
    assert.equal(layerFeatures(a).reduce((s, f) => s + (f.nodes ?? 0), 0), CALIBRATION_NODES);
  });

  it('measures a few µs per node under the real onnxruntime-node, as the agent does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-calibration-'));
    try {
      const options = { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, interOpNumThreads: 1 } as const;
      const plain = await ort.InferenceSession.create(bytes, options);
      const profiled = await ort.InferenceSession.create(bytes, { ...options, enableProfiling: true, profileFilePrefix: path.join(dir, 'calibration') });
      const feeds = { x: new ort.Tensor('float32', new Float32Array(128).fill(1), [1, 8, 4, 4]) };
      const plainMs: number[] = [];
      for (let r = 0; r < 40; r++) {
        const t0 = process.hrtime.bigint();
        const out = await plain.run(feeds);
        if (r >= 10) plainMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        await profiled.run(feeds);
        // Relu then Add 0.5, a hundred times: 1 → 51.
        if (r === 0) assert.ok(Math.abs((out.y?.data as Float32Array)[0] as number - 51) < 1e-4);
      }
      profiled.endProfiling();
      const file = readdirSync(dir).find((f) => f.endsWith('.json')) ?? assert.fail('no profile written');
      const nodeUs = ortNodeTimes(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as OrtTraceEvent[], 10);
      const perNode = profilerNodeMs({ wholeMs: plainMs, nodeUs }) ?? assert.fail('every node of the chain was profiled');
      // The testbed measured 2.9–3.9 µs; anything from a tenth of a µs to 50 µs is a plausible CPU.
      assert.ok(perNode > 1e-4 && perNode < 0.05, `${(perNode * 1000).toFixed(2)} µs per node`);
      await Promise.all([plain.release(), profiled.release()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is undefined when the run does not cover the chain, and never negative', () => {
    const nodeUs = Object.fromEntries(Array.from({ length: CALIBRATION_NODES }, (_, i) => [`n${i}`, [1, 2, 3]]));
    assert.equal(profilerNodeMs({ wholeMs: [], nodeUs }), undefined);
    assert.equal(profilerNodeMs({ wholeMs: [1], nodeUs: { n0: [1] } }), undefined);
    // Σ medians 200 × 2 µs = 0.4 ms against a plain run of 0.1 ms: 1.5 µs per node.
    assert.ok(Math.abs((profilerNodeMs({ wholeMs: [0.1, 0.1, 5], nodeUs }) ?? 0) - 0.0015) < 1e-12);
    assert.equal(profilerNodeMs({ wholeMs: [9], nodeUs }), 0);
  });
});
