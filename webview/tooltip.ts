import type { LayerView, PlanView } from '../src/protocol';
import { clear, el } from './dom';
import { fmtBytes, fmtCount, fmtMs } from '../src/core/format';

/** The hover card (`[data-testid=tooltip]`): plain text rows, positioned near the pointer. */
export class Tooltip {
  readonly element = el('div', { class: 'tooltip', 'data-testid': 'tooltip', role: 'tooltip', hidden: true });

  showLayer(l: LayerView, plan: PlanView | undefined, at: { x: number; y: number }): void {
    const rows: [string, string][] = [
      ['op', l.ops.length > 1 ? `${l.op} (${l.ops.join(' + ')})` : l.op],
      ['inputs', l.inputShapes.join(', ') || '—'],
      ['output', `${l.outputShape} (${fmtBytes(l.outputBytes)})`],
      ['MACs', fmtCount(l.macs)],
      ['params', fmtCount(l.params)],
    ];
    if (plan) {
      rows.push(['device', `${fmtMs(plan.deviceMs[l.id] ?? 0)} ms ${plan.measuredMs ? 'measured' : 'predicted'}`]);
      rows.push(['server', `${fmtMs(plan.serverMs[l.id] ?? 0)} ms predicted`]);
      if (plan.measuredMs) rows.push(['measured', `${fmtMs(plan.measuredMs[l.id] ?? 0)} ms on device (median)`]);
      rows.push(['runs on', plan.head.includes(l.id) ? 'device' : 'server']);
    }
    this.show(l.name, rows, at);
  }

  showText(title: string, at: { x: number; y: number }): void {
    this.show(title, [], at);
  }

  show(title: string, rows: readonly [string, string][], at: { x: number; y: number }): void {
    clear(this.element);
    this.element.append(el('div', { class: 'tooltip-title' }, title));
    for (const [k, v] of rows) this.element.append(el('div', { class: 'tooltip-row' }, el('span', { class: 'k' }, k), el('span', { class: 'v' }, v)));
    this.element.hidden = false;
    const w = this.element.offsetWidth;
    const h = this.element.offsetHeight;
    this.element.style.left = `${Math.max(4, Math.min(at.x + 14, window.innerWidth - w - 8))}px`;
    this.element.style.top = `${Math.max(4, Math.min(at.y + 14, window.innerHeight - h - 8))}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
