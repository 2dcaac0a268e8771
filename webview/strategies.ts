import type { PlanView, StrategyKey } from '../src/protocol';
import { clear, el } from './dom';
import { fmtMs } from '../src/core/format';

const NAMES: Record<StrategyKey, string> = {
  LO: 'Local only',
  CO: 'Cloud only',
  PO: 'Best single cut',
  JPS: 'Joint partition + schedule',
};

/** −x% is faster than local-only, +x% slower. */
function change(reductionPct: number): string {
  if (Math.abs(reductionPct) < 0.05) return 'same as LO';
  return `${reductionPct > 0 ? '−' : '+'}${Math.abs(reductionPct).toFixed(1)}%`;
}

/** LO, CO, PO and JPS makespans with the reduction against local-only; the best is marked. */
export function renderStrategies(host: HTMLElement, plan: PlanView): void {
  clear(host);
  const keys: StrategyKey[] = ['LO', 'CO', 'PO', 'JPS'];
  const best = keys.reduce((a, b) => (plan.strategies[b].makespanMs < plan.strategies[a].makespanMs ? b : a));
  for (const k of keys) {
    const s = plan.strategies[k];
    const pct = (100 * s.reductionVsLO).toFixed(1);
    host.append(
      el(
        'div',
        { class: `strategy${k === best ? ' best' : ''}`, 'data-testid': `strategy-${k}`, title: NAMES[k] },
        el('span', { class: 'strategy-name' }, k),
        el('span', { class: 'strategy-ms' }, `${s.makespanMs.toFixed(1)} ms`),
        el('span', { class: 'strategy-pct' }, k === 'LO' ? 'baseline' : change(Number(pct))),
      ),
    );
  }
  const cuts = el('div', { class: 'cuts' }, el('span', { class: 'cuts-title' }, `JPS (${plan.method}):`));
  for (const c of plan.cuts) cuts.append(el('span', { class: 'cut-chip', title: `${fmtMs(c.latencyMs)} ms for one job alone` }, `${c.jobs}× ${c.label}`));
  host.append(cuts);
}
