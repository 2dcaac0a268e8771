import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../src/core/analysis';
import { isModelError } from '../../src/core/errors';
import { loadModelFile } from '../../src/node/modelFile';
import { REPO_ROOT } from '../helpers/paths';

interface Expectation {
  error?: string;
  message?: string;
  load?: boolean;
  graphOnly?: boolean;
  warning?: string;
  shapes?: Record<string, number[]>;
  dims?: Record<string, number>;
  params?: number;
}

const CORPUS = path.join(REPO_ROOT, 'test', 'corpus');
const expectations: Record<string, Expectation> = JSON.parse(readFileSync(path.join(CORPUS, 'corpus.json'), 'utf8')).files;

describe('model corpus (test/corpus/corpus.json)', () => {
  it('lists every .onnx file in the corpus folder', () => {
    const files = readdirSync(path.join(CORPUS, 'models')).filter((f) => f.endsWith('.onnx')).sort();
    assert.deepEqual(files, Object.keys(expectations).sort());
  });

  for (const [file, want] of Object.entries(expectations)) {
    it(`${file} → ${want.error ? `error ${want.error}` : 'loads'}`, async () => {
      const run = async () => {
        const loaded = await loadModelFile(path.join(CORPUS, 'models', file));
        const analysis = analyzeModel(loaded.model, { dims: want.dims });
        return { loaded, analysis };
      };
      if (want.error) {
        await assert.rejects(run, (e: unknown) => {
          assert.ok(isModelError(e), `expected a ModelError, got ${String(e)}`);
          assert.equal(e.reason, want.error);
          assert.ok(e.message.includes(want.message ?? ''), `message "${e.message}" lacks "${want.message}"`);
          assert.ok(!e.message.includes('\n'), 'the message is one line');
          return true;
        });
        return;
      }
      const { loaded, analysis } = await run();
      assert.equal(loaded.graphOnly, want.graphOnly);
      const warnings = [...loaded.warnings, ...analysis.warnings];
      if (want.warning) assert.ok(warnings.some((w) => w.includes(want.warning as string)), `warnings: ${warnings.join(' | ')}`);
      for (const [t, shape] of Object.entries(want.shapes ?? {})) {
        assert.deepEqual(analysis.shapes.facts.get(t)?.shape, shape, `shape of ${t}`);
      }
      if (want.params !== undefined) assert.equal(analysis.totals.params, want.params);
    });
  }
});
