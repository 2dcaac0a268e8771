// Step 5: deployed makespan against the plan's across testbed rounds, and the runtime's overhead
// against the flow-shop schedule of the stage times it measured.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { signedPct } from './lib/format.mjs';
import { sharedModelsDir } from './lib/models.mjs';

export const title = 'Deployed runs against the plan (Step 5)';

const LINKS = [
  { name: 'slow link', up: 10, down: 40, delay: 20, rounds: 3 },
  { name: 'fast link', up: 100, down: 100, delay: 4, rounds: 2 },
];

export async function benchmark({ repoRoot, log }) {
  const model = path.join(sharedModelsDir(repoRoot), 'squeezenet1_1.onnx');
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const parts = [`## ${title}`, ''];
  parts.push('Squeezenet, 10 jobs, on the testbed (device: a namespace on a core of its own; server and the link\'s delay proxies: a namespace on the other core of the same 2-core VM, `separateCores()`). Each round profiles both hosts (`--runs 30`) and the link, plans, then deploys JPS and PO with `edgecut deploy`; "measured" is the median makespan of the smoke test\'s timed 10-job runs (at least five, for at least 2 s, after 1.5 s of unreported warm-up runs; the runs column gives their count and range).', '');
  parts.push('"pre-run check" is the runner\'s forecast: the warm-up runs after their first 0.5 s time device and server compute against the plan\'s stage times, i.e. their profiles (1.22 = 22 % slower than planned), and the plan\'s schedule re-timed with those two factors, the links as planned (`src/core/deploy/stageSpeed.ts`), is predicted before the timed runs start. "speed check" does the same with the timed runs themselves. This VM\'s host changes speed in steps of up to ~28 % that last minutes, with nothing running in the guest; the speed checks tell that drift apart from the plan\'s own error.', '');
  parts.push('"flow shop" replays the *measured* stage durations of the median run through the permutation flow shop in the order the jobs ran; "runtime overhead" is measured − flow shop: the waits the runtime adds beyond the schedule (stage-time prediction errors cancel out of it).', '');
  for (const link of LINKS) {
    log(`deploying squeezenet ×10 on the testbed (${link.name}), ${link.rounds} rounds`);
    const m = JSON.parse(execFileSync(process.execPath, ['--require', 'tsx/cjs', '--import', 'tsx/esm', 'bench/deployCore.ts', model, String(link.rounds), '10', String(link.up), String(link.down), String(link.delay)], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    if (m.skipped) return `## ${title}\n\nNot measured on this run: ${m.skipped} (the testbed needs root; CI runs it).`;
    const errors = m.rounds.map((r) => Math.abs(r.errorPct));
    const within = errors.filter((e) => e <= 15).length;
    const retimedErrors = m.rounds.map((r) => Math.abs(r.retimedErrorPct));
    const retimedWithin = retimedErrors.filter((e) => e <= 15).length;
    const forecastErrors = m.rounds.map((r) => Math.abs(r.forecastErrorPct));
    const forecastWithin = forecastErrors.filter((e) => e <= 15).length;
    const pairs = [...new Set(m.rounds.map((r) => r.round))].map((k) => m.rounds.filter((r) => r.round === k));
    const jpsWins = pairs.filter((p) => (p.find((r) => r.strategy === 'JPS')?.measuredMs ?? Infinity) < (p.find((r) => r.strategy === 'PO')?.measuredMs ?? 0)).length;
    const gains = pairs.map((p) => 100 * (1 - (p.find((r) => r.strategy === 'JPS')?.predictedMs ?? 0) / (p.find((r) => r.strategy === 'PO')?.predictedMs ?? 1)));
    parts.push(`### ${link.name}: ${link.up}/${link.down} Mbit/s, ${link.delay} ms RTT`, '');
    parts.push(`**Within ±15 % of the forecast made before the timed runs: ${forecastWithin}/${forecastErrors.length} runs; mean absolute error ${mean(forecastErrors).toFixed(1)} %.** Of the plan as profiled, minutes earlier: ${within}/${errors.length}, mean absolute error ${mean(errors).toFixed(1)} %. Predicted JPS gain over PO ${gains.map((g) => `${g.toFixed(0)} %`).join(', ')}; measured JPS faster than PO in ${jpsWins}/${pairs.length} rounds. Against the plan re-timed at the speeds each run measured: ${retimedWithin}/${retimedErrors.length} within ±15 %, mean absolute error ${mean(retimedErrors).toFixed(1)} %.`, '');
    const factor = (f) => (f === undefined || f === null ? '—' : f.toFixed(2));
    parts.push('| round | strategy | predicted ms | measured ms | error | pre-run check: device, server | forecast ms | error | speed check: device, server | at that speed ms | error | timed runs: n, min–max ms | flow shop ms | runtime overhead ms |', '|--:|---|--:|--:|--:|---|--:|--:|---|--:|--:|---|--:|--:|');
    for (const r of m.rounds) parts.push(`| ${r.round} | ${r.strategy} | ${r.predictedMs.toFixed(1)} | ${r.measuredMs.toFixed(1)} | ${signedPct(r.errorPct)} | ${factor(r.forecastSpeed?.device)}, ${factor(r.forecastSpeed?.server)} | ${(r.forecastMs ?? NaN).toFixed(1)} | ${signedPct(r.forecastErrorPct)} | ${factor(r.speed.device)}, ${factor(r.speed.server)} | ${r.retimedMs.toFixed(1)} | ${signedPct(r.retimedErrorPct)} | ${r.makespansMs.length}, ${Math.min(...r.makespansMs).toFixed(0)}–${Math.max(...r.makespansMs).toFixed(0)} | ${r.flowShopMs.toFixed(1)} | ${r.overheadMs.toFixed(1)} (${signedPct(r.overheadPct)}) |`);
    parts.push('');
    parts.push('Where the time goes: per stage, the mean time per job that used it, predicted by the plan → measured in the median run (jobs in brackets). On the links the plan gives the time a message holds the link (its bytes at the probed rate; its RTT/2 in flight follows, holding nothing); the runner measures an upload from when the link was free for it (its write, or the previous message\'s arrival) to its arrival at the server, and a download from the server\'s end to the response\'s arrival, so a message that did not queue shows its flight as well.', '');
    parts.push('| round | strategy | device ms | uplink ms | server ms | downlink ms |', '|--:|---|---|---|---|---|');
    const stage = (s) => (s.jobs ? `${s.predictedMs.toFixed(2)} → ${s.measuredMs.toFixed(2)} (${s.jobs})` : '—');
    for (const r of m.rounds) parts.push(`| ${r.round} | ${r.strategy} | ${stage(r.stages.device)} | ${stage(r.stages.uplink)} | ${stage(r.stages.server)} | ${stage(r.stages.downlink)} |`);
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}
