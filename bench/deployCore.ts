// Step 5 measurements on the testbed (root only), bundled by bench/deployAccuracy.mjs: the
// deployed makespan against the plan's, and the runtime's overhead against the flow shop.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runOverhead } from '../src/core/deploy/runOverhead';
import type { SmokeTest } from '../src/core/deploy/runReport';
import type { PlanJson } from '../src/core/plan/planJson';
import { separateCores, startTestbed, testbedRequirement } from '../test/testbed/testbed';
import { cli } from '../test/helpers/cli';

async function ok(argv: string[]): Promise<string> {
  const r = await cli(...argv);
  if (r.code !== 0) throw new Error(`edgecut ${argv[0]}: ${r.err}`);
  return r.out;
}

export interface DeployRound {
  readonly round: number;
  readonly strategy: string;
  readonly predictedMs: number;
  readonly measuredMs: number;
  readonly errorPct: number;
  readonly makespansMs: readonly number[];
  readonly flowShopMs: number;
  readonly overheadMs: number;
  readonly overheadPct: number;
  /** The speed check: device and server compute measured ÷ planned in the timed runs, and the plan re-timed at those speeds. */
  readonly speed: { readonly device?: number; readonly server?: number };
  readonly retimedMs: number;
  readonly retimedErrorPct: number;
  /** The pre-run speed check: the plan re-timed at the speeds the warm-up measured, before the timed runs. */
  readonly forecastSpeed: { readonly device?: number; readonly server?: number };
  readonly forecastMs: number;
  readonly forecastErrorPct: number;
  /** Per stage, the mean time per job that used it: predicted by the plan, measured in the median run. */
  readonly stages: Readonly<Record<Stage, { predictedMs: number; measuredMs: number; jobs: number }>>;
}

const STAGES = ['device', 'uplink', 'server', 'downlink'] as const;
type Stage = (typeof STAGES)[number];
type Spans = Readonly<Partial<Record<Stage, readonly [number, number] | null>>>;

/** Mean duration per job of each stage, planned against run (jobs that used the stage in both). */
export function stageTimes(planned: readonly Spans[], ran: readonly Spans[]): DeployRound['stages'] {
  const length = (s: readonly [number, number] | null | undefined): number | undefined => (s ? s[1] - s[0] : undefined);
  return Object.fromEntries(
    STAGES.map((stage) => {
      const pairs = planned.flatMap((p, job) => {
        const [a, b] = [length(p[stage]), length(ran[job]?.[stage])];
        return a !== undefined && b !== undefined ? [[a, b] as const] : [];
      });
      const mean = (i: 0 | 1): number => pairs.reduce((s, p) => s + p[i], 0) / Math.max(1, pairs.length);
      return [stage, { predictedMs: mean(0), measuredMs: mean(1), jobs: pairs.length }];
    }),
  ) as DeployRound['stages'];
}

/** `rounds` times: profile device and server, netprobe, plan `jobs` jobs, deploy JPS and PO. */
export async function measure(model: string, rounds: number, jobs: number, shaping: { upMbps: number; downMbps: number; delayMs: number }, log: (l: string) => void): Promise<DeployRound[]> {
  const repo = path.dirname(__dirname);
  if (!existsSync(path.join(repo, 'dist', 'runtime', 'runner.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: repo });
  const tb = await startTestbed({ ...shaping, ...separateCores() });
  const work = mkdtempSync(path.join(tmpdir(), 'edgecut-bench-deploy-'));
  const ssh = ['--identity', tb.identityFile, '--known-hosts', tb.knownHostsFile];
  const device = `${tb.user}@${tb.device.host}:${tb.device.port}`;
  const server = `${tb.user}@${tb.server.host}:${tb.server.port}`;
  const hosts = ['--device', device, '--server', server, ...ssh];
  const out: DeployRound[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [host, file] of [[device, 'device.json'], [server, 'server.json']] as const) {
        await ok(['profile', model, '--host', host, ...ssh, '--threads', '1', '--runs', '30', '--warmup', '5', '--out', path.join(work, file)]);
      }
      await ok(['netprobe', ...hosts, '--server-address', tb.server.peerAddressFromOther, '--out', path.join(work, 'net.json')]);
      const plan = await ok(['plan', model, '--device', path.join(work, 'device.json'), '--server', path.join(work, 'server.json'), '--network', path.join(work, 'net.json'), '--jobs', String(jobs), '--json']);
      writeFileSync(path.join(work, 'plan.json'), plan);
      for (const strategy of ['JPS', 'PO']) {
        const d = JSON.parse(await ok(['deploy', '--plan', path.join(work, 'plan.json'), '--model', model, ...hosts, '--server-address', tb.server.peerAddressFromOther, '--port', '8000', '--strategy', strategy, '--json'])) as { predictedMakespanMs: number; report: SmokeTest & { makespansMs: number[] } };
        const o = runOverhead(d.report.jobs);
        const errorPct = (100 * (d.report.makespanMs - d.predictedMakespanMs)) / d.predictedMakespanMs;
        const planned = (JSON.parse(plan) as PlanJson).strategies[strategy as 'JPS' | 'PO'].schedule;
        const stages = stageTimes(planned, planned.map((p) => d.report.jobs.find((j) => j.job === p.job) ?? {}));
        const retimedMs = d.report.retimed?.makespanMs ?? NaN;
        const retimedErrorPct = (100 * (d.report.makespanMs - retimedMs)) / retimedMs;
        const speed = { device: d.report.retimed?.speed.device, server: d.report.retimed?.speed.server };
        const forecastMs = d.report.forecast?.makespanMs ?? NaN;
        const forecastErrorPct = (100 * (d.report.makespanMs - forecastMs)) / forecastMs;
        const forecastSpeed = { device: d.report.forecast?.speed.device, server: d.report.forecast?.speed.server };
        out.push({ round, strategy, predictedMs: d.predictedMakespanMs, measuredMs: d.report.makespanMs, errorPct, makespansMs: d.report.makespansMs, flowShopMs: o.flowShopMs, overheadMs: o.overheadMs, overheadPct: o.overheadPct, speed, retimedMs, retimedErrorPct, forecastSpeed, forecastMs, forecastErrorPct, stages });
        log(`round ${round} ${strategy}: measured ${d.report.makespanMs.toFixed(1)} ms, predicted ${d.predictedMakespanMs.toFixed(1)} ms (${errorPct.toFixed(1)}%), forecast from the warm-up ${forecastMs.toFixed(1)} ms (${forecastErrorPct.toFixed(1)}%), at the measured speeds ${retimedMs.toFixed(1)} ms (${retimedErrorPct.toFixed(1)}%), runtime overhead ${o.overheadMs.toFixed(1)} ms`);
      }
    }
    await cli('undeploy', ...hosts);
    return out;
  } finally {
    await tb.stop();
  }
}

if (require.main === module) {
  const [model = '', rounds = '3', jobs = '10', up = '10', down = '40', delay = '20'] = process.argv.slice(2);
  const req = testbedRequirement();
  if (!req.ok) process.stdout.write(JSON.stringify({ skipped: req.why }));
  else
    measure(model, Number(rounds), Number(jobs), { upMbps: Number(up), downMbps: Number(down), delayMs: Number(delay) }, (l) => process.stderr.write(`bench: ${l}\n`))
      .then((rounds) => process.stdout.write(JSON.stringify({ rounds })))
      .catch((e: unknown) => {
        process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      });
}
