// Refits the device predictor on the profiles the last device bench kept (bench/.work/device-profiles)
// and prints its leave-one-model-out error, without the testbed or root: a few seconds per refit,
// so a change to the predictor can be studied before the 25-minute `npm run bench`.
//
//   node --require tsx/cjs --import tsx/esm bench/predictorStudy.ts [--by-class]
//
// --by-class breaks each held-out model's layer sum down by op class (measured → predicted),
// which says where a miss comes from. These are the fits of BENCHMARKS.md's Step 4 section; its
// cross-validation folds go by sample order, which differs here (models sorted by name), so an R²
// or a chosen form, and with it a prediction, can differ slightly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { accuracy, family, fastestRounds, mergeRounds, ROUNDS } from './deviceCore';
import { fitPredictor, predictLayer } from '../src/core/predictor/fitPredictor';
import { idleBaseline, profileSamples, profileSessions } from '../src/core/predictor/profileSamples';
import type { DeviceProfileJson } from '../src/node/profile/profileDevice';

const DIR = process.env.EDGECUT_PROFILES ?? path.join(__dirname, '.work', 'device-profiles');
const ROUND_FILE = /^(.+)\.(\d+)\.profile\.json$/;

type Profiles = readonly { model: string; profile: DeviceProfileJson }[];

function readRounds() {
  if (!existsSync(DIR)) throw new Error(`${DIR} is missing: run \`npm run bench -- deviceAccuracy\` (root, for the testbed) once`);
  const read = (file: string): DeviceProfileJson => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as DeviceProfileJson;
  const files = readdirSync(DIR).filter((f) => ROUND_FILE.test(f));
  const models = [...new Set(files.map((f) => ROUND_FILE.exec(f)?.[1] as string))].sort();
  const rounds = Array.from({ length: ROUNDS }, (_, r) => models.filter((m) => files.includes(`${m}.${r}.profile.json`)).map((m) => ({ model: m, profile: read(`${m}.${r}.profile.json`), seconds: 0 })));
  const grid = existsSync(path.join(DIR, 'kernel-grid.profile.json')) ? { profile: read('kernel-grid.profile.json') } : undefined;
  return { rounds, grid };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;

function report(title: string, a: ReturnType<typeof accuracy>): void {
  const within = a.lomo.filter((l) => Math.abs(l.errorPct) <= 10).length;
  const mae = a.lomo.reduce((s, l) => s + Math.abs(l.errorPct), 0) / Math.max(1, a.lomo.length);
  console.log(`\n${title}: ${within}/${a.lomo.length} within ±10 %, mean absolute error ${mae.toFixed(1)} %`);
  for (const l of a.lomo) console.log(`  ${l.model.padEnd(38)} measured ${l.measured.toFixed(2).padStart(7)} ms  layer sum ${l.layerSum.toFixed(2).padStart(7)}  predicted ${l.predicted.toFixed(2).padStart(7)}  ${pct(l.errorPct).padStart(8)}`);
  for (const c of a.perClass) console.log(`  R² ${c.opClass.padEnd(14)} ${c.form.padEnd(6)} ${c.r2.toFixed(3)}  (${c.samples} samples)`);
}

/** Per held-out model and op class: measured idle layer time against the fit without the model. */
function byClass(profiles: Profiles): void {
  const samples = profiles.flatMap((p) => profileSamples(p.profile));
  const sessions = profiles.flatMap((p) => profileSessions(p.profile));
  const baseline = idleBaseline(profiles.map((p) => p.profile));
  for (const { model, profile } of profiles) {
    const out = new Set(profiles.filter((p) => family(p.model) === family(model)).map((p) => p.profile.model));
    const fitted = fitPredictor('study', samples.filter((s) => !out.has(s.model)), baseline, sessions.filter((s) => !out.has(s.model))).predictor;
    // Per-layer profiled times, as measured: without the session model's scale and per-layer term.
    const predictor = { ...fitted, session: { scale: 1, perLayerMs: 0 } };
    const totals = new Map<string, { n: number; measured: number; predicted: number }>();
    for (const s of samples.filter((x) => x.model === profile.model && (x.load.busyThreads ?? 0) === 0)) {
      const t = totals.get(s.features.opClass) ?? { n: 0, measured: 0, predicted: 0 };
      totals.set(s.features.opClass, { n: t.n + 1, measured: t.measured + s.ms, predicted: t.predicted + predictLayer(predictor, s.features, s.load) });
    }
    console.log(`\n${model}: profiled layer times by op class`);
    for (const [c, t] of totals) console.log(`  ${c.padEnd(14)} ${String(t.n).padStart(4)} layers  measured ${t.measured.toFixed(3).padStart(8)} ms  predicted ${t.predicted.toFixed(3).padStart(8)} ms  ${pct(100 * (t.predicted / t.measured - 1)).padStart(9)}`);
  }
}

if (require.main === module) {
  const { rounds, grid } = readRounds();
  const merged = mergeRounds(rounds);
  report('rounds merged as fit merges them (each layer\'s fastest)', accuracy(merged));
  report('fastest whole round per model', accuracy(fastestRounds(rounds)));
  report('rounds merged by medians', accuracy(mergeRounds(rounds, 'median')));
  if (grid) report('merged rounds and the kernel grid', accuracy(merged, grid));
  if (process.argv.includes('--by-class')) byClass(merged);
}
