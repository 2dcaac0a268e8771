import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEPLOY_STRATEGIES, jobMix } from '../core/bundle/manifest';
import type { PlanJson } from '../core/plan/planJson';
import type { StrategyName } from '../core/plan/plan';
import { writeBundle } from '../node/bundle/writeBundle';
import { packageRoot } from '../node/packageRoot';
import { parseArgs, parseDims, UsageError } from './args';
import type { Output } from './output';
import { BUNDLE_USAGE } from './usage';

/** The bundle options shared by `bundle` and `deploy`. */
export const BUNDLE_OPTIONS = ['plan', 'model', 'strategy', 'dim', 'device-threads', 'server-threads', 'optimization'];

/** Reads a plan and the model files it names (--model FILE, else beside the plan, else here). */
export function bundleInputs(args: ReturnType<typeof parseArgs>): { plan: PlanJson; planFile: string; modelFiles: Map<string, string>; strategy: StrategyName } {
  const opt = (k: string): string | undefined => args.options.get(k)?.at(-1);
  const planFile = opt('plan');
  if (!planFile) throw new UsageError('--plan plan.json is required (write one with edgecut plan MODEL --json > plan.json)');
  let plan: PlanJson;
  try {
    plan = JSON.parse(readFileSync(planFile, 'utf8')) as PlanJson;
  } catch (e) {
    throw new UsageError(`${planFile}: not a plan (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(plan.models) || !plan.strategies) throw new UsageError(`${planFile} is not a plan written by edgecut plan --json`);
  const strategy = (opt('strategy') ?? 'JPS').toUpperCase() as StrategyName;
  if (!DEPLOY_STRATEGIES.includes(strategy)) throw new UsageError(`--strategy ${strategy}: one of ${DEPLOY_STRATEGIES.join(', ')}`);
  const given = args.options.get('model') ?? [];
  const modelFiles = new Map<string, string>();
  for (const m of plan.models) {
    const candidates = [...given.filter((f) => path.basename(f) === m.name), path.join(path.dirname(planFile), m.name), m.name];
    const file = candidates.find((f) => existsSync(f));
    if (!file) throw new UsageError(`the plan's model ${m.name} was not found beside ${planFile} or here: pass it with --model FILE`);
    modelFiles.set(m.name, file);
  }
  return { plan, planFile, modelFiles, strategy };
}

export function runtimeOptions(args: ReturnType<typeof parseArgs>) {
  const opt = (k: string): string | undefined => args.options.get(k)?.at(-1);
  const optimization = opt('optimization') ?? 'disabled';
  if (optimization !== 'disabled' && optimization !== 'all') throw new UsageError('--optimization: disabled (as profiled) or all');
  return {
    dims: parseDims(args.options.get('dim') ?? []),
    // Unset: the threads the plan's profiles were measured with (writeBundle).
    deviceThreads: threadsOption(opt('device-threads'), '--device-threads'),
    serverThreads: threadsOption(opt('server-threads'), '--server-threads'),
    optimization: optimization as 'disabled' | 'all',
    runtimeDir: path.join(packageRoot(), 'dist', 'runtime'),
  };
}

function threadsOption(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag}: a whole number of threads (0: all cores)`);
  return n;
}

/** `edgecut bundle`: the deployable halves of a plan (device/, server/, triton/). */
export async function bundleCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set([...BUNDLE_OPTIONS, 'out']));
  const dir = args.options.get('out')?.at(-1);
  if (!dir || args.positional.length) throw new UsageError(`usage: ${BUNDLE_USAGE}`);
  const { plan, modelFiles, strategy } = bundleInputs(args);
  const m = await writeBundle({ plan, modelFiles, strategy, out: dir, ...runtimeOptions(args) });
  out.stdout(`${dir}: ${strategy}, ${m.jobs.length} job(s) (${jobMix(m.jobs)}), ${m.cuts.length} cut(s), predicted makespan ${m.predicted.makespanMs.toFixed(1)} ms\n`);
  out.stdout(`  device/  runner + heads + whole models   (node runner.js --server HOST:8000)\n  server/  KServe v2 server + tails          (node server.js --port 8000)\n  triton/  Triton model repository for the tails\n`);
  return 0;
}
