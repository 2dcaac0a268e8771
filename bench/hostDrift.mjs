// The machine's own speed over a few minutes: one ONNX Runtime session (squeezenet, 1 thread,
// pinned to one core) runs back to back with nothing else on the machine, and each 2-s window's
// median is recorded. Every accuracy number in this file (device predictor, deployed makespans)
// sits on top of this drift: a profile and a run a minute apart see different machines.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { sharedModelsDir } from './lib/models.mjs';

export const title = 'Host speed drift (context for every accuracy number)';

/** How long to watch (EDGECUT_DRIFT_SECONDS overrides). */
const SECONDS = Number(process.env.EDGECUT_DRIFT_SECONDS ?? 180);
const WINDOW_MS = 2000;

const LOOP = `
process.env.ORT_DISABLE_TELEMETRY = '1';
const ort = require('onnxruntime-node');
(async () => {
  const [model, seconds, windowMs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const [name] = s.inputNames;
  const x = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.5), [1, 3, 224, 224]);
  for (let i = 0; i < 20; i++) await s.run({ [name]: x });
  const windows = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const t = [];
    const from = Date.now();
    while (Date.now() - from < windowMs) { const a = performance.now(); await s.run({ [name]: x }); t.push(performance.now() - a); }
    t.sort((a, b) => a - b);
    windows.push(t[t.length >> 1]);
  }
  process.stdout.write(JSON.stringify(windows));
})();
`;

export async function benchmark({ repoRoot, log }) {
  const model = path.join(sharedModelsDir(repoRoot), 'squeezenet1_1.onnx');
  if (!existsSync(model)) return `## ${title}\n\nNot measured: ${model} is missing.`;
  log(`timing squeezenet back to back for ${SECONDS} s (2-s windows, one core)`);
  const core = String(cpus().length - 1);
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', ['-c', core, process.execPath]] : [process.execPath, []];
  const env = { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules'), ORT_DISABLE_TELEMETRY: '1' };
  const out = execFileSync(pin[0], [...pin[1], '-e', LOOP, model, String(SECONDS), String(WINDOW_MS)], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  const w = JSON.parse(out);
  const sorted = [...w].sort((a, b) => a - b);
  const fastest = sorted[0];
  const median = sorted[sorted.length >> 1];
  const slowest = sorted[sorted.length - 1];
  const step = Math.max(0, ...w.slice(1).map((x, i) => Math.abs(x / w[i] - 1)));
  const slow = w.filter((x) => x > 1.1 * fastest).length;
  return [
    `## ${title}`,
    '',
    `Squeezenet with ONNX Runtime (1 thread, \`taskset -c ${core}\`) back to back for ${SECONDS} s on an otherwise idle machine; each number is one ${WINDOW_MS / 1000}-s window's median run. A profile and a deploy a minute apart can land in different steps: that is what the deploy smoke test's speed check measures, and why the device bench keeps each model's fastest of four profiling rounds.`,
    '',
    `**Window medians: fastest ${fastest.toFixed(2)} ms, median ${median.toFixed(2)} ms, slowest ${slowest.toFixed(2)} ms (${(100 * (slowest / fastest - 1)).toFixed(0)} % above the fastest); largest change between consecutive windows ${(100 * step).toFixed(0)} %; ${slow}/${w.length} windows more than 10 % slower than the fastest.**`,
    '',
    `Per window, in order (ms): ${w.map((x) => x.toFixed(1)).join(' ')}`,
  ].join('\n');
}
