import type { ComputeProfile } from '../profiles/types';
import type { CutCandidate } from './cut';
import { STAGES } from './flowShop';
import type { NetworkLink } from './network';
import type { ModelPlan, Plan, StrategyName } from './plan';

export interface CandidateJson {
  readonly id: number;
  readonly headLayers: readonly number[];
  readonly cutTensors: readonly string[];
  readonly deviceMs: number;
  /** The link's busy time for the message (bytes at the link's rate); likewise downlinkMs. */
  readonly uplinkMs: number;
  readonly serverMs: number;
  readonly downlinkMs: number;
  /** Each message's propagation delay (rttMs/2): one job alone takes the five stages' sum plus it per message. */
  readonly propagationMs: number;
}

export interface ModelPlanJson {
  readonly name: string;
  readonly jobs: number;
  readonly layers: readonly { id: number; name: string; op: string; deviceMs: number; serverMs: number; outputBytes: number }[];
  /** Bytes of every tensor that can cross the cut, and of the graph outputs. */
  readonly tensors: Readonly<Record<string, number>>;
  readonly outputs: readonly { tensor: string; layer: number | null }[];
  readonly candidates: readonly CandidateJson[];
  readonly lo: number;
  readonly co: number;
  readonly po: number;
}

export interface ScheduleEntryJson {
  readonly job: number;
  readonly model: string;
  readonly candidate: number;
  readonly device: readonly [number, number] | null;
  readonly uplink: readonly [number, number] | null;
  readonly server: readonly [number, number] | null;
  readonly downlink: readonly [number, number] | null;
}

/** The `edgecut plan --json` document (issue: Step 2, point 7). */
export interface PlanJson {
  readonly network: NetworkLink;
  readonly device: string;
  readonly server: string;
  /** ONNX Runtime threads the device and server profiles were measured with: a deployment runs with them. */
  readonly threads?: { readonly device?: number; readonly server?: number };
  /** The first (or only) model's layers and candidates; every model is in `models`. */
  readonly layers: ModelPlanJson['layers'];
  readonly candidates: readonly CandidateJson[];
  readonly models: readonly ModelPlanJson[];
  readonly strategies: Readonly<Record<StrategyName, { makespanMs: number; reductionVsLO: number; schedule: readonly ScheduleEntryJson[] }>>;
  /** The JPS plan. */
  readonly schedule: readonly ScheduleEntryJson[];
  readonly makespanMs: number;
  readonly jpsMethod: string;
}

export function candidateJson(c: CutCandidate, id: number): CandidateJson {
  return {
    id,
    headLayers: [...c.head].sort((a, b) => a - b),
    cutTensors: c.cutTensors,
    deviceMs: c.deviceMs,
    uplinkMs: c.uplinkMs,
    serverMs: c.serverMs,
    downlinkMs: c.downlinkMs,
    propagationMs: c.propagationMs,
  };
}

function modelJson(m: ModelPlan): ModelPlanJson {
  const tensors: Record<string, number> = {};
  for (const t of m.graph.tensors) tensors[t.name] = t.bytes;
  for (const o of m.graph.outputs) tensors[o.tensor] = o.bytes;
  return {
    name: m.name,
    jobs: m.jobs,
    layers: m.graph.layers.map((l) => {
      const layer = m.analysis.layers.layers[l.id];
      return { id: l.id, name: layer?.name ?? '', op: layer?.op ?? '', deviceMs: l.deviceMs, serverMs: l.serverMs, outputBytes: layer?.outputBytes ?? 0 };
    }),
    tensors,
    outputs: m.graph.outputs.map((o) => ({ tensor: o.tensor, layer: o.layer ?? null })),
    candidates: m.candidates.map(candidateJson),
    lo: m.lo,
    co: m.co,
    po: m.po,
  };
}

export function planJson(plan: Plan): PlanJson {
  const models = plan.models.map(modelJson);
  const lo = plan.strategies.LO.makespanMs;
  const strategies = {} as Record<StrategyName, PlanJson['strategies'][StrategyName]>;
  for (const [name, s] of Object.entries(plan.strategies) as [StrategyName, Plan['strategies'][StrategyName]][]) {
    const schedule = s.jobs.map((j, job): ScheduleEntryJson => {
      const stage = (i: number): readonly [number, number] | null => j.stages[i] ?? null;
      return {
        job,
        model: plan.models[j.model]?.name ?? '',
        candidate: j.candidate,
        ...(Object.fromEntries(STAGES.map((st, i) => [st, stage(i)])) as Pick<ScheduleEntryJson, 'device' | 'uplink' | 'server' | 'downlink'>),
      };
    });
    strategies[name] = { makespanMs: s.makespanMs, reductionVsLO: lo > 0 ? 1 - s.makespanMs / lo : 0, schedule };
  }
  const first = models[0] as ModelPlanJson;
  return {
    network: { ...plan.link },
    device: plan.device.name,
    server: plan.server.name,
    ...profiledThreads(plan),
    layers: first.layers,
    candidates: first.candidates,
    models,
    strategies,
    schedule: strategies.JPS.schedule,
    makespanMs: plan.strategies.JPS.makespanMs,
    jpsMethod: plan.jpsMethod,
  };
}

/** The thread counts measured profiles were taken with (nothing for built-in or predicted ones). */
function profiledThreads(plan: Plan): Pick<PlanJson, 'threads'> {
  const of = (p: ComputeProfile): number | undefined => (p.kind === 'measured' ? p.threads : undefined);
  const [device, server] = [of(plan.device), of(plan.server)];
  if (device === undefined && server === undefined) return {};
  return { threads: { ...(device === undefined ? {} : { device }), ...(server === undefined ? {} : { server }) } };
}
