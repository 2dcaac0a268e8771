import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/analysis';
import { decodeModel } from '../../../src/core/onnx/decode';
import { skeletonize, type ByteSource } from '../../../src/core/onnx/skeleton';
import { isModelError } from '../../../src/core/errors';
import { inspectJson } from '../../../src/core/inspectReport';
import { ppocrModel, REPO_ROOT, sharedModelsDir } from '../../helpers/paths';

function memorySource(bytes: Uint8Array): ByteSource & { reads: number; bytesRead: number } {
  return {
    size: bytes.length,
    reads: 0,
    bytesRead: 0,
    read(offset, length) {
      this.reads++;
      const out = bytes.subarray(offset, Math.min(bytes.length, offset + length));
      this.bytesRead += out.length;
      return out;
    },
  };
}

const files = (): string[] => {
  const dir = sharedModelsDir();
  return [
    ...(dir ? [path.join(dir, 'mobilenet_v2.onnx'), path.join(dir, 'squeezenet1_1.onnx')] : []),
    path.join(REPO_ROOT, 'examples', 'googlenet.onnx'),
    ppocrModel('cls'),
  ];
};

describe('skeleton decoding (large models: weights left unread in the file)', () => {
  for (const file of files()) {
    it(`${path.basename(file)}: same analysis as a full decode, weights point at their bytes`, () => {
      const bytes = readFileSync(file);
      const skeleton = skeletonize(memorySource(bytes), 1024);
      assert.ok(skeleton.length < bytes.length / 2 || bytes.length < 200_000, 'the skeleton drops the weights');
      const full = decodeModel(bytes);
      const lean = decodeModel(skeleton);
      const a = inspectJson(analyzeModel(full), file, false);
      const b = inspectJson(analyzeModel(lean), file, false);
      assert.deepEqual(b, a);
      for (const [name, t] of lean.graph.initializers) {
        if (t.storage.kind !== 'file') continue;
        const original = full.graph.initializers.get(name)?.storage;
        assert.equal(original?.kind, 'raw');
        if (original?.kind !== 'raw') continue;
        assert.deepEqual(bytes.subarray(t.storage.offset, t.storage.offset + t.storage.length), Buffer.from(original.bytes));
      }
    });
  }

  it('reports truncation with the offset', () => {
    const bytes = readFileSync(path.join(REPO_ROOT, 'examples', 'googlenet.onnx'));
    assert.throws(
      () => skeletonize(memorySource(bytes.subarray(0, 30000)), 1024),
      (e: unknown) => isModelError(e) && e.reason === 'truncated' && /at byte \d+/.test(e.message),
    );
  });
});
