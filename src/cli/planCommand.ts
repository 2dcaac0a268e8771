import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../core/analysis';
import { dimsKnownTo } from '../core/shapes/bindInputs';
import { inFlight, latencyOf } from '../core/plan/cut';
import { deviceSendText } from '../core/plan/network';
import { planOffloading, STRATEGY_NAMES, type Plan } from '../core/plan/plan';
import { planJson } from '../core/plan/planJson';
import { PlanError } from '../core/plan/planError';
import { planReportHtml } from '../core/report/planReport';
import { planTrace } from '../core/report/trace';
import { loadModelFile } from '../node/modelFile';
import { resolveNetwork, resolveProfile } from '../node/profileFiles';
import { checkKnown, parseArgs, parseDims, UsageError } from './args';
import { table } from '../core/format';
import { parseJobs } from './jobsSpec';
import type { Output } from './output';
import { PLAN_USAGE } from './usage';

const VALUED = new Set(['device', 'server', 'network', 'jobs', 'dim', 'report', 'trace']);

export async function planCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, VALUED);
  checkKnown(args, ['json'], 'plan');
  const opt = (k: string, fallback: string): string => args.options.get(k)?.at(-1) ?? fallback;
  if (args.positional.length > 1) throw new UsageError(`usage: ${PLAN_USAGE}`);
  const entries = parseJobs(args.options.get('jobs')?.at(-1), args.positional[0]);
  const device = resolveProfile('device', opt('device', 'rpi4'));
  const server = resolveProfile('server', opt('server', 'gtx1080'));
  const link = resolveNetwork(opt('network', '4g'));
  const dims = parseDims(args.options.get('dim') ?? []);
  const warnings: string[] = [];
  const models = [];
  for (const e of entries) {
    const loaded = await loadModelFile(e.file);
    const analysis = analyzeModel(loaded.model, { dims: dimsKnownTo(loaded.model.graph, dims) });
    warnings.push(...loaded.warnings, ...analysis.warnings);
    models.push({ name: path.basename(e.file), analysis, jobs: e.jobs });
  }
  const plan = planOffloading({ models, device, server, link });
  const doc = planJson(plan);
  const report = args.options.get('report')?.at(-1);
  if (report) writeFileSync(report, planReportHtml(plan));
  const trace = args.options.get('trace')?.at(-1);
  if (trace) writeFileSync(trace, JSON.stringify(planTrace(plan)));
  out.stdout(args.flags.has('json') ? JSON.stringify(doc) + '\n' : renderPlan(plan) + '\n');
  for (const w of new Set(warnings)) out.stderr(`warning: ${w}\n`);
  if (report) out.stderr(`wrote ${report}\n`);
  if (trace) out.stderr(`wrote ${trace}\n`);
  return 0;
}

export function renderPlan(plan: Plan): string {
  const l = plan.link;
  const lo = plan.strategies.LO.makespanMs;
  const head = [
    `${plan.models.map((m) => `${m.name} ×${m.jobs}`).join(', ')} on ${plan.device.name} → ${plan.server.name} over ${l.name} (${l.upMbps} Mbit/s up, ${l.downMbps} down, RTT ${l.rttMs} ms${deviceSendText(l)})`,
    '',
  ];
  const rows = STRATEGY_NAMES.map((name) => {
    const s = plan.strategies[name];
    return [name, s.makespanMs.toFixed(1), `${(100 * (1 - s.makespanMs / lo)).toFixed(1)}%`];
  });
  const strategyTable = table(['strategy', 'makespan ms', 'reduction vs LO'], rows, [false, true, true]);
  return [...head, strategyTable, '', `JPS (${plan.jpsMethod}) uses:`, ...jpsCuts(plan)].join('\n');
}

function jpsCuts(plan: Plan): string[] {
  const counts = new Map<string, number>();
  for (const j of plan.strategies.JPS.jobs) counts.set(`${j.model}:${j.candidate}`, (counts.get(`${j.model}:${j.candidate}`) ?? 0) + 1);
  return [...counts].map(([key, n]) => {
    const [mi, ci] = key.split(':').map(Number) as [number, number];
    const m = plan.models[mi];
    const c = m?.candidates[ci];
    if (!m || !c) throw new PlanError('bad-jobs', 'internal: schedule refers to an unknown candidate');
    const where =
      ci === m.lo ? 'local only' : ci === m.co ? 'cloud only' : `cut after ${c.head.size}/${m.graph.layers.length} layers, sending ${c.cutTensors.join(', ')}`;
    const { messages } = inFlight(c);
    const flight = messages ? ` + in flight ${messages}×${c.propagationMs.toFixed(1)}` : '';
    const times = `device ${c.deviceMs.toFixed(1)} + up ${c.uplinkMs.toFixed(1)} + server ${c.serverMs.toFixed(1)} + down ${c.downlinkMs.toFixed(1)}${flight} = ${latencyOf(c).toFixed(1)} ms`;
    return `  ${n}× ${m.name}: ${where} [${times}]`;
  });
}
