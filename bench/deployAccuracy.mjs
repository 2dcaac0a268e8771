// Step 5: deployed makespan against the plan's across testbed rounds, and the runtime's overhead
// against the flow-shop schedule of the stage times it measured.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { sharedModelsDir } from './lib/models.mjs';

export const title = 'Deployed runs against the plan (Step 5)';

const ROUNDS = 3;

export async function benchmark({ repoRoot, log }) {
  const model = path.join(sharedModelsDir(repoRoot), 'squeezenet1_1.onnx');
  log(`deploying squeezenet ×10 on the testbed, ${ROUNDS} rounds`);
  const m = JSON.parse(execFileSync(process.execPath, ['--require', 'tsx/cjs', '--import', 'tsx/esm', 'bench/deployCore.ts', model, String(ROUNDS), '10'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  if (m.skipped) return `## ${title}\n\nNot measured on this run: ${m.skipped} (the testbed needs root; CI runs it).`;
  const pct = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
  const rows = m.rounds.map((r) => `| ${r.round} | ${r.strategy} | ${r.predictedMs.toFixed(1)} | ${r.measuredMs.toFixed(1)} | ${pct(r.errorPct)} | ${r.makespansMs.map((x) => x.toFixed(0)).join(', ')} | ${r.flowShopMs.toFixed(1)} | ${r.overheadMs.toFixed(1)} (${pct(r.overheadPct)}) |`);
  const errors = m.rounds.map((r) => Math.abs(r.errorPct));
  const within = errors.filter((e) => e <= 15).length;
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return [
    `## ${title}`,
    '',
    `Squeezenet, 10 jobs, on the testbed (device: a namespace with a 1-CPU quota; server: a namespace on the same VM; 10/40 Mbit/s, 20 ms RTT). Each round profiles both hosts (\`--runs 30\`) and the link, plans, then deploys JPS and PO with \`edgecut deploy\`; "measured" is the median of the smoke test's five 10-job runs (all five listed).`,
    '',
    `**Deployed makespan within ±15 % of the prediction: ${within}/${errors.length} runs; mean absolute error ${mean(errors).toFixed(1)} %.**`,
    '',
    '"flow shop" replays the *measured* stage durations of the median run through the permutation flow shop in the order the jobs ran; "runtime overhead" is measured − flow shop: the waits the runtime adds beyond the schedule (stage-time prediction errors cancel out of it).',
    '',
    '| round | strategy | predicted ms | measured ms | error | five runs ms | flow shop ms | runtime overhead ms |',
    '|--:|---|--:|--:|--:|---|--:|--:|',
    ...rows,
  ].join('\n');
}
