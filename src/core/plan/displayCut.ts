import type { CutCandidate } from './cut';
import type { ModelPlan, Plan } from './plan';

/**
 * The cut to draw on a model's graph: the JPS cut used by most jobs that really splits the
 * model (not local- or cloud-only), else cloud-only if JPS sends any job up, else PO.
 */
export function displayCut(plan: Plan, modelIndex: number): { candidate: CutCandidate; uses: Map<number, number> } {
  const m = plan.models[modelIndex] as ModelPlan;
  const uses = new Map<number, number>();
  for (const j of plan.strategies.JPS.jobs) if (j.model === modelIndex) uses.set(j.candidate, (uses.get(j.candidate) ?? 0) + 1);
  const ranked = [...uses].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  const pick = ranked.find((c) => c !== m.lo && c !== m.co) ?? ranked.find((c) => c === m.co) ?? m.po;
  return { candidate: m.candidates[pick] as CutCandidate, uses };
}
