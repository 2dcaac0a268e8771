import { latencyOf } from '../plan/cut';
import { displayCut } from '../plan/displayCut';
import { deviceSendText } from '../plan/network';
import { STRATEGY_NAMES, type Plan } from '../plan/plan';
import { fmtMs } from '../format';
import { escapeHtml } from './escape';
import { graphSvg } from './graphSvg';
import { timelineSvg } from './timelineSvg';

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.best{font-weight:600}.graph{overflow:auto;max-height:80vh;border:1px solid #ddd}
.layer rect{stroke:#333;stroke-width:.6}.device rect{fill:#cfe3f7}.server rect{fill:#fde2c8}.op{font-size:12px;font-weight:600}.shape{font-size:10px;fill:#555}
.edge{fill:none;stroke:#999;stroke-width:1}.edge.cut{stroke:#d62728;stroke-width:2.4;stroke-dasharray:6 3}.cutlabel{font-size:10px;fill:#d62728}
.lane,.axis{font-size:11px;fill:#444}.key span{display:inline-block;padding:2px 8px;margin-right:8px;border:1px solid #888}`;

/** One self-contained HTML file (no scripts, no remote resources) that opens offline. */
export function planReportHtml(plan: Plan): string {
  const lo = plan.strategies.LO.makespanMs;
  const bestName = STRATEGY_NAMES.reduce((a, b) => (plan.strategies[b].makespanMs < plan.strategies[a].makespanMs ? b : a));
  const rows = STRATEGY_NAMES.map((n) => {
    const s = plan.strategies[n];
    return `<tr class="${n === bestName ? 'best' : ''}"><td>${n}</td><td>${fmtMs(s.makespanMs)}</td><td>${(100 * (1 - s.makespanMs / lo)).toFixed(1)}%</td></tr>`;
  });
  const l = plan.link;
  const sections = plan.models.map((m, mi) => {
    const { candidate: cut, uses } = displayCut(plan, mi);
    const list = [...uses].map(([c, n]) => {
      const k = m.candidates[c];
      const what = c === m.lo ? 'local only' : c === m.co ? 'cloud only' : `${k?.head.size} of ${m.graph.layers.length} layers on the device`;
      return `<li>${n}× ${escapeHtml(what)}: ${k ? fmtMs(latencyOf(k)) : '?'} ms per job alone</li>`;
    });
    return `<h2>${escapeHtml(m.name)} ×${m.jobs}</h2><ul>${list.join('')}</ul>
<p class="key"><span style="background:#cfe3f7">device</span><span style="background:#fde2c8">server</span> placement of the JPS cut most jobs use that splits the model; red dashed edges are sent up.</p>
<div class="graph">${graphSvg(m, cut.head, l)}</div>`;
  });
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>EdgeCut plan</title><style>${STYLE}</style></head><body>
<h1>EdgeCut plan: ${escapeHtml(plan.models.map((m) => `${m.name} ×${m.jobs}`).join(', '))}</h1>
<p>Device ${escapeHtml(plan.device.name)}, server ${escapeHtml(plan.server.name)}, network ${escapeHtml(l.name)} (${l.upMbps} Mbit/s up, ${l.downMbps} Mbit/s down, RTT ${l.rttMs} ms${deviceSendText(l)}). JPS method: ${escapeHtml(plan.jpsMethod)}.</p>
<h2>Strategies</h2><table><tr><th>strategy</th><th>makespan ms</th><th>reduction vs LO</th></tr>${rows.join('')}</table>
<h2>JPS pipeline</h2>${timelineSvg(plan, 'JPS')}
<h2>PO pipeline</h2>${timelineSvg(plan, 'PO')}
${sections.join('\n')}
</body></html>
`;
}
