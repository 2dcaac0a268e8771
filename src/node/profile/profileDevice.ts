import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelAnalysis } from '../../core/analysis';
import { dataTypeName } from '../../core/onnx/dataType';
import { externalReferences } from '../../core/onnx/externalData';
import { withSyntheticWeights } from '../../core/onnx/syntheticWeights';
import { KERNEL_GRID_PRODUCER } from '../../core/predictor/kernelGrid';
import { layerFeatures, type LayerFeatures } from '../../core/predictor/features';
import { CALIBRATION_INPUT, calibrationChainModel, profilerNodeMs, type CalibrationRun } from '../../core/predictor/profilerCalibration';
import { layerTimes, median, percentile } from '../../core/profiles/ortProfile';
import type { AgentEvent, AgentInput, DeviceFacts, LoadRun } from '../agent/agentProtocol';
import type { LoadedModel } from '../modelFile';
import { SshError } from '../ssh/sshError';
import { SshSession, type SessionOptions } from '../ssh/sshSession';
import { resolveTarget, type TargetOptions } from '../ssh/sshTarget';
import { transferProgress } from '../ssh/transferProgress';
import { MIN_TIMING_SECONDS } from '../../core/profiles/timingWindow';
import { provisionAgent, q } from './provision';

export interface ProfileOptions extends SessionOptions, TargetOptions {
  readonly host: string;
  readonly threads?: number;
  readonly runs: number;
  readonly warmup: number;
  /** Keep timing each load level until this much time has passed (default 2 s; RUNS is the minimum). */
  readonly minSeconds?: number;
  readonly loads: readonly number[];
  readonly extensionRoot: string;
  readonly progress: (message: string, fraction?: number) => void;
  readonly signal?: AbortSignal;
}

/** A measured device profile (`edgecut profile --out`), usable as `plan --device FILE`. */
export interface DeviceProfileJson {
  readonly kind: 'measured';
  readonly name: string;
  readonly description: string;
  readonly model: string;
  /** A kernel grid (`profile --kernel-grid`): training samples for `fit`, not a network to plan. */
  readonly kernelGrid?: true;
  readonly layerCount: number;
  readonly layers: readonly { id: number; ms: number; p90: number }[];
  /** Static features per layer, so `edgecut fit` needs only profiles. */
  readonly layerFeatures: readonly LayerFeatures[];
  readonly wholeModelMs: { readonly median: number; readonly p90: number };
  readonly facts: DeviceFacts;
  readonly threads: number;
  readonly runs: number;
  readonly warmup: number;
  /**
   * ONNX Runtime's profiler bookkeeping per node on this device (profilerCalibration.ts): `fit`
   * and `plan` take it out of the layer times. Absent in profiles from before agent v6.
   */
  readonly profilerNodeMs?: number;
  /** Bytes of the model's outputs, which every session hands back (core/predictor/outputCost.ts). */
  readonly outputBytes?: number;
  readonly loads: readonly {
    load: number;
    cpuUtilisation: number;
    freeMemoryBytes: number;
    wholeModelMs: { median: number; p90: number };
    layers: readonly { id: number; ms: number; p90: number }[];
  }[];
}

/**
 * Profiles every layer of a model on a device over SSH: provision the agent, upload the model
 * (graph-only models get synthetic weights), run ONNX Runtime's per-node profiler, map nodes to
 * layers. The device's work folder is removed afterwards, whatever happens.
 */
export async function profileDevice(loaded: LoadedModel, analysis: ModelAnalysis, o: ProfileOptions): Promise<DeviceProfileJson> {
  const target = resolveTarget(o.host, o);
  o.progress(`connecting to ${target.user}@${target.hostname}:${target.port}`, 0);
  const ssh = await SshSession.open(target, o);
  const local = mkdtempSync(path.join(os.tmpdir(), 'edgecut-profile-'));
  let work: string | undefined;
  try {
    const agent = await provisionAgent(ssh, o.extensionRoot, (l) => o.progress(l, 0.05), o.signal);
    work = `${path.posix.dirname(agent.dir)}/work-${process.pid}-${Date.now()}`;
    const modelFile = path.join(local, 'model.onnx');
    writeFileSync(modelFile, modelBytes(loaded));
    const chainFile = path.join(local, 'calibration.onnx');
    writeFileSync(chainFile, calibrationChainModel());
    o.progress(`uploading ${path.basename(loaded.path)}${loaded.graphOnly ? ' with synthetic weights' : ''}`, 0.1);
    await ssh.exec(`mkdir -p ${q(work)}`);
    await ssh.upload(modelFile, `${work}/model.onnx`, { signal: o.signal, progress: transferProgress(`uploading ${path.basename(loaded.path)}`, (l) => o.progress(l, 0.1)) });
    await ssh.upload(chainFile, `${work}/calibration.onnx`, { signal: o.signal });
    // Flush the upload (and a fresh agent's files) before timing: writeback competes for the CPU.
    await ssh.exec('sync');
    const result = await runAgent(ssh, agent.dir, `${work}/model.onnx`, agentInputs(analysis), o);
    return toProfile(loaded, analysis, result, o, target.spec);
  } finally {
    if (work) await ssh.exec(`rm -rf ${q(work)}`).catch(() => undefined);
    ssh.close();
    rmSync(local, { recursive: true, force: true });
  }
}

function modelBytes(loaded: LoadedModel): Uint8Array {
  const bytes = readFileSync(loaded.path);
  return externalReferences(loaded.model.graph).length > 0 ? withSyntheticWeights(bytes) : bytes;
}

/** How often the host tells the agent it is still there (the agent gives up after 10 s). */
const HEARTBEAT_MS = 2000;

const ORT_TYPES: Record<string, string> = { float32: 'float32', int64: 'int64', int32: 'int32', float16: 'float16', uint8: 'uint8', int8: 'int8', bool: 'bool', float64: 'float64' };

function agentInputs(a: ModelAnalysis): AgentInput[] {
  const g = a.model.graph;
  return g.inputs
    .filter((i) => !g.initializers.has(i.name))
    .map((i) => {
      const f = a.shapes.facts.get(i.name);
      if (!f?.shape) throw new SshError('bad-target', `input '${i.name}' has unknown dims: bind them with --dim`);
      return { name: i.name, type: ORT_TYPES[dataTypeName(f.dtype)] ?? 'float32', dims: f.shape };
    });
}

interface AgentResult {
  readonly facts: DeviceFacts;
  readonly runs: readonly LoadRun[];
  readonly calibration?: CalibrationRun;
}

async function runAgent(ssh: SshSession, dir: string, model: string, inputs: AgentInput[], o: ProfileOptions): Promise<AgentResult> {
  const threads = o.threads ?? 0;
  const cmd = [
    `cd ${q(dir)} &&`,
    'ORT_DISABLE_TELEMETRY=1 exec node edgecut-agent.js profile',
    `--model ${q(model)} --inputs ${q(JSON.stringify(inputs))}`,
    threads ? `--threads ${threads}` : '',
    `--runs ${o.runs} --warmup ${o.warmup} --min-ms ${Math.round(1000 * (o.minSeconds ?? MIN_TIMING_SECONDS))} --load ${q(o.loads.join(','))}`,
    `--calibration ${q(JSON.stringify({ model: `${path.posix.dirname(model)}/calibration.onnx`, inputs: [CALIBRATION_INPUT] }))}`,
  ].join(' ');
  let result: AgentResult | undefined;
  let error: string | undefined;
  let pending = '';
  const r = await ssh.exec(
    cmd,
    (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const e = parseEvent(line);
        if (e?.event === 'progress') o.progress(`load ${e.load}: run ${e.run}/${e.of}`, 0.15 + (0.85 * (Math.max(0, o.loads.indexOf(e.load)) + Math.min(1, e.run / e.of))) / o.loads.length);
        else if (e?.event === 'result') result = { facts: e.facts, runs: e.runs, ...(e.calibration ? { calibration: e.calibration } : {}) };
        else if (e?.event === 'error') error = e.message;
      }
    },
    o.signal,
    HEARTBEAT_MS,
  );
  if (error) throw new SshError('remote-command', `the agent on ${ssh.target.spec} failed: ${error}`);
  if (!result) throw new SshError('remote-command', `the agent on ${ssh.target.spec} exited with ${r.code} and no result: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return result;
}

function parseEvent(line: string): AgentEvent | undefined {
  try {
    return JSON.parse(line) as AgentEvent;
  } catch {
    return undefined;
  }
}

function toProfile(loaded: LoadedModel, a: ModelAnalysis, r: AgentResult, o: ProfileOptions, spec: string): DeviceProfileJson {
  const layers = a.layers.layers;
  const loads = r.runs.map((run) => ({
    load: run.load,
    cpuUtilisation: run.cpuUtilisation,
    freeMemoryBytes: run.freeMemoryBytes,
    wholeModelMs: { median: median(run.wholeMs), p90: percentile(run.wholeMs, 90) },
    layers: layerTimes(layers, run.nodeUs).layers,
  }));
  const base = loads[0];
  if (!base) throw new SshError('remote-command', 'the agent returned no runs');
  const bookkeeping = r.calibration ? profilerNodeMs(r.calibration) : undefined;
  return {
    kind: 'measured',
    name: spec,
    description: `${r.facts.cpuModel} (${r.facts.cores} cores, ${r.facts.arch}), ONNX Runtime ${r.facts.ort}, measured ${new Date().toISOString()}`,
    model: path.basename(loaded.path),
    ...(loaded.model.producer === KERNEL_GRID_PRODUCER ? { kernelGrid: true as const } : {}),
    layerCount: layers.length,
    layers: base.layers,
    layerFeatures: layerFeatures(a),
    wholeModelMs: base.wholeModelMs,
    facts: r.facts,
    threads: o.threads ?? r.facts.cores,
    runs: o.runs,
    warmup: o.warmup,
    ...(bookkeeping === undefined ? {} : { profilerNodeMs: bookkeeping }),
    outputBytes: [...a.layers.graphOutputs.keys()].reduce((s, t) => s + (a.layers.tensorBytes.get(t) ?? 0), 0),
    loads,
  };
}
