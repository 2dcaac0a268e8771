// Step 4 measurements on the testbed (root only), bundled by bench/deviceAccuracy.mjs.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../src/cli/main';
import { fitPredictor, predictLayer } from '../src/core/predictor/fitPredictor';
import { profileSamples } from '../src/core/predictor/profileSamples';
import type { DeviceProfileJson } from '../src/node/profile/profileDevice';
import { startTestbed, testbedRequirement } from '../test/testbed/testbed';

export interface ModelInput {
  readonly file: string;
  readonly dims: readonly string[];
}

export function requirement(): { ok: boolean; why?: string } {
  return testbedRequirement();
}

async function cli(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const code = await runCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, err, out };
}

export async function measure(models: readonly ModelInput[], log: (l: string) => void) {
  const tb = await startTestbed({ upMbps: 10, downMbps: 40, delayMs: 20, deviceCpu: 1 });
  // Profiles are kept under bench/.work/ so the predictor can be studied without re-measuring.
  const work = path.join(__dirname, '.work', 'device-profiles');
  mkdirSync(work, { recursive: true });
  const ssh = ['--identity', tb.identityFile, '--known-hosts', tb.knownHostsFile];
  const device = `${tb.user}@${tb.device.host}:${tb.device.port}`;
  try {
    const profiles: { model: string; profile: DeviceProfileJson; seconds: number }[] = [];
    for (const m of models) {
      const out = path.join(work, `${path.basename(m.file)}.profile.json`);
      const t0 = Date.now();
      const dims = m.dims.flatMap((d) => ['--dim', d]);
      const r = await cli(['profile', m.file, '--host', device, ...ssh, ...dims, '--threads', '1', '--runs', '10', '--warmup', '3', '--load', '0,1,2', '--out', out]);
      if (r.code !== 0) throw new Error(`profile ${m.file}: ${r.err}`);
      profiles.push({ model: path.basename(m.file), profile: JSON.parse(readFileSync(out, 'utf8')) as DeviceProfileJson, seconds: (Date.now() - t0) / 1000 });
      log(`profiled ${path.basename(m.file)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    const netOut = path.join(work, 'net.json');
    const net = await cli(['netprobe', '--device', device, '--server', `${tb.user}@${tb.server.host}:${tb.server.port}`, '--server-address', tb.server.peerAddressFromOther, ...ssh, '--out', netOut]);
    if (net.code !== 0) throw new Error(`netprobe: ${net.err}`);
    return { profiles, net: JSON.parse(readFileSync(netOut, 'utf8')) as { upMbps: number; downMbps: number; rttMs: number }, shaping: { upMbps: 10, downMbps: 40, rttMs: 20 } };
  } finally {
    await tb.stop();
  }
}

/** Leave-one-model-out: fit on the others, predict the left-out model's idle whole-model time. */
export function accuracy(profiles: readonly { model: string; profile: DeviceProfileJson }[]) {
  const all = profiles.flatMap((p) => profileSamples(p.profile));
  const idle = profiles.map((p) => p.profile.loads[0]).filter((l) => l !== undefined);
  const baseline = { busyThreads: 0, cpuUtilisation: idle.reduce((s, l) => s + l.cpuUtilisation, 0) / idle.length, freeMemoryGB: idle.reduce((s, l) => s + l.freeMemoryBytes, 0) / idle.length / 1e9 };
  const { report } = fitPredictor('bench', all, baseline);
  const lomo = profiles.map(({ model, profile }) => {
    const { predictor } = fitPredictor('bench', all.filter((s) => s.model !== model), baseline);
    const run = profile.loads[0];
    const predicted = (run?.layers ?? []).reduce((s, l) => s + predictLayer(predictor, profile.layerFeatures[l.id] as never, { busyThreads: 0, cpuUtilisation: run?.cpuUtilisation ?? 0, freeMemoryGB: (run?.freeMemoryBytes ?? 0) / 1e9 }), 0);
    const measured = run?.wholeModelMs.median ?? 0;
    const layerSum = (run?.layers ?? []).reduce((s, l) => s + l.ms, 0);
    return { model, measured, layerSum, predicted, errorPct: (100 * (predicted - measured)) / measured };
  });
  return { perClass: report.perClass, lomo };
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
      .then((m) => process.stdout.write(JSON.stringify({ ...m, accuracy: accuracy(m.profiles) })))
      .catch((e: unknown) => {
        process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      });
  }
}
