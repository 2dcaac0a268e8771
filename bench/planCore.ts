// Step 2 measurements, bundled by bench/planQuality.mjs with esbuild and run in-process.
import { readFileSync } from 'node:fs';
import { analyzeModel, type ModelAnalysis } from '../src/core/analysis';
import { decodeModel } from '../src/core/onnx/decode';
import { exactSchedule } from '../src/core/plan/exactSchedule';
import { planJobs, searchSchedule } from '../src/core/plan/jps';
import { planOffloading } from '../src/core/plan/plan';
import { BUILTIN_DEVICES, BUILTIN_NETWORKS, BUILTIN_SERVERS } from '../src/core/profiles/builtins';

export function analyze(file: string, dims: Record<string, number> = {}): ModelAnalysis {
  return analyzeModel(decodeModel(readFileSync(file)), { dims });
}

function plan(a: ModelAnalysis, jobs: number, network: string, server: string) {
  return planOffloading({
    models: [{ name: 'm', analysis: a, jobs }],
    device: BUILTIN_DEVICES.rpi4 as never,
    server: BUILTIN_SERVERS[server] as never,
    link: BUILTIN_NETWORKS[network] as never,
  });
}

/** JPS (as planned, and its search alone) against the exact optimum over the same candidates. */
export function quality(a: ModelAnalysis, jobs: number, network: string, server: string) {
  const p = plan(a, jobs, network, server);
  const m = p.models[0];
  if (!m) throw new Error('no model');
  const classes = [{ model: 'm', count: jobs, candidates: m.candidates }];
  const exact = exactSchedule(classes, 3_000_000);
  return {
    candidates: m.candidates.length,
    jps: planJobs(classes).makespan,
    search: searchSchedule(classes).makespan,
    exact: exact?.makespan,
    lo: p.strategies.LO.makespanMs,
    po: p.strategies.PO.makespanMs,
  };
}

/** Latency reduction of PO and JPS relative to LO (the JPS paper's table form). */
export function reductions(a: ModelAnalysis, jobs: number, network: string, server: string) {
  const p = plan(a, jobs, network, server);
  const lo = p.strategies.LO.makespanMs;
  return { po: 100 * (1 - p.strategies.PO.makespanMs / lo), jps: 100 * (1 - p.strategies.JPS.makespanMs / lo), lo };
}

/** Median wall time of planOffloading (profiles, candidates, JPS, baselines) after warm-up. */
export function planTime(a: ModelAnalysis, jobs: number, network: string, server: string, runs = 15) {
  for (let i = 0; i < 3; i++) plan(a, jobs, network, server);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    plan(a, jobs, network, server);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return { median: times[Math.floor(runs / 2)] as number, max: times[runs - 1] as number, nodes: a.shapes.order.length, layers: a.layers.layers.length };
}
