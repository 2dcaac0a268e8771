import { readFileSync, writeFileSync } from 'node:fs';
import { fitPredictor, sessionOutliers } from '../core/predictor/fitPredictor';
import { im2colRowsEstimated } from '../core/predictor/predictor';
import { idleBaseline, mergeRepeats, profileSamples, profileSessions } from '../core/predictor/profileSamples';
import type { DeviceProfileJson } from '../node/profile/profileDevice';
import { parseArgs, UsageError } from './args';
import { table } from '../core/format';
import type { Output } from './output';
import { FIT_USAGE } from './usage';

/** `edgecut fit`: a per-op-type latency predictor from measured profiles, with its accuracy. */
export async function fitCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set(['out', 'name', 'repeats']));
  const file = args.options.get('out')?.at(-1);
  if (!file || args.positional.length === 0) throw new UsageError(`usage: ${FIT_USAGE}`);
  const repeats = args.options.get('repeats')?.at(-1) ?? 'fastest';
  if (repeats !== 'fastest' && repeats !== 'median') throw new UsageError(`--repeats ${repeats}: use fastest (each layer's fastest profile, the default) or median`);
  const read = args.positional.map(readProfile);
  // Repeated profiles of one model count once: per layer, the fastest of them (or their median).
  const profiles = mergeRepeats(read, repeats);
  if (profiles.length < read.length) out.stdout(`${read.length} profiles of ${profiles.length} models: repeated profiles merged by each layer's ${repeats} time\n`);
  const samples = profiles.flatMap(profileSamples);
  const baseline = idleBaseline(profiles);
  const sessions = profiles.flatMap(profileSessions);
  const { predictor, report } = fitPredictor(args.options.get('name')?.at(-1) ?? `${read[0]?.name ?? 'device'} predictor`, samples, baseline, sessions);
  writeFileSync(file, JSON.stringify(predictor, null, 2) + '\n');
  const classRows = report.perClass.map((c) => [c.opClass, String(c.samples), c.form, c.r2.toFixed(3), c.r2Loaded.toFixed(3), ...(['linear', 'log', 'poly'] as const).map((f) => c.cvR2[f].toFixed(3))]);
  out.stdout(`R² per op type, 5-fold cross-validated (idle: the chosen form; under load: with its slowdown model):\n`);
  out.stdout(`${table(['op type', 'samples', 'form', 'R² idle', 'R² under load', 'linear', 'log', 'poly'], classRows, [false, true, false, true, true, true, true, true])}\n`);
  const bookkeeping = profiles.flatMap((p) => (p.profilerNodeMs === undefined ? [] : [p.profilerNodeMs]));
  if (bookkeeping.length) out.stdout(`profiler bookkeeping taken out of the layer times: ${(1000 * Math.min(...bookkeeping)).toFixed(1)}–${(1000 * Math.max(...bookkeeping)).toFixed(1)} µs per node (measured in ${bookkeeping.length} of ${profiles.length} profiles)\n`);
  const estimated = profiles.filter((p) => p.layerFeatures.some(im2colRowsEstimated));
  if (estimated.length) out.stdout(`${estimated.length} profile(s) predate im2col row counts (${estimated.map((p) => p.model).join(', ')}): their k×k convolutions' rows are estimated for square maps; profile them again for the best fit, above all models with narrow maps (OCR)\n`);
  const s = predictor.session;
  if (s) out.stdout(`session: whole model ≈ ${s.scale.toFixed(3)} × layer sum ${s.perLayerMs >= 0 ? '+' : '−'} ${Math.abs(s.perLayerMs).toFixed(3)} ms per layer${s.outputMsPerMB === undefined ? '' : ` + ${s.outputMsPerMB.toFixed(2)} ms per MB of outputs handed back`}\n`);
  for (const o of s ? sessionOutliers(sessions, s) : []) {
    out.stdout(`note: ${o.model} ran its whole model in ${o.ratio.toFixed(2)}× what the session model makes of its layers; a model like it is likely predicted ${o.ratio < 1 ? 'high' : 'low'} by about ${Math.abs(100 * (1 / o.ratio - 1)).toFixed(0)} %\n`);
  }
  if (report.leaveOneModelOut.length) {
    const rows = report.leaveOneModelOut.map((r) => [r.model, r.measuredMs.toFixed(1), r.predictedMs.toFixed(1), `${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(1)}%`]);
    out.stdout(`\nleave-one-model-out (whole model, idle device):\n${table(['model', 'measured ms', 'predicted ms', 'error'], rows, [false, true, true, true])}\n`);
  }
  out.stdout(`wrote ${file} (use: edgecut plan MODEL --device ${file})\n`);
  return 0;
}

function readProfile(file: string): DeviceProfileJson {
  let p: DeviceProfileJson;
  try {
    p = JSON.parse(readFileSync(file, 'utf8')) as DeviceProfileJson;
  } catch (e) {
    throw new UsageError(`${file}: not a profile (${e instanceof Error ? e.message : String(e)})`);
  }
  if (p.kind !== 'measured' || !Array.isArray(p.loads) || !Array.isArray(p.layerFeatures)) {
    throw new UsageError(`${file}: not a profile written by edgecut profile (needs loads and layerFeatures)`);
  }
  return p;
}
