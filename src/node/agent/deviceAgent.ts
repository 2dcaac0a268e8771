// The EdgeCut device agent: runs on the device (Node + onnxruntime-node), profiles a model layer
// by layer with ONNX Runtime's per-node profiler and prints JSON lines. It exits when its SSH
// session ends (stdin closes), so a dropped connection leaves nothing running.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ortNodeTimes, type OrtTraceEvent } from '../../core/profiles/ortProfile';
import { keepTiming } from '../../core/profiles/timingWindow';
import type * as Ort from 'onnxruntime-node';
import { syntheticInputs } from '../runtime/syntheticInputs';
import type { AgentEvent, AgentInput, DeviceFacts, LoadRun } from './agentProtocol';

process.env.ORT_DISABLE_TELEMETRY = '1';
// Loaded with require so the agent bundle keeps onnxruntime-node external (it ships beside it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;

const emit = (e: AgentEvent): void => void process.stdout.write(JSON.stringify(e) + '\n');

// Exit when the SSH session ends (stdin closes) or, once the host has started sending a
// heartbeat on stdin, when it stops for HEARTBEAT_TIMEOUT_MS (a dead link sshd cannot see).
const HEARTBEAT_TIMEOUT_MS = 10_000;
let lastBeat = 0;
process.stdin.on('data', () => void (lastBeat = Date.now()));
process.stdin.on('end', () => process.exit(3));
process.stdin.on('close', () => process.exit(3));
setInterval(() => {
  if (lastBeat && Date.now() - lastBeat > HEARTBEAT_TIMEOUT_MS) process.exit(4);
}, 1000).unref();

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
}

function facts(): DeviceFacts {
  const cpu = os.cpus()[0];
  let model = cpu?.model ?? '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1] ?? /^Model\s*:\s*(.+)$/m.exec(info)?.[1] ?? model;
  } catch {
    // not Linux: keep os.cpus()
  }
  return {
    cpuModel: model.trim(),
    cores: os.cpus().length,
    arch: os.arch(),
    memoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    loadAverage: os.loadavg(),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    ort: String((ort.env as { versions?: { common?: string } }).versions?.common ?? 'unknown'),
  };
}

/** Busy threads that keep `n` cores loaded (the end–edge seed's dynamic-load feature). */
function startLoad(n: number): Worker[] {
  const code = 'const end = () => {}; for (;;) { Math.sqrt(Math.random()); }';
  return Array.from({ length: n }, () => new Worker(code, { eval: true }));
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.idle + c.times.user + c.times.nice + c.times.sys + c.times.irq;
  }
  return { idle, total };
}

/**
 * One load level. Each run times a plain session (what a deployed runner sees) and then the
 * profiled one (per-node times): the profiler's own bookkeeping costs about a tenth of a small
 * model's latency, so whole-model times from the profiled session would overstate it. Running
 * them alternately puts both under the same drift of the device's speed.
 */
async function profileOnce(model: string, inputs: readonly AgentInput[], threads: number, runs: number, warmup: number, minMs: number, load: number, dir: string, tag?: string): Promise<LoadRun> {
  const name = tag ?? `prof-${load}`;
  const prefix = path.join(dir, name);
  const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', intraOpNumThreads: threads, interOpNumThreads: 1 } as const;
  const plain = await ort.InferenceSession.create(model, options);
  const profiled = await ort.InferenceSession.create(model, { ...options, enableProfiling: true, profileFilePrefix: prefix });
  const feeds = syntheticInputs(ort, inputs, 0);
  const workers = startLoad(load);
  const wholeMs: number[] = [];
  const before = cpuTimes();
  let freeMemory = 0;
  try {
    let timedFrom = 0;
    for (let r = 0; r < warmup || keepTiming(r - warmup, runs, performance.now() - timedFrom, minMs); r++) {
      if (r === warmup) timedFrom = performance.now();
      const t0 = process.hrtime.bigint();
      await plain.run(feeds);
      if (r >= warmup) wholeMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await profiled.run(feeds);
      freeMemory = os.freemem();
      if (!tag) emit({ event: 'progress', load, run: r + 1, of: Math.max(warmup + runs, r + 1) });
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const after = cpuTimes();
  profiled.endProfiling();
  await Promise.all([plain.release(), profiled.release()]);
  return { load, cpuUtilisation: 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total), freeMemoryBytes: freeMemory, wholeMs, nodeUs: nodeTimes(dir, name, warmup) };
}

/** Per-node kernel times from ORT's Chrome-trace profile, warm-up runs dropped. */
function nodeTimes(dir: string, prefix: string, warmup: number): Record<string, number[]> {
  const file = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.json'));
  if (!file) return {};
  const events = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as OrtTraceEvent[];
  rmSync(path.join(dir, file), { force: true });
  return ortNodeTimes(events, warmup);
}

async function main(): Promise<void> {
  const command = process.argv[2];
  const f = facts();
  emit({ event: 'facts', facts: f });
  if (command === 'facts') return;
  if (command !== 'profile') throw new Error(`unknown command ${command}`);
  const model = arg('model');
  const inputs = JSON.parse(arg('inputs')) as AgentInput[];
  const threads = Number(arg('threads', String(os.cpus().length)));
  const loads = arg('load', '0').split(',').map(Number);
  const runs: LoadRun[] = [];
  for (const load of loads) runs.push(await profileOnce(model, inputs, threads, Number(arg('runs', '20')), Number(arg('warmup', '3')), Number(arg('min-ms', '0')), load, path.dirname(model)));
  // The profiler calibration chain (core/predictor/profilerCalibration.ts), timed the same way, idle.
  const chain = JSON.parse(arg('calibration', 'null')) as { model: string; inputs: AgentInput[] } | null;
  const calibration = chain ? await profileOnce(chain.model, chain.inputs, threads, 60, 10, 0, 0, path.dirname(model), 'calibration') : undefined;
  emit({ event: 'result', facts: facts(), runs, ...(calibration ? { calibration: { wholeMs: calibration.wholeMs, nodeUs: calibration.nodeUs } } : {}) });
}

/** Exits once everything written to stdout has been handed to the pipe (a big result must arrive whole). */
const exitAfterFlush = (code: number): void => void process.stdout.write('', () => process.exit(code));

main().then(
  () => exitAfterFlush(0),
  (e: unknown) => {
    emit({ event: 'error', message: e instanceof Error ? e.message : String(e) });
    exitAfterFlush(1);
  },
);
