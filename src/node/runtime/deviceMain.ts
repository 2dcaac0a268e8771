import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { BundleManifest } from '../../core/bundle/manifest';
import type { RunReport } from '../../core/deploy/runReport';
import { relativeDifference, runJobs, syntheticFeeds } from './deviceRunner';
import { keepTiming } from '../../core/profiles/timingWindow';
import { retimedMakespan, stageSpeed } from '../../core/deploy/stageSpeed';
import { optionOf } from './argv';
import { BundleSessions } from './bundleSessions';

/**
 * The device half of a bundle (`node runner.js`): runs the planned jobs against the server half
 * and prints a JSON report (per-job stage times, makespan, fallbacks). `--verify` re-runs every
 * job with the whole model on the device and reports the largest relative difference.
 *   node runner.js --server HOST:PORT [--jobs N] [--repeat R] [--min-seconds S] [--verify] [--report FILE]
 */
/** How long a repeated smoke test warms up before its timed runs. */
const WARM_UP_MS = 1500;
/** Warm-up runs started after this feed the pre-run speed check (the first ones run cold). */
const SETTLED_MS = 500;

async function main(argv: readonly string[]): Promise<number> {
  process.env.ORT_DISABLE_TELEMETRY = '1';
  const manifest = JSON.parse(readFileSync(path.join(__dirname, 'bundle.json'), 'utf8')) as BundleManifest;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof Ort;
  // Every run and the output check share the sessions: each model is loaded and warmed once.
  const sessions = new BundleSessions(ort, __dirname, manifest.runtime);
  try {
    return await smokeTest(argv, manifest, ort, sessions);
  } finally {
    await sessions.release();
  }
}

async function smokeTest(argv: readonly string[], manifest: BundleManifest, ort: typeof Ort, sessions: BundleSessions): Promise<number> {
  const arg = optionOf(argv);
  const serverArg = arg('server');
  const [host, port] = serverArg ? [serverArg.slice(0, serverArg.lastIndexOf(':')), Number(serverArg.slice(serverArg.lastIndexOf(':') + 1))] : [];
  // One N-job run lasts ~100 ms on a small model: one scheduler hiccup swings it. Repeated, the
  // run with the median makespan is reported (all makespans alongside). Unreported warm-up runs
  // come first, for at least a second: the plan predicts a warm pipeline, and in a fresh process
  // V8's background compiler and the server's first real inputs slow the first runs 20–50 %.
  const once = async (): Promise<{ report: RunReport; results: Map<number, Record<string, Ort.Tensor>> }> => {
    const results = new Map<number, Record<string, Ort.Tensor>>();
    const report = await runJobs({
      manifest,
      ort,
      sessions,
      server: host && port ? { host, port } : undefined,
      jobs: arg('jobs') ? Number(arg('jobs')) : undefined,
      onResult: (job, outputs) => results.set(job, outputs),
      log: (l) => process.stderr.write(`${l}\n`),
    });
    return { report, results };
  };
  const repeat = Math.max(1, Number(arg('repeat') ?? 1));
  const minMs = 1000 * Math.max(0, Number(arg('min-seconds') ?? 0));
  const started = Date.now();
  const settled: RunReport[] = [];
  if (repeat > 1) {
    do {
      const warm = Date.now() - started >= SETTLED_MS;
      const { report: r } = await once();
      if (warm) settled.push(r);
    } while (Date.now() - started < WARM_UP_MS);
  }
  const reports: RunReport[] = [];
  const timedFrom = Date.now();
  let last: Awaited<ReturnType<typeof once>> | undefined;
  while (keepTiming(reports.length, repeat, Date.now() - timedFrom, minMs)) {
    last = await once();
    reports.push(last.report);
  }
  const report = [...reports].sort((a, b) => a.makespanMs - b.makespanMs)[Math.floor((reports.length - 1) / 2)] as RunReport;
  const makespansMs = reports.map((r) => r.makespanMs);
  // Every run computes the same jobs: the last one's outputs are checked (keeping every run's would cost memory).
  const results = last?.results ?? new Map<number, Record<string, Ort.Tensor>>();
  let verified: { jobs: number; maxRelativeDifference: number } | undefined;
  if (argv.includes('--verify')) {
    let worst = 0;
    for (const j of report.jobs) {
      const model = manifest.models.find((x) => x.name === j.model);
      if (!model) continue;
      const whole = await sessions.get(model.full);
      const ref = await whole.run(syntheticFeeds(ort, model.inputs, j.job));
      worst = Math.max(worst, relativeDifference(results.get(j.job) ?? {}, ref));
    }
    verified = { jobs: report.jobs.length, maxRelativeDifference: worst };
  }
  // The pre-run speed check (\`forecast\`): the plan re-timed at the speeds the settled warm-up runs
  // measured, a prediction made before the timed runs start. A Pi that throttles, or a VM whose
  // host changed speed, since it was profiled is predicted as it runs today.
  const forecast = settled.length ? retimedMakespan(manifest, stageSpeed(manifest, settled), report.jobs.length) : undefined;
  // The speed check of the timed runs themselves (\`retimed\`): drift since profiling told apart
  // from the plan's own error even where the host changed speed between warm-up and run.
  const retimed = retimedMakespan(manifest, stageSpeed(manifest, reports), report.jobs.length);
  const doc = JSON.stringify({ ...report, makespansMs, verified, forecast, retimed });
  const file = arg('report');
  if (file) writeFileSync(file, doc);
  process.stdout.write(`${doc}\n`);
  return report.duplicates === 0 && report.jobs.length > 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`edgecut device runner: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
