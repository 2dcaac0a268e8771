import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel, type ModelAnalysis } from '../../src/core/analysis';
import { loadModelFile } from '../../src/node/modelFile';
import { requireOrSkip, sharedModelsDir } from '../helpers/paths';

interface Reference {
  file: string;
  params: number;
  torch_flops: number;
  value_shapes: Record<string, number[]>;
  node_list: { name: string; op: string }[];
}

const MAC_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

describe('shared models against reference.json (onnx.shape_inference + PyTorch)', function () {
  const dir = sharedModelsDir();
  const refs: Record<string, Reference> = dir ? JSON.parse(readFileSync(path.join(dir, 'reference.json'), 'utf8')) : {};
  before(function () {
    requireOrSkip(this, !!dir, 'the shared models folder', 'set EDGECUT_SHARED_DIR to the folder holding models/');
  });
  const names = Object.keys(refs).length ? Object.keys(refs) : ['googlenet', 'mobilenet_v2', 'resnet18', 'resnet18.dynamo', 'squeezenet1_1'];
  for (const name of names) {
    describe(name, () => {
      let analysis: ModelAnalysis;
      let ref: Reference;
      before(async function () {
        if (!dir) this.skip();
        ref = refs[name] as Reference;
        const loaded = await loadModelFile(path.join(dir, ref.file));
        analysis = analyzeModel(loaded.model);
      });

      it('infers every tensor shape onnx reports', () => {
        const facts = analysis.shapes.facts;
        const wrong = Object.entries(ref.value_shapes).filter(([t, s]) => facts.get(t)?.shape?.join(',') !== s.join(','));
        assert.deepEqual(wrong.map(([t]) => t), []);
        assert.equal(analysis.shapes.unknownNodes.size, 0);
      });

      it('counts the parameters PyTorch counts', () => {
        assert.equal(analysis.totals.params, ref.params);
      });

      it('counts MACs within 1% of torch_flops / 2', () => {
        let macs = 0;
        for (const node of analysis.shapes.order) if (MAC_OPS.has(node.opType)) macs += analysis.costs.get(node.name)?.macs ?? 0;
        const ratio = (2 * macs) / ref.torch_flops;
        assert.ok(Math.abs(ratio - 1) < 0.01, `2·MACs / torch_flops = ${ratio.toFixed(4)}`);
      });

      it('names nodes as ONNX Runtime does and keeps the file order', () => {
        assert.deepEqual(analysis.shapes.order.map((n) => n.name), ref.node_list.map((n) => n.name));
      });

      it('puts every non-constant node in exactly one layer of an acyclic layer DAG', () => {
        const seen = new Map<string, number>();
        for (const l of analysis.layers.layers) {
          for (const n of l.nodes) {
            assert.ok(!seen.has(n), `${n} in two layers`);
            seen.set(n, l.id);
          }
          for (const p of l.inputs) assert.ok(p < l.id, `layer ${l.id} depends on later layer ${p}`);
        }
        const skipped = analysis.shapes.order.filter((n) => !seen.has(n.name) && n.opType !== 'Constant');
        assert.deepEqual(skipped.map((n) => n.name), []);
      });
    });
  }
});
