// Step 4 measurements on the testbed (root only), bundled by bench/deviceAccuracy.mjs.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fitPredictor, leaveOut, sessionOutliers } from '../src/core/predictor/fitPredictor';
import { MIN_OUTPUT_BYTES } from '../src/core/predictor/outputCost';
import { idleBaseline, mergeRepeats, profileSamples, profileSessions, type RepeatMerge } from '../src/core/predictor/profileSamples';
import type { DeviceProfileJson } from '../src/node/profile/profileDevice';
import { separateCores, startTestbed, testbedRequirement } from '../test/testbed/testbed';
import { cli } from '../test/helpers/cli';

export interface ModelInput {
  readonly file: string;
  readonly dims: readonly string[];
}

/** Profiles per model, taken in rounds over all models. */
export const ROUNDS = 4;

type Round = readonly { model: string; profile: DeviceProfileJson; seconds: number }[];

const idleWholeMs = (p: DeviceProfileJson): number => p.loads.find((l) => l.load === 0)?.wholeModelMs?.median ?? Infinity;

/** One model's profiles from every round, its idle whole-model median in each, and the round where that was fastest. */
function perModel(rounds: readonly Round[]) {
  return (rounds[0] ?? []).map((first) => {
    const all = rounds.flatMap((r) => r.filter((p) => p.model === first.model).map((p) => p.profile));
    const wholeMs = all.map(idleWholeMs);
    return { first, all, wholeMs, fastest: wholeMs.indexOf(Math.min(...wholeMs)) };
  });
}

/**
 * Each model's fastest round (lowest idle whole-model median), layers and whole run together:
 * how this bench chose before `edgecut fit` merged repeats layer by layer; kept for comparison.
 * `seconds` is the first round's.
 */
export function fastestRounds(rounds: readonly Round[]) {
  return perModel(rounds).map(({ first, all, wholeMs, fastest }) => ({ model: first.model, profile: all[fastest] as DeviceProfileJson, seconds: first.seconds, wholeMs, round: fastest }));
}

/**
 * Each model's rounds merged as `edgecut fit` merges repeated profiles (mergeRepeats: by default
 * each layer's, and the whole model's, fastest round); `round` is the whole model's fastest.
 */
export function mergeRounds(rounds: readonly Round[], how: RepeatMerge = 'fastest') {
  return perModel(rounds).map(({ first, all, wholeMs, fastest }) => {
    const [merged] = mergeRepeats(all, how);
    return { model: first.model, profile: { ...first.profile, ...merged } as DeviceProfileJson, seconds: first.seconds, wholeMs, round: fastest };
  });
}

export function requirement(): { ok: boolean; why?: string } {
  return testbedRequirement();
}

export async function measure(models: readonly ModelInput[], log: (l: string) => void) {
  // One dedicated core (pinned, not a quota): busy threads then time-share it evenly instead of
  // throttling the model in bursts, which made loaded per-layer times bimodal.
  const tb = await startTestbed({ upMbps: 10, downMbps: 40, delayMs: 20, ...separateCores() });
  // Profiles are kept under bench/.work/ so the predictor can be studied without re-measuring.
  const work = path.join(__dirname, '.work', 'device-profiles');
  mkdirSync(work, { recursive: true });
  const ssh = ['--identity', tb.identityFile, '--known-hosts', tb.knownHostsFile];
  const device = `${tb.user}@${tb.device.host}:${tb.device.port}`;
  try {
    // Rounds over all models: the testbed's speed drifts over minutes (a shared VM host), so one
    // profile per model would measure the drift as much as the model.
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const profiles: Round[number][] = [];
      for (const m of models) {
        const out = path.join(work, `${path.basename(m.file)}.${round}.profile.json`);
        const t0 = Date.now();
        const dims = m.dims.flatMap((d) => ['--dim', d]);
        const r = await cli('profile', m.file, '--host', device, ...ssh, ...dims, '--threads', '1', '--runs', '10', '--warmup', '3', '--load', '0,1,2', '--out', out);
        if (r.code !== 0) throw new Error(`profile ${m.file}: ${r.err}`);
        profiles.push({ model: path.basename(m.file), profile: JSON.parse(readFileSync(out, 'utf8')) as DeviceProfileJson, seconds: (Date.now() - t0) / 1000 });
        log(`round ${round + 1}/${ROUNDS}: profiled ${path.basename(m.file)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      rounds.push(profiles);
    }
    const profiles = mergeRounds(rounds);
    const fastest = fastestRounds(rounds);
    const medians = mergeRounds(rounds, 'median');
    // nn-Meter's kernel grid: sampled single kernels, trained on by every leave-one-out fit.
    const gridOut = path.join(work, 'kernel-grid.profile.json');
    const t0 = Date.now();
    const g = await cli('profile', '--kernel-grid', '--host', device, ...ssh, '--threads', '1', '--runs', '10', '--warmup', '3', '--load', '0,1,2', '--out', gridOut);
    if (g.code !== 0) throw new Error(`profile --kernel-grid: ${g.err}`);
    const grid = { model: 'kernel grid', profile: JSON.parse(readFileSync(gridOut, 'utf8')) as DeviceProfileJson, seconds: (Date.now() - t0) / 1000 };
    log(`profiled the kernel grid (${grid.profile.layerCount} kernels) in ${grid.seconds.toFixed(1)} s`);
    const netOut = path.join(work, 'net.json');
    const net = await cli('netprobe', '--device', device, '--server', `${tb.user}@${tb.server.host}:${tb.server.port}`, '--server-address', tb.server.peerAddressFromOther, ...ssh, '--out', netOut);
    if (net.code !== 0) throw new Error(`netprobe: ${net.err}`);
    return { rounds: ROUNDS, profiles, fastest, medians, grid, net: JSON.parse(readFileSync(netOut, 'utf8')) as { upMbps: number; downMbps: number; rttMs: number }, shaping: { upMbps: 10, downMbps: 40, rttMs: 20 } };
  } finally {
    await tb.stop();
  }
}

/** Two exports of one network (resnet18 and its dynamo export) are one model for leave-one-out. */
export const family = (model: string): string => model.replace(/\.dynamo(?=\.onnx$)/, '');

/** Leave-one-model-out: fit on the others (and not on another export of the same network) and,
 *  when given, the kernel grid; predict the left-out model's idle whole-model time. */
export function accuracy(profiles: readonly { model: string; profile: DeviceProfileJson }[], grid?: { profile: DeviceProfileJson }) {
  const training = grid ? [...profiles, grid] : profiles;
  const all = training.flatMap((p) => profileSamples(p.profile));
  const sessions = profiles.flatMap((p) => profileSessions(p.profile));
  const baseline = idleBaseline(profiles.map((p) => p.profile));
  const { report, predictor } = fitPredictor('bench', all, baseline, sessions);
  const lomo = profiles.map(({ model, profile }) => {
    const siblings = profiles.map((p) => p.model).filter((m) => m !== model && family(m) === family(model));
    const r = leaveOut(model, 'bench', all, baseline, sessions, siblings);
    const layerSum = sessions.find((s) => s.model === profile.model && s.busyThreads === 0)?.layerSumMs ?? 0;
    return { model, measured: r.measuredMs, layerSum, predicted: r.predictedMs, errorPct: r.errorPct };
  });
  // The models whose outputs teach the session model their cost per MB.
  const outputsFrom = profiles.filter((p) => (p.profile.outputBytes ?? 0) >= MIN_OUTPUT_BYTES).map((p) => ({ model: p.model, bytes: p.profile.outputBytes ?? 0 }));
  // Training models whose sessions stray from the session model (what `fit` notes).
  const outliers = predictor.session ? sessionOutliers(sessions, predictor.session) : [];
  return { perClass: report.perClass, session: predictor.session, lomo, outputsFrom, outliers };
}

// Run as a script (node --require tsx/cjs --import tsx/esm bench/deviceCore.ts MODELS_JSON): the testbed spawns
// its helpers from its own folder, so this runs from source instead of a bundle.
if (require.main === module) {
  const models = JSON.parse(process.argv[2] ?? '[]') as ModelInput[];
  const req = requirement();
  if (!req.ok) {
    process.stdout.write(JSON.stringify({ skipped: req.why }));
  } else {
    measure(models, (l) => process.stderr.write(`bench: ${l}\n`))
      .then((m) => process.stdout.write(JSON.stringify({ ...m, accuracy: accuracy(m.profiles), withGrid: accuracy(m.profiles, m.grid), byMedians: accuracy(m.medians), byFastestRound: accuracy(m.fastest) })))
      .catch((e: unknown) => {
        process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      });
  }
}
