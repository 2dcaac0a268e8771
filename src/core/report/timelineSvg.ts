import { STAGES } from '../plan/flowShop';
import type { Plan, StrategyName } from '../plan/plan';
import { fmtMs } from '../format';
import { escapeHtml } from './escape';

/** Device / uplink / server / downlink lanes with one bar per job stage. */
export function timelineSvg(plan: Plan, strategy: StrategyName, width = 900): string {
  const s = plan.strategies[strategy];
  const lane = 26;
  const left = 80;
  const scale = (width - left - 10) / Math.max(s.makespanMs, 1e-9);
  const bars: string[] = [];
  s.jobs.forEach((job, j) => {
    job.stages.forEach((span, m) => {
      if (!span) return;
      const x = left + span[0] * scale;
      const w = Math.max(1, (span[1] - span[0]) * scale);
      const hue = (j * 47) % 360;
      const tip = `job ${j} ${STAGES[m]}: ${fmtMs(span[0])}–${fmtMs(span[1])} ms (${plan.models[job.model]?.name ?? ''}, cut ${job.candidate})`;
      bars.push(`<rect x="${x.toFixed(1)}" y="${8 + m * lane}" width="${w.toFixed(1)}" height="${lane - 6}" fill="hsl(${hue} 60% 55%)"><title>${escapeHtml(tip)}</title></rect>`);
    });
  });
  const labels = STAGES.map((st, m) => `<text x="4" y="${24 + m * lane}" class="lane">${st}</text>`);
  const height = 16 + STAGES.length * lane;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 14}">${labels.join('')}${bars.join('')}<text x="${left}" y="${height + 10}" class="axis">0</text><text x="${width - 10}" y="${height + 10}" text-anchor="end" class="axis">${fmtMs(s.makespanMs)} ms</text></svg>`;
}
