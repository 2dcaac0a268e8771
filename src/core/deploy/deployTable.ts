import { fmtDeviation, table } from '../format';
import type { SmokeTest, Span } from './runReport';
import { speedCheckLine } from './stageSpeed';

const span = (s: Span): string => (s ? `${s[0].toFixed(1)}–${s[1].toFixed(1)}` : '—');

/** Measured stage spans per job next to the plan's, and the makespans. */
export function deployTable(r: SmokeTest, predictedMakespanMs: number): string {
  const rows = r.jobs.map((j) => [String(j.job), j.ran === 'fallback' ? `fallback (${j.planned})` : j.ran, span(j.device), span(j.uplink), span(j.server), span(j.downlink), j.doneMs.toFixed(1)]);
  const err = predictedMakespanMs > 0 ? ` (${fmtDeviation(r.makespanMs, predictedMakespanMs)} vs predicted)` : '';
  const lines = [
    table(['job', 'ran', 'device ms', 'uplink ms', 'server ms', 'downlink ms', 'done ms'], rows, [true, false, true, true, true, true, true]),
    `makespan: measured ${r.makespanMs.toFixed(1)} ms${r.makespansMs && r.makespansMs.length > 1 ? ` (median of ${r.makespansMs.map((m) => m.toFixed(1)).join(', ')})` : ''}, predicted ${predictedMakespanMs.toFixed(1)} ms${err}`,
    ...(r.forecast ? [speedCheckLine(r.makespanMs, r.forecast, true)] : []),
    ...(r.retimed ? [speedCheckLine(r.makespanMs, r.retimed)] : []),
    ...(r.verified ? [`outputs: ${r.verified.jobs} job(s) checked against the whole model, largest relative difference ${r.verified.maxRelativeDifference.toExponential(1)}`] : []),
    ...r.notes,
  ];
  return `${lines.join('\n')}\n`;
}

