import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeModel } from '../../../src/core/onnx/decode';
import { externalReferences } from '../../../src/core/onnx/externalData';
import { withSyntheticWeights } from '../../../src/core/onnx/syntheticWeights';
import { REPO_ROOT } from '../../helpers/paths';

describe('synthetic weights for graph-only models', () => {
  it('inlines every external tensor with the right byte size, deterministically', () => {
    const bytes = readFileSync(path.join(REPO_ROOT, 'examples', 'resnet18.onnx'));
    const before = decodeModel(bytes);
    const refs = externalReferences(before.graph);
    assert.ok(refs.length > 10);
    const filled = withSyntheticWeights(bytes);
    const after = decodeModel(filled);
    assert.deepEqual(externalReferences(after.graph), []);
    for (const r of refs) {
      const t = after.graph.initializers.get(r.tensor);
      assert.equal(t?.storage.kind, 'raw');
      if (t?.storage.kind === 'raw') assert.equal(t.storage.bytes.length, r.length);
    }
    assert.deepEqual(Buffer.from(withSyntheticWeights(bytes)), Buffer.from(filled));
  });
});
