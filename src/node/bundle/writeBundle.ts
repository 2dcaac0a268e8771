import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../core/analysis';
import { jobKind, safeName, type BundleManifest, type JobKind, type ManifestTensor } from '../../core/bundle/manifest';
import type * as Ort from 'onnxruntime-node';
import { withBatchAxis } from '../../core/bundle/batchAxis';
import { tritonConfig, type TensorSpec } from '../../core/bundle/tritonConfig';
import { bundleReadmes } from '../../core/bundle/readmes';
import { dataTypeName } from '../../core/onnx/dataType';
import { PlanError } from '../../core/plan/planError';
import type { PlanJson, ScheduleEntryJson } from '../../core/plan/planJson';
import type { StrategyName } from '../../core/plan/plan';
import { splitModel, tensorTypes } from '../../core/split/splitModel';
import { inlineWeights } from '../inlineWeights';
import { loadModelFile } from '../modelFile';
import { ksDatatype } from '../serve/ortTensors';
import { batchesCorrectly } from './batchCheck';

export interface BundleOptions {
  readonly plan: PlanJson;
  /** Model name in the plan → its ONNX file. */
  readonly modelFiles: ReadonlyMap<string, string>;
  readonly out: string;
  readonly strategy?: StrategyName;
  readonly dims?: Readonly<Record<string, number>>;
  /** ONNX Runtime threads on each side; default: what the plan's profiles were measured with (else 1 and all cores). */
  readonly deviceThreads?: number;
  readonly serverThreads?: number;
  readonly optimization?: 'disabled' | 'all';
  /** Folder with runner.js and server.js (the build's dist/runtime). */
  readonly runtimeDir: string;
}

/** The order the device starts jobs in: by the first stage each one uses. */
export function plannedOrder(schedule: readonly ScheduleEntryJson[]): ScheduleEntryJson[] {
  const first = (s: ScheduleEntryJson): number => Math.min(...[s.device, s.uplink, s.server, s.downlink].filter((x) => x !== null).map((x) => (x as readonly [number, number])[0]));
  return [...schedule].sort((a, b) => first(a) - first(b) || a.job - b.job);
}

/**
 * Writes a deployable bundle for one strategy of a plan: device/ (heads, whole models, runner,
 * bundle.json, package.json), server/ (tails, embedded KServe v2 server), triton/ (a model
 * repository for the tails) and a README for each. Written to OUT.partial, then renamed, so a
 * failure leaves no half bundle.
 */
export async function writeBundle(o: BundleOptions): Promise<BundleManifest> {
  const strategy = o.strategy ?? 'JPS';
  const chosen = o.plan.strategies[strategy];
  if (!chosen) throw new PlanError('bad-plan', `the plan has no ${strategy} schedule`);
  for (const f of ['runner.js', 'server.js']) {
    if (!existsSync(path.join(o.runtimeDir, f))) throw new PlanError('bad-plan', `${path.join(o.runtimeDir, f)} is missing: run npm run build`);
  }
  const tmp = `${o.out}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const dir = { device: path.join(tmp, 'device'), server: path.join(tmp, 'server'), triton: path.join(tmp, 'triton') };
  for (const d of Object.values(dir)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dir.server, 'models'), { recursive: true });
  try {
    const order = plannedOrder(chosen.schedule);
    const models: BundleManifest['models'][number][] = [];
    const cuts: BundleManifest['cuts'][number][] = [];
    const jobs: BundleManifest['jobs'][number][] = [];
    for (const m of o.plan.models) {
      const used = order.filter((s) => s.model === m.name);
      if (used.length === 0) continue;
      const file = o.modelFiles.get(m.name);
      if (!file) throw new PlanError('bad-plan', `no file for model '${m.name}' of the plan: pass it with --model`);
      const loaded = await loadModelFile(file);
      const analysis = analyzeModel(loaded.model, { dims: o.dims ?? {} });
      const bytes = inlineWeights(loaded);
      const types = tensorTypes(analysis);
      const spec = (t: string): TensorSpec => {
        const s = types(t);
        if (!s) throw new PlanError('bad-plan', `the shape of '${t}' in ${m.name} is not known: give its dims with --dim`);
        return { name: t, ...s };
      };
      const ks = (s: TensorSpec): ManifestTensor => ({ name: s.name, datatype: ksDatatype(dataTypeName(s.dtype)), shape: s.shape });
      const key = safeName(m.name);
      const full = `models/${key}/full.onnx`;
      mkdirSync(path.join(dir.device, 'models', key), { recursive: true });
      writeFileSync(path.join(dir.device, full), bytes);
      const inputs = loaded.model.graph.inputs.filter((v) => !loaded.model.graph.initializers.has(v.name)).map((v) => v.name);
      const outputs = loaded.model.graph.outputs.map((v) => v.name);
      const kindOf = (candidate: number): JobKind => jobKind(m, candidate);
      const cutKey = (candidate: number): string => `${key}__cut-${candidate}`;
      let remote: string | undefined;
      if (used.some((s) => kindOf(s.candidate) === 'remote')) {
        remote = `${key}__full`;
        writeFileSync(path.join(dir.server, 'models', `${remote}.onnx`), bytes);
        await writeTriton(dir.triton, remote, bytes, inputs.map(spec), outputs.map(spec));
      }
      for (const id of [...new Set(used.map((s) => s.candidate))].filter((c) => kindOf(c) === 'split')) {
        const cand = m.candidates[id];
        if (!cand) throw new PlanError('bad-plan', `the plan's schedule uses candidate ${id} of ${m.name}, which it does not list`);
        const s = splitModel(bytes, cand.cutTensors, types);
        const tail = cutKey(id);
        const head = `models/${key}/cut-${id}/head.onnx`;
        mkdirSync(path.dirname(path.join(dir.device, head)), { recursive: true });
        writeFileSync(path.join(dir.device, head), s.head);
        writeFileSync(path.join(dir.server, 'models', `${tail}.onnx`), s.tail);
        await writeTriton(dir.triton, tail, s.tail, s.tailInputs.map(spec), s.tailOutputs.map(spec));
        cuts.push({ key: tail, model: m.name, candidate: id, cutTensors: cand.cutTensors, head, tail, headOutputs: s.headOutputs, tailInputs: s.tailInputs, tailOutputs: s.tailOutputs });
      }
      models.push({ name: m.name, full, ...(remote ? { remote } : {}), inputs: inputs.map((t) => ks(spec(t))), outputs });
      for (const s of used) jobs.push({ job: s.job, model: m.name, kind: kindOf(s.candidate), ...(kindOf(s.candidate) === 'split' ? { cut: cutKey(s.candidate) } : {}) });
    }
    // Jobs in the planned order across models.
    const rank = new Map(order.map((s, i) => [s.job, i]));
    jobs.sort((a, b) => (rank.get(a.job) ?? 0) - (rank.get(b.job) ?? 0));
    const manifest: BundleManifest = {
      version: 1,
      strategy,
      network: o.plan.network,
      predicted: { makespanMs: chosen.makespanMs, schedule: order },
      // As profiled: a device profiled on four threads and run on one is another device.
      runtime: { deviceThreads: o.deviceThreads ?? o.plan.threads?.device ?? 1, serverThreads: o.serverThreads ?? o.plan.threads?.server ?? 0, optimization: o.optimization ?? 'disabled' },
      models,
      cuts,
      jobs,
    };
    const json = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(path.join(dir.device, 'bundle.json'), json);
    writeFileSync(path.join(dir.server, 'bundle.json'), json);
    copyFileSync(path.join(o.runtimeDir, 'runner.js'), path.join(dir.device, 'runner.js'));
    copyFileSync(path.join(o.runtimeDir, 'server.js'), path.join(dir.server, 'server.js'));
    const ortVersion = ortPackageVersion();
    const pkg = (name: string, start: string): string =>
      `${JSON.stringify({ name, private: true, version: '1.0.0', description: `EdgeCut ${strategy} bundle`, scripts: { start }, dependencies: { 'onnxruntime-node': ortVersion } }, null, 2)}\n`;
    writeFileSync(path.join(dir.device, 'package.json'), pkg('edgecut-device', 'ORT_DISABLE_TELEMETRY=1 node runner.js'));
    writeFileSync(path.join(dir.server, 'package.json'), pkg('edgecut-server', 'ORT_DISABLE_TELEMETRY=1 node server.js'));
    const readmes = bundleReadmes(manifest);
    for (const [half, text] of Object.entries(readmes)) writeFileSync(path.join(tmp, half, 'README.md'), text);
    rmSync(o.out, { recursive: true, force: true });
    mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
    renameSync(tmp, o.out);
    return manifest;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * One Triton model folder. A tail whose tensors have a batch of 1 gets a symbolic batch axis and
 * dynamic batching when a batch of two samples, run in ONNX Runtime here, gives what each gives
 * alone; otherwise (a literal 1×… reshape inside) it keeps exact shapes and no batching.
 */
async function writeTriton(root: string, name: string, model: Uint8Array, inputs: readonly TensorSpec[], outputs: readonly TensorSpec[]): Promise<boolean> {
  mkdirSync(path.join(root, name, '1'), { recursive: true });
  const batched = withBatchAxis(model);
  const ort = localOrt();
  const ok = ort !== undefined && [...inputs, ...outputs].every((t) => t.shape[0] === 1) && (await batchesCorrectly(ort, batched, inputs));
  writeFileSync(path.join(root, name, '1', 'model.onnx'), ok ? batched : model);
  writeFileSync(path.join(root, name, 'config.pbtxt'), tritonConfig(name, inputs, outputs, { fixedBatch: !ok }));
  return ok;
}

/** This machine's ONNX Runtime, if it loads here (without it the Triton configs keep exact shapes). */
function localOrt(): typeof Ort | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('onnxruntime-node') as typeof Ort;
  } catch {
    return undefined;
  }
}

function ortPackageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return `^${(require('onnxruntime-node/package.json') as { version: string }).version}`;
  } catch {
    return '*';
  }
}
