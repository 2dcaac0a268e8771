import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel, type ModelAnalysis } from '../../src/core/analysis';
import { decodeModel } from '../../src/core/onnx/decode';
import { withSyntheticWeights } from '../../src/core/onnx/syntheticWeights';
import { buildPlanGraph } from '../../src/core/plan/planGraph';
import { evaluateCut } from '../../src/core/plan/cut';
import { splitModel, tensorTypes } from '../../src/core/split/splitModel';
import { isModelError } from '../../src/core/errors';
import { inlineWeights } from '../../src/node/inlineWeights';
import { loadModelFile } from '../../src/node/modelFile';
import { REPO_ROOT, sharedModelsDir } from '../helpers/paths';

process.env.ORT_DISABLE_TELEMETRY = '1';
const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'all' };

/** Head sets (closed under predecessors) → the tensors crossing each. */
function cutTensors(a: ModelAnalysis, head: Set<number>): string[] {
  const g = buildPlanGraph(a.layers, a.layers.layers.map(() => 1), a.layers.layers.map(() => 1));
  return [...evaluateCut(g, head, { name: "t", upMbps: 1, downMbps: 1, rttMs: 0 }).cutTensors];
}

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const s = await ort.InferenceSession.create(bytes, opts);
  try {
    const mine = Object.fromEntries(s.inputNames.map((n) => [n, feeds[n] as ort.Tensor]));
    return await s.run(mine);
  } finally {
    await s.release();
  }
}

function maxRelDiff(a: ort.Tensor, b: ort.Tensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let scale = 1e-12;
  let diff = 0;
  for (let i = 0; i < x.length; i++) {
    scale = Math.max(scale, Math.abs(y[i] as number));
    diff = Math.max(diff, Math.abs((x[i] as number) - (y[i] as number)));
  }
  return diff / scale;
}

async function checkCuts(bytes: Uint8Array, a: ModelAnalysis, heads: Set<number>[], dir: string): Promise<string[]> {
  const input = a.model.graph.inputs[0];
  const shape = a.shapes.facts.get(input?.name ?? '')?.shape as number[];
  const x = new ort.Tensor('float32', Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i) * 0.5), shape);
  const feeds = { [input?.name ?? '']: x };
  const full = await run(bytes, feeds);
  const types = tensorTypes(a);
  const files: string[] = [];
  for (const [k, head] of heads.entries()) {
    const cut = cutTensors(a, head);
    const s = splitModel(bytes, cut, types);
    const mid = await run(s.head, feeds);
    const out = await run(s.tail, { ...feeds, ...mid });
    for (const o of s.tailOutputs) assert.ok(maxRelDiff(out[o] as ort.Tensor, full[o] as ort.Tensor) <= 1e-5, `cut ${k} (${cut.join(',')}): ${o} differs`);
    for (const o of s.headOutputs) if (full[o]) assert.ok(maxRelDiff(mid[o] as ort.Tensor, full[o] as ort.Tensor) <= 1e-5);
    if (k % 7 === 0) {
      for (const [half, b] of [['head', s.head], ['tail', s.tail]] as const) {
        const f = path.join(dir, `${k}-${half}.onnx`);
        writeFileSync(f, b);
        files.push(f);
      }
    }
  }
  return files;
}

function checker(files: string[]): void {
  if (!existsSync('/usr/bin/python3') || files.length === 0) return;
  const script = 'import onnx,sys\nfor f in sys.argv[1:]:\n  onnx.checker.check_model(onnx.load(f))\nprint("ok")';
  assert.match(execFileSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8' }), /ok/);
}

describe('split: head then tail equals the full model (ONNX Runtime)', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-split-'));

  for (const name of ['squeezenet1_1', 'mobilenet_v2']) {
    it(`${name}: every layer boundary (prefix cut) of the model with its weights`, async function () {
      const shared = sharedModelsDir();
      if (!shared) this.skip();
      const loaded = await loadModelFile(path.join(shared as string, `${name}.onnx`));
      const a = analyzeModel(loaded.model);
      const all = a.layers.layers.map((l) => l.id);
      const heads = all.slice(1).map((k) => new Set(all.slice(0, k)));
      checker(await checkCuts(inlineWeights(loaded), a, heads, dir));
    });
  }

  for (const name of ['googlenet.onnx', 'resnet18.onnx']) {
    it(`${name}: random DAG cuts with synthetic weights`, async () => {
      const bytes = withSyntheticWeights(readFileSync(path.join(REPO_ROOT, 'examples', name)));
      const a = analyzeModel(decodeModel(bytes));
      let seed = 42;
      const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      const heads: Set<number>[] = [];
      for (let k = 0; k < 12; k++) {
        // A random closed head set: take each layer with probability p if all its inputs are taken.
        const p = 0.5 + 0.5 * rnd();
        const head = new Set<number>();
        for (const l of a.layers.layers) if (l.inputs.every((i) => head.has(i)) && rnd() < p) head.add(l.id);
        if (head.size > 0 && head.size < a.layers.layers.length) heads.push(head);
      }
      checker(await checkCuts(bytes, a, heads, dir));
    });
  }

  it('refuses an unknown tensor, a cut that leaves a server layer without its input, and graph-only models', async () => {
    const loaded = await loadModelFile(path.join(REPO_ROOT, 'examples', 'resnet18.onnx'));
    assert.throws(() => inlineWeights(loaded), (e: unknown) => isModelError(e) && e.reason === 'graph-only');
    const bytes = withSyntheticWeights(readFileSync(path.join(REPO_ROOT, 'examples', 'resnet18.onnx')));
    const a = analyzeModel(decodeModel(bytes));
    const types = () => undefined;
    assert.throws(() => splitModel(bytes, ['nope'], types), /no node produces/);
    // Cutting only one branch of a residual block: the Add on the server still needs the other.
    const add = a.layers.layers.find((l) => l.op === 'Add');
    const branch = a.layers.layers[(add?.inputs[1] ?? 0)];
    assert.throws(() => splitModel(bytes, [branch?.outputs[0] ?? ''], types), /not in the cut/);
  });
});
