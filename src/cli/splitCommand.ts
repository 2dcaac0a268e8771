import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../core/analysis';
import { jobKind } from '../core/bundle/manifest';
import type { PlanJson } from '../core/plan/planJson';
import { splitModel, tensorTypes } from '../core/split/splitModel';
import { inlineWeights } from '../node/inlineWeights';
import { loadModelFile } from '../node/modelFile';
import { parseArgs, parseDims, UsageError } from './args';
import type { Output } from './output';
import { SPLIT_USAGE } from './usage';

/** `edgecut split`: head.onnx and tail.onnx for one cut, or for every cut a plan uses. */
export async function splitCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set(['cut', 'plan', 'out', 'dim']));
  const [file, ...extra] = args.positional;
  const dir = args.options.get('out')?.at(-1);
  const cutArg = args.options.get('cut')?.at(-1);
  const planArg = args.options.get('plan')?.at(-1);
  if (!file || extra.length || !dir || (!cutArg) === (!planArg)) throw new UsageError(`usage: ${SPLIT_USAGE}`);
  const loaded = await loadModelFile(file);
  const analysis = analyzeModel(loaded.model, { dims: parseDims(args.options.get('dim') ?? []) });
  const bytes = inlineWeights(loaded);
  const types = tensorTypes(analysis);
  const cuts: { name: string; tensors: string[] }[] = cutArg
    ? [{ name: '', tensors: cutArg.split(',').map((t) => t.trim()).filter(Boolean) }]
    : cutsOfPlan(planArg as string, path.basename(file));
  for (const c of cuts) {
    const target = path.join(dir, c.name);
    mkdirSync(target, { recursive: true });
    const s = splitModel(bytes, c.tensors, types);
    writeFileSync(path.join(target, 'head.onnx'), s.head);
    writeFileSync(path.join(target, 'tail.onnx'), s.tail);
    writeFileSync(path.join(target, 'split.json'), JSON.stringify({ model: path.basename(file), cut: c.tensors, headOutputs: s.headOutputs, tailInputs: s.tailInputs, tailOutputs: s.tailOutputs }, null, 2));
    out.stdout(`${path.join(target, 'head.onnx')} (${s.head.length} bytes) → ${c.tensors.join(', ')} → ${path.join(target, 'tail.onnx')} (${s.tail.length} bytes)\n`);
  }
  return 0;
}

/** The cuts a plan's JPS schedule uses for this model (local- and cloud-only need no split). */
function cutsOfPlan(file: string, model: string): { name: string; tensors: string[] }[] {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
  const m = plan.models?.find((x) => x.name === model) ?? plan.models?.[0];
  if (!m) throw new UsageError(`${file} is not a plan written by edgecut plan --json`);
  const used = new Set(plan.schedule.filter((s) => s.model === m.name).map((s) => s.candidate));
  return [...used]
    .filter((id) => jobKind(m, id) === 'split')
    .map((id) => ({ name: `cut-${id}`, tensors: [...(m.candidates[id]?.cutTensors ?? [])] }));
}
