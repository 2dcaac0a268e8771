import { latencyOf } from '../plan/cut';
import { displayCut } from '../plan/displayCut';
import { serializationMs } from '../plan/network';
import type { Plan } from '../plan/plan';
import type { PlanSettings, PlanView, StrategyKey, TimelineJob } from '../../protocol';
import { stageSpan } from './runView';

/** One model's plan as the webview overlays it (the first model of the plan). */
export function planView(plan: Plan, settings: PlanSettings, version: number): PlanView {
  const m = plan.models[0];
  if (!m) throw new Error('plan without a model');
  const { candidate: shown, uses } = displayCut(plan, 0);
  const head = [...shown.head].sort((a, b) => a - b);
  const bytes = new Map(m.graph.tensors.map((t) => [t.name, t.bytes]));
  const timeline = (name: StrategyKey): TimelineJob[] =>
    plan.strategies[name].jobs.map((j, job) => ({
      job,
      candidate: j.candidate,
      stages: j.stages.map(stageSpan),
    }));
  const lo = plan.strategies.LO.makespanMs;
  const strategy = (name: StrategyKey) => ({
    makespanMs: plan.strategies[name].makespanMs,
    reductionVsLO: lo > 0 ? 1 - plan.strategies[name].makespanMs / lo : 0,
  });
  return {
    version,
    settings,
    link: { upMbps: plan.link.upMbps, downMbps: plan.link.downMbps, rttMs: plan.link.rttMs },
    deviceMs: m.graph.layers.map((l) => l.deviceMs),
    serverMs: m.graph.layers.map((l) => l.serverMs),
    measuredMs: plan.device.kind === 'measured' ? m.graph.layers.map((l) => l.deviceMs) : undefined,
    head,
    cutEdges: shown.cutTensors.map((t) => ({ tensor: t, bytes: bytes.get(t) ?? 0, uplinkMs: serializationMs(bytes.get(t) ?? 0, plan.link.upMbps) })),
    strategies: { LO: strategy('LO'), CO: strategy('CO'), PO: strategy('PO'), JPS: strategy('JPS') },
    timeline: { LO: timeline('LO'), CO: timeline('CO'), PO: timeline('PO'), JPS: timeline('JPS') },
    cuts: [...uses].map(([candidate, jobs]) => {
      const c = m.candidates[candidate];
      const label = candidate === m.lo ? 'local only' : candidate === m.co ? 'cloud only' : `${c?.head.size ?? 0} of ${m.graph.layers.length} layers on device`;
      return { candidate, jobs, label, latencyMs: c ? latencyOf(c) : 0 };
    }),
    method: plan.jpsMethod,
  };
}
