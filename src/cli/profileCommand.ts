import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../core/analysis';
import { kernelGrid } from '../core/predictor/kernelGrid';
import { layerTimes, ortNodeTimes, type OrtTraceEvent } from '../core/profiles/ortProfile';
import { loadModelFile } from '../node/modelFile';
import { packageRoot } from '../node/packageRoot';
import { profileDevice } from '../node/profile/profileDevice';
import { checkKnown, parseArgs, parseDims, UsageError } from './args';
import type { Output } from './output';
import { sshArgs } from './sshArgs';
import { PROFILE_USAGE } from './usage';

const VALUED = new Set(['host', 'identity', 'known-hosts', 'threads', 'runs', 'warmup', 'min-seconds', 'load', 'dim', 'out', 'from-ort-profile']);

export async function profileCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, VALUED);
  checkKnown(args, ['accept-new-host-key', 'kernel-grid'], 'profile');
  const opt = (k: string): string | undefined => args.options.get(k)?.at(-1);
  const grid = args.flags.has('kernel-grid');
  const [given, ...extra] = args.positional;
  const outFile = opt('out');
  if ((grid ? given !== undefined : !given) || extra.length || !outFile) throw new UsageError(`usage: ${PROFILE_USAGE}`);
  const file = given ?? writeKernelGrid();
  const loaded = await loadModelFile(file);
  const analysis = analyzeModel(loaded.model, { dims: parseDims(args.options.get('dim') ?? []) });
  const ortProfile = opt('from-ort-profile');
  if (ortProfile) {
    const profile = importOrtProfile(ortProfile, analysis.layers.layers, path.basename(file));
    writeFileSync(outFile, JSON.stringify(profile, null, 2));
    out.stderr(`imported ${ortProfile}: ${profile.layers.length} layers, ${profile.unmatched.length} without a matching node; wrote ${outFile}\n`);
    return 0;
  }
  const host = opt('host');
  if (!host) throw new UsageError(`--host is required (or --from-ort-profile): usage: ${PROFILE_USAGE}`);
  const num = (k: string, fallback: number, min: number): number => {
    const v = Number(opt(k) ?? fallback);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${k} must be a whole number ≥ ${min}`);
    return v;
  };
  const minSeconds = opt('min-seconds') === undefined ? undefined : Number(opt('min-seconds'));
  if (minSeconds !== undefined && !(Number.isFinite(minSeconds) && minSeconds >= 0)) throw new UsageError('--min-seconds takes a number of seconds ≥ 0 (e.g. 2)');
  const loads = (opt('load') ?? '0').split(',').map((s) => Number(s.trim()));
  if (loads.some((l) => !Number.isInteger(l) || l < 0 || l > 64)) throw new UsageError('--load takes busy-thread counts such as 0,1,2');
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const profile = await profileDevice(loaded, analysis, {
      host,
      ...sshArgs(args),
      threads: opt('threads') ? num('threads', 0, 1) : undefined,
      runs: num('runs', 20, 1),
      warmup: num('warmup', 3, 0),
      minSeconds,
      loads,
      extensionRoot: packageRoot(),
      progress: (m, f) => out.stderr(`${f === undefined ? '' : `[${Math.round(f * 100)}%] `}${m}\n`),
      signal: abort.signal,
      log: (l) => out.stderr(`${l}\n`),
    });
    writeFileSync(outFile, JSON.stringify(profile, null, 2));
    if (grid) {
      out.stdout(`${profile.name}: ${profile.layerCount} sampled kernels timed on ${profile.description}\nwrote ${outFile} (use: edgecut fit ${outFile} OTHER.profile.json… --out device.predictor.json)\n`);
      return 0;
    }
    out.stdout(`${profile.name}: ${profile.model} takes ${profile.wholeModelMs.median.toFixed(1)} ms (p90 ${profile.wholeModelMs.p90.toFixed(1)}) on ${profile.description}\nwrote ${outFile} (use: edgecut plan ${file} --device ${outFile})\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    if (grid) rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** `--kernel-grid`: the sampled single-kernel model, written to a temporary folder. */
function writeKernelGrid(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'edgecut-grid-')), 'kernel-grid.onnx');
  writeFileSync(file, kernelGrid().model);
  return file;
}

/** `--from-ort-profile`: a profile the user recorded with ONNX Runtime (graph optimisation disabled). */
function importOrtProfile(file: string, layers: readonly { id: number; nodes: readonly string[] }[], model: string) {
  let events: OrtTraceEvent[];
  try {
    events = JSON.parse(readFileSync(file, 'utf8')) as OrtTraceEvent[];
  } catch (e) {
    throw new UsageError(`${file} is not an ONNX Runtime profile (Chrome trace JSON): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(events)) throw new UsageError(`${file} is not an ONNX Runtime profile: expected a JSON array of trace events`);
  const times = layerTimes(layers, ortNodeTimes(events));
  if (times.unmatched.length === layers.length) {
    throw new UsageError(`${file} has no node of this model: record it with graphOptimizationLevel 'disabled' so nodes keep their names`);
  }
  return { kind: 'measured' as const, name: path.basename(file), description: `imported from ONNX Runtime profile ${path.basename(file)}`, model, layerCount: layers.length, layers: times.layers, unmatched: times.unmatched };
}
