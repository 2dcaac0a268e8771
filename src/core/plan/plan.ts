import type { ModelAnalysis } from '../analysis';
import { layerLatencies } from '../profiles/latency';
import { outputMs } from '../predictor/outputCost';
import { outputMsPerMBOf, type ComputeProfile } from '../profiles/types';
import { candidateCuts } from './candidates';
import { evaluateCut, latencyOf, type CutCandidate } from './cut';
import { flowShopOrder, simulate, type ScheduledJob } from './flowShop';
import { planJobs, type JobSequence } from './jps';
import { jobType, type JobClass, type JobType } from './jobTypes';
import { bestSingleCut } from './minCut';
import type { NetworkLink } from './network';
import { buildPlanGraph, type PlanGraph } from './planGraph';
import { PlanError } from './planError';

export const STRATEGY_NAMES = ['LO', 'CO', 'PO', 'JPS'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** One model to plan and how many of its jobs arrive at t = 0. */
export interface PlanModelInput {
  readonly name: string;
  readonly analysis: ModelAnalysis;
  readonly jobs: number;
}

export interface PlanRequest {
  readonly models: readonly PlanModelInput[];
  readonly device: ComputeProfile;
  readonly server: ComputeProfile;
  readonly link: NetworkLink;
}

/** What the planner derived for one model. */
export interface ModelPlan {
  readonly name: string;
  readonly jobs: number;
  readonly analysis: ModelAnalysis;
  readonly graph: PlanGraph;
  readonly candidates: readonly CutCandidate[];
  /** Indices into candidates of local-only, cloud-only and the best single-job cut. */
  readonly lo: number;
  readonly co: number;
  readonly po: number;
}

export interface ScheduledStrategy {
  readonly name: StrategyName;
  readonly makespanMs: number;
  /** Jobs in pipeline order with the model and candidate each uses. */
  readonly jobs: readonly { readonly model: number; readonly candidate: number; readonly stages: ScheduledJob['stages'] }[];
}

export interface Plan {
  readonly link: NetworkLink;
  readonly device: ComputeProfile;
  readonly server: ComputeProfile;
  readonly models: readonly ModelPlan[];
  readonly strategies: Readonly<Record<StrategyName, ScheduledStrategy>>;
  readonly jpsMethod: JobSequence['method'];
}

/** Plans every strategy (LO, CO, PO, JPS) for the requested models, device, server and link. */
export function planOffloading(req: PlanRequest): Plan {
  if (req.models.length === 0 || req.models.some((m) => !Number.isInteger(m.jobs) || m.jobs < 1)) {
    throw new PlanError('bad-jobs', 'each model needs a whole number of jobs, at least 1');
  }
  const models = req.models.map((m) => modelPlan(m, req));
  const classes: JobClass[] = models.map((m) => ({ model: m.name, count: m.jobs, candidates: m.candidates }));
  const fixed = (pick: (m: ModelPlan) => number): JobType[] =>
    models.flatMap((m, cls) => Array.from({ length: m.jobs }, () => jobType(cls, pick(m), m.candidates[pick(m)] as CutCandidate)));
  const jps = planJobs(classes);
  const strategies = {
    LO: schedule('LO', fixed((m) => m.lo)),
    CO: schedule('CO', fixed((m) => m.co)),
    PO: schedule('PO', fixed((m) => m.po)),
    JPS: schedule('JPS', [...jps.sequence], true),
  };
  if (strategies.JPS.makespanMs > strategies.PO.makespanMs) strategies.JPS = { ...strategies.PO, name: 'JPS' };
  return { link: req.link, device: req.device, server: req.server, models, strategies, jpsMethod: jps.method };
}

function modelPlan(m: PlanModelInput, req: PlanRequest): ModelPlan {
  const unknown = m.analysis.shapes.unknownNodes.size;
  if (unknown > 0) {
    throw new PlanError(
      'unknown-shapes',
      `${m.name}: ${unknown} node(s) have unknown output shapes, so transfer sizes are unknown; bind symbolic dims with --dim`,
    );
  }
  const devicePerMB = outputMsPerMBOf(req.device);
  const graph = withOutputCosts(buildPlanGraph(m.analysis.layers, layerLatencies(req.device, m.analysis), layerLatencies(req.server, m.analysis)), devicePerMB, outputMsPerMBOf(req.server));
  // A head's session hands its cut tensors back before the device sends them (outputCost.ts).
  const link: NetworkLink = devicePerMB > 0 ? { ...req.link, deviceOutputMsPerMB: devicePerMB } : req.link;
  const candidates = [...candidateCuts(graph, link)];
  const indexOf = (c: CutCandidate): number => {
    const key = [...c.head].sort((a, b) => a - b).join(',');
    const i = candidates.findIndex((x) => [...x.head].sort((a, b) => a - b).join(',') === key);
    if (i >= 0) return i;
    candidates.push(c);
    return candidates.length - 1;
  };
  const all = new Set(graph.layers.map((l) => l.id));
  const lo = indexOf(evaluateCut(graph, all, link));
  const co = indexOf(evaluateCut(graph, new Set(), link));
  const best = bestSingleCut(graph, link);
  const po = indexOf(latencyOf(best) <= latencyOf(candidates[lo] as CutCandidate) ? best : (candidates[lo] as CutCandidate));
  return { name: m.name, jobs: m.jobs, analysis: m.analysis, graph, candidates, lo, co, po };
}

/**
 * Each layer that computes a model output charged, on either side, for its session handing the
 * output back (the side's profile's outputMsPerMB, outputCost.ts).
 */
function withOutputCosts(g: PlanGraph, devicePerMB: number, serverPerMB: number): PlanGraph {
  if (devicePerMB <= 0 && serverPerMB <= 0) return g;
  const bytes = new Map<number, number>();
  for (const o of g.outputs) if (o.layer !== undefined) bytes.set(o.layer, (bytes.get(o.layer) ?? 0) + o.bytes);
  const layers = g.layers.map((l) => ({ ...l, deviceMs: l.deviceMs + outputMs(bytes.get(l.id) ?? 0, devicePerMB), serverMs: l.serverMs + outputMs(bytes.get(l.id) ?? 0, serverPerMB) }));
  return { ...g, layers };
}

/** Simulates a sequence (ordered with CDS/NEH unless it is already the JPS order). */
function schedule(name: StrategyName, mix: JobType[], keepOrder = false): ScheduledStrategy {
  const times = mix.map((t) => t.times);
  const lags = mix.map((t) => t.lags);
  const order = keepOrder ? mix.map((_, i) => i) : flowShopOrder(times, lags);
  const sim = simulate(order, times, lags);
  return {
    name,
    makespanMs: sim.makespan,
    jobs: sim.jobs.map((j) => ({ model: (mix[j.job] as JobType).cls, candidate: (mix[j.job] as JobType).candidate, stages: j.stages })),
  };
}
