import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BundleManifest } from '../../src/core/bundle/manifest';
import type { PlanJson } from '../../src/core/plan/planJson';
import { writeBundle } from '../../src/node/bundle/writeBundle';
import { BundleSessions } from '../../src/node/runtime/bundleSessions';
import { relativeDifference, runJobs, syntheticFeeds } from '../../src/node/runtime/deviceRunner';
import { retimedMakespan } from '../../src/core/deploy/stageSpeed';
import type { SmokeTest } from '../../src/core/deploy/runReport';
import { startModelServer, type RunningServer } from '../../src/node/serve/modelServer';
import { REPO_ROOT, requireOrSkip, sharedModelsDir } from '../helpers/paths';

const MODEL = path.join(sharedModelsDir() ?? '', 'squeezenet1_1.onnx');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

type Feeds = Record<string, ort.Tensor>;

describe('bundle and device runner (squeezenet, loopback server)', function () {
  this.timeout(180_000);
  let dir = '';
  let manifest: BundleManifest;
  let plan: PlanJson;
  let server: RunningServer | undefined;
  let sessions: BundleSessions;
  const reference = new Map<number, Feeds>();

  before(async function () {
    requireOrSkip(this, existsSync(MODEL), 'the shared squeezenet1_1.onnx', 'set EDGECUT_SHARED_DIR to the folder holding models/');
    requireOrSkip(this, existsSync(path.join(REPO_ROOT, 'dist', 'runtime', 'runner.js')), 'dist/runtime/runner.js', 'npm run build');
    dir = mkdtempSync(path.join(tmpdir(), 'edgecut-bundle-'));
    // 4G makes the planner mix local jobs with split ones: both paths get exercised.
    plan = JSON.parse(execFileSync(process.execPath, [CLI, 'plan', MODEL, '--jobs', '8', '--network', '4g', '--json'], { encoding: 'utf8' })) as PlanJson;
    manifest = await writeBundle({ plan, modelFiles: new Map([['squeezenet1_1.onnx', MODEL]]), out: path.join(dir, 'b'), runtimeDir: path.join(REPO_ROOT, 'dist', 'runtime') });
    sessions = new BundleSessions(ort, path.join(dir, 'b', 'device'), manifest.runtime);
    const whole = await ort.InferenceSession.create(path.join(dir, 'b', 'device', manifest.models[0]?.full ?? ''), { graphOptimizationLevel: 'disabled' });
    for (let job = 0; job < 8; job++) reference.set(job, (await whole.run(syntheticFeeds(ort, manifest.models[0]?.inputs ?? [], job))) as Feeds);
  });

  after(async () => {
    await sessions?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('writes device/, server/ and triton/ halves that match the plan', () => {
    const b = path.join(dir, 'b');
    const used = new Set(plan.schedule.map((s) => s.candidate));
    const m = plan.models[0];
    const splits = [...used].filter((c) => c !== m?.lo && c !== m?.co);
    assert.ok(splits.length >= 1, `the 4G plan splits some jobs (${[...used]})`);
    assert.equal(manifest.cuts.length, splits.length);
    for (const c of manifest.cuts) {
      assert.ok(existsSync(path.join(b, 'device', c.head)));
      assert.ok(existsSync(path.join(b, 'server', 'models', `${c.tail}.onnx`)));
      const config = readFileSync(path.join(b, 'triton', c.tail, 'config.pbtxt'), 'utf8');
      for (const t of c.tailInputs) assert.match(config, new RegExp(`name: "${t}"`));
      // Squeezenet's tails are batch-agnostic (GlobalAveragePool, Flatten): Triton batches them.
      assert.match(config, /max_batch_size: 8\n/);
      assert.match(config, /dynamic_batching \{/);
      assert.ok(existsSync(path.join(b, 'triton', c.tail, '1', 'model.onnx')));
    }
    for (const half of ['device', 'server', 'triton']) assert.ok(readFileSync(path.join(b, half, 'README.md'), 'utf8').length > 200);
    const pkg = JSON.parse(readFileSync(path.join(b, 'device', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: { start: string } };
    assert.ok(pkg.dependencies['onnxruntime-node']);
    assert.match(pkg.scripts.start, /ORT_DISABLE_TELEMETRY=1/);
    // Jobs in the JPS order: the device starts them in the order of the plan's schedule.
    const starts = manifest.jobs.map((j) => plan.schedule.find((s) => s.job === j.job)).map((s) => Math.min(...[s?.device, s?.uplink].filter(Boolean).map((x) => (x as [number, number])[0])));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
    // Built-in profiles record no threads: one on the device, all cores on the server.
    assert.equal(plan.threads, undefined);
    assert.deepEqual([manifest.runtime.deviceThreads, manifest.runtime.serverThreads], [1, 0]);
  });

  it('runs each half with the threads its profile was measured with, unless told otherwise', async () => {
    const profiled = { ...plan, threads: { device: 3, server: 2 } };
    const write = (out: string, o: { deviceThreads?: number } = {}) => writeBundle({ plan: profiled, modelFiles: new Map([['squeezenet1_1.onnx', MODEL]]), out: path.join(dir, out), runtimeDir: path.join(REPO_ROOT, 'dist', 'runtime'), ...o });
    const { runtime } = await write('t1');
    assert.deepEqual([runtime.deviceThreads, runtime.serverThreads], [3, 2]);
    assert.deepEqual((await write('t2', { deviceThreads: 1 })).runtime.deviceThreads, 1);
  });

  it('runs every job once, in the planned order, with outputs equal to the whole model', async () => {
    server = await startModelServer({ dir: path.join(dir, 'b', 'server'), port: 0, optimization: 'disabled' });
    const got = new Map<number, Feeds>();
    const r = await runJobs({ manifest, ort, sessions, server: { host: '127.0.0.1', port: server.port }, onResult: (j, o) => got.set(j, o) });
    assert.equal(r.jobs.length, 8);
    assert.equal(r.duplicates, 0);
    assert.deepEqual(r.notes, []);
    for (const j of r.jobs) {
      assert.equal(j.ran, j.planned, `job ${j.job} ran as planned`);
      assert.ok(relativeDifference(got.get(j.job) ?? {}, reference.get(j.job) ?? {}) <= 1e-5, `job ${j.job} equals the whole model`);
      if (j.planned === 'split') {
        // Stages in flow-shop order on the device's clock.
        const [d, u, s, w] = [j.device, j.uplink, j.server, j.downlink] as [[number, number], [number, number], [number, number], [number, number]];
        assert.ok(d[1] <= u[0] + 0.5 && u[1] <= s[0] + 1 && s[1] <= w[1], `job ${j.job}: ${JSON.stringify(j)}`);
      }
    }
    const deviceStarts = manifest.jobs.map((mj) => r.jobs.find((j) => j.job === mj.job)?.device?.[0] ?? 0);
    assert.deepEqual(deviceStarts, [...deviceStarts].sort((a, b) => a - b), 'the device ran jobs in the planned order');
    assert.ok(Number.isFinite(r.predictedMakespanMs) && r.makespanMs > 0);
  });

  it('finishes on the device, exactly once, when the server dies mid-run', async () => {
    server = await startModelServer({ dir: path.join(dir, 'b', 'server'), port: 0, optimization: 'disabled' });
    const s = server;
    const got = new Map<number, Feeds>();
    let delivered = 0;
    const r = await runJobs({
      manifest,
      ort,
      sessions,
      server: { host: '127.0.0.1', port: s.port },
      onResult: (j, o) => {
        assert.ok(!got.has(j), `job ${j} delivered twice`);
        got.set(j, o);
        // Kill the server as soon as its first answer is in.
        if (++delivered === 1 && manifest.jobs.find((x) => x.job === j)?.kind !== 'local') void s.close();
      },
    });
    server = undefined;
    assert.equal(got.size, 8);
    assert.equal(r.duplicates, 0);
    const split = r.jobs.filter((j) => j.planned === 'split');
    assert.ok(split.some((j) => j.ran === 'fallback'), 'some split jobs fell back');
    assert.ok(r.notes.some((n) => /server failed/.test(n)), r.notes.join('; '));
    for (const j of r.jobs) assert.ok(relativeDifference(got.get(j.job) ?? {}, reference.get(j.job) ?? {}) <= 1e-5, `job ${j.job} equals the whole model`);
  });

  it('runs every job on the device when the server cannot be reached', async () => {
    const r = await runJobs({ manifest, ort, sessions, server: { host: '127.0.0.1', port: 1 } });
    assert.equal(r.jobs.length, 8);
    assert.ok(r.jobs.every((j) => j.ran === 'local' || j.ran === 'fallback'));
    assert.match(r.notes.join(' '), /server unreachable/);
  });

  it('the bundled runner.js and server.js run as separate processes', () => {
    const env = { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ORT_DISABLE_TELEMETRY: '1' };
    const out = execFileSync(process.execPath, [path.join(dir, 'b', 'device', 'runner.js'), '--jobs', '3', '--verify'], { env, encoding: 'utf8' });
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { jobs: unknown[]; verified: { maxRelativeDifference: number } };
    assert.equal(report.jobs.length, 3);
    assert.ok(report.verified.maxRelativeDifference <= 1e-5);
  });

  it('re-times a real plan: at the profiled speeds it is the plan, and the runner reports the speeds of its warm-up and of its timed runs', async () => {
    assert.ok(Math.abs(retimedMakespan(manifest, { device: 1, server: 1, runs: 0 }).makespanMs - manifest.predicted.makespanMs) < 1e-6, 'the bundle\'s schedule replays to the plan\'s makespan');
    server = await startModelServer({ dir: path.join(dir, 'b', 'server'), port: 0, optimization: 'disabled' });
    const env = { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ORT_DISABLE_TELEMETRY: '1' };
    const args = [path.join(dir, 'b', 'device', 'runner.js'), '--server', `127.0.0.1:${server.port}`, '--repeat', '2', '--min-seconds', '0'];
    const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, args, { env, encoding: 'utf8' }, (e, stdout) => (e ? reject(e) : resolve(stdout))));
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as SmokeTest;
    const r = report.retimed;
    assert.ok(r && r.speed.runs >= 1, `the timed runs measured the speeds: ${JSON.stringify(r)}`);
    // Host-speed numbers, not a timing target: each must be a real ratio of a real measurement.
    for (const f of [r.speed.device, r.speed.server]) assert.ok(f !== undefined && f > 0.05 && f < 20, `speed factor ${f}`);
    assert.ok(Math.abs(r.makespanMs - retimedMakespan(manifest, r.speed).makespanMs) < 1e-6);
    // The forecast comes from the settled warm-up runs, before any timed run: its own runs.
    const f = report.forecast;
    assert.ok(f && f.speed.runs >= 1, `the warm-up measured the speeds: ${JSON.stringify(f)}`);
    for (const x of [f.speed.device, f.speed.server]) assert.ok(x !== undefined && x > 0.05 && x < 20, `speed factor ${x}`);
    assert.ok(Math.abs(f.makespanMs - retimedMakespan(manifest, f.speed).makespanMs) < 1e-6);
  });
});
