import type * as Ort from 'onnxruntime-node';
import type { BundleManifest, ManifestTensor } from '../../core/bundle/manifest';
import type { JobRecord, RunReport, Span } from '../../core/deploy/runReport';
import { decodeRequest, encodeTensors, epochMs, HEADER_LENGTH } from '../serve/kserveCodec';
import { fromKs, ortType, toKs } from '../serve/ortTensors';
import type { BundleSessions } from './bundleSessions';
import { PipelinedClient, ServerGone } from './pipelinedClient';
import { syntheticInputs } from './syntheticInputs';

type Feeds = Record<string, Ort.Tensor>;
/** How long the runner waits for one answer before it treats the server as gone. */
const REQUEST_TIMEOUT_MS = 30_000;
export interface RunOptions {
  readonly manifest: BundleManifest;
  readonly server?: { readonly host: string; readonly port: number };
  readonly ort: typeof Ort;
  /** The bundle's sessions, loaded and warmed once for every run that shares them. */
  readonly sessions: BundleSessions;
  /** Called once per job with its outputs. */
  readonly onResult?: (job: number, outputs: Feeds) => void;
  /** How many jobs (cycles through the planned order; default: the plan's count). */
  readonly jobs?: number;
  readonly log?: (line: string) => void;
}

/**
 * Runs jobs as the plan scheduled them (JPS, Duan & Wu: a permutation flow shop): the device
 * computes heads in the planned order while earlier jobs' cut tensors travel up one pipelined
 * connection and the server computes tails in the same order. When the server cannot be reached
 * or dies, every job not yet answered is finished on the device with the whole model, and each
 * job's result is handed over exactly once.
 */
export async function runJobs(o: RunOptions): Promise<RunReport> {
  const m = o.manifest;
  const ort = o.ort;
  const log = o.log ?? (() => undefined);
  const notes: string[] = [];
  const session = (rel: string): Promise<Ort.InferenceSession> => o.sessions.get(rel);
  const count = o.jobs ?? m.jobs.length;
  const plan = Array.from({ length: count }, (_, i) => ({ ...(m.jobs[i % m.jobs.length] as BundleManifest['jobs'][number]), job: i }));
  // Load and warm every session before the clock starts: the plan predicts a warm runtime (the
  // profile discards its warm-up runs too), not model loading or a first run's allocations.
  for (const rel of new Set(plan.flatMap((j) => [modelOf(m, j.model).full, ...(j.cut ? [cutOf(m, j.cut).head] : [])]))) await session(rel);

  let client: PipelinedClient | undefined;
  let offset = 0;
  let serverDown: string | undefined;
  if (plan.some((j) => j.kind !== 'local')) {
    if (!o.server) serverDown = 'no server was given';
    else {
      try {
        client = await PipelinedClient.connect(o.server.host, o.server.port);
        offset = await clockOffset(client);
      } catch (e) {
        serverDown = (e as Error).message;
      }
    }
    if (serverDown) notes.push(`server unreachable (${serverDown}): every job runs on the device with the whole model`);
  }

  // Inputs exist before the clock starts (a camera frame would be waiting too).
  const feedsOf = new Map(plan.map((j) => [j.job, syntheticFeeds(ort, modelOf(m, j.model).inputs, j.job)]));
  const records = new Map<number, JobRecord>();
  let duplicates = 0;
  const t0 = epochMs();
  const rel = (t: number): number => t - t0;
  const deliver = (r: JobRecord, outputs: Feeds): void => {
    if (records.has(r.job)) {
      duplicates++;
      return;
    }
    records.set(r.job, r);
    o.onResult?.(r.job, outputs);
  };
  const timeout = REQUEST_TIMEOUT_MS;

  // The device stage: one job at a time, in the planned order; fallbacks join its queue.
  let deviceChain: Promise<void> = Promise.resolve();
  const onDevice = (task: () => Promise<void>): Promise<void> => (deviceChain = deviceChain.then(task));
  /** The whole model on the device: a local job, or a fallback (with its reason). Runs inside the device queue. */
  const runWhole = async (job: (typeof plan)[number], feeds: Feeds, fallbackReason?: string): Promise<void> => {
    const s = epochMs();
    const out = await (await session(modelOf(m, job.model).full)).run(feeds);
    const e = rel(epochMs());
    const ran = fallbackReason === undefined ? job.kind : 'fallback';
    deliver({ job: job.job, model: job.model, planned: job.kind, ran, device: [rel(s), e], uplink: null, server: null, downlink: null, doneMs: e, ...(fallbackReason === undefined ? {} : { fallbackReason }) }, out);
  };
  const fallback = (job: (typeof plan)[number], feeds: Feeds, reason: string): Promise<void> => onDevice(() => runWhole(job, feeds, reason));
  const serverFailed = (e: unknown): string => {
    const why = e instanceof Error ? e.message : String(e);
    if (!serverDown) {
      serverDown = why;
      notes.push(`server failed (${why}): the jobs it had not answered finished on the device with the whole model`);
      log(`server failed: ${why}; finishing on the device`);
    }
    return why;
  };

  let lastUplinkEnd = 0;
  const uploads: Promise<void>[] = [];
  for (const job of plan) {
    const feeds = feedsOf.get(job.job) as Feeds;
    await onDevice(async () => {
      if (job.kind === 'local') return runWhole(job, feeds);
      if (serverDown) return runWhole(job, feeds, serverDown);
      let device: Span = null;
      let sent: Feeds = feeds;
      let kept: Feeds = {};
      let target = modelOf(m, job.model).remote as string;
      if (job.kind === 'split') {
        const cut = cutOf(m, job.cut as string);
        const s = epochMs();
        const out = await (await session(cut.head)).run(feeds);
        device = [rel(s), rel(epochMs())];
        sent = Object.fromEntries(cut.tailInputs.map((t) => [t, (out[t] ?? feeds[t]) as Ort.Tensor]));
        kept = Object.fromEntries(cut.headOutputs.filter((t) => modelOf(m, job.model).outputs.includes(t)).map((t) => [t, out[t] as Ort.Tensor]));
        target = cut.tail;
      }
      const { body, headerLength } = encodeTensors('inputs', Object.entries(sent).map(([name, t]) => toKs(name, t)), true, { id: String(job.job), parameters: { binary_data_output: true } });
      const request = (client as PipelinedClient).request('POST', `/v2/models/${encodeURIComponent(target)}/infer`, { 'Content-Type': 'application/octet-stream', [HEADER_LENGTH]: headerLength ?? 0 }, body, timeout);
      uploads.push(
        request
          .then((r) => {
            if (r.status !== 200) throw new ServerGone(`server answered ${r.status} for job ${job.job}: ${r.body.toString('utf8').slice(0, 200)}`);
            const doc = decodeRequest(r.body, r.headers[HEADER_LENGTH] ? Number(r.headers[HEADER_LENGTH]) : undefined, 'outputs');
            const timing = doc.parameters?.edgecut_timing as { received: number; start: number; end: number } | undefined;
            const outputs: Feeds = { ...kept };
            for (const t of doc.inputs) outputs[t.name] = fromKs(ort, t);
            const up0 = Math.max(rel(r.writtenAt), lastUplinkEnd);
            const srv: Span = timing ? [rel(timing.start - offset), rel(timing.end - offset)] : null;
            const upEnd = timing ? Math.max(up0, rel(timing.received - offset)) : up0;
            lastUplinkEnd = upEnd;
            deliver({ job: job.job, model: job.model, planned: job.kind, ran: job.kind, device, uplink: [up0, upEnd], server: srv, downlink: [srv ? srv[1] : upEnd, rel(r.receivedAt)], doneMs: rel(r.receivedAt) }, outputs);
          })
          .catch((e: unknown) => fallback(job, feeds, serverFailed(e))),
      );
    });
  }
  await deviceChain;
  await Promise.all(uploads);
  await deviceChain;
  client?.close();
  const jobs = plan.map((j) => records.get(j.job)).filter((r): r is JobRecord => r !== undefined);
  if (jobs.length !== plan.length) notes.push(`${plan.length - jobs.length} job(s) produced no result`);
  return {
    strategy: m.strategy,
    jobs,
    makespanMs: Math.max(0, ...jobs.map((j) => j.doneMs)),
    predictedMakespanMs: count === m.jobs.length ? m.predicted.makespanMs : NaN,
    clockOffsetMs: offset,
    duplicates,
    notes,
  };
}

function modelOf(m: BundleManifest, name: string): BundleManifest['models'][number] {
  const model = m.models.find((x) => x.name === name);
  if (!model) throw new Error(`bundle.json has no model '${name}'`);
  return model;
}

function cutOf(m: BundleManifest, key: string): BundleManifest['cuts'][number] {
  const cut = m.cuts.find((c) => c.key === key);
  if (!cut) throw new Error(`bundle.json has no cut '${key}'`);
  return cut;
}

/** Server clock minus device clock from five health checks: the one with the least RTT wins. */
async function clockOffset(c: PipelinedClient): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const r = await c.request('GET', '/v2/health/ready', {}, undefined, 5000);
    if (r.status !== 200) throw new ServerGone(`the server is not ready (${r.status})`);
    const server = Number(r.headers['x-edgecut-time']);
    const rtt = r.receivedAt - r.writtenAt;
    if (Number.isFinite(server) && rtt < best.rtt) best = { rtt, offset: server - (r.writtenAt + r.receivedAt) / 2 };
  }
  return best.offset;
}

/** Deterministic inputs for job i of a bundle's model (syntheticInputs.ts). */
export function syntheticFeeds(ort: typeof Ort, inputs: readonly ManifestTensor[], job: number): Feeds {
  return syntheticInputs(ort, inputs.map((i) => ({ name: i.name, type: ortType(i.datatype), dims: i.shape })), job);
}

/** Largest |a−b| over max(|b|) across a job's outputs: the check that split equals whole. */
export function relativeDifference(a: Feeds, b: Feeds): number {
  let worst = 0;
  for (const [name, ref] of Object.entries(b)) {
    const x = a[name];
    if (!x) return Infinity;
    const p = Array.from(x.data as ArrayLike<number>, Number);
    const q = Array.from(ref.data as ArrayLike<number>, Number);
    if (p.length !== q.length) return Infinity;
    // A loop, not Math.max(...q): a spread of a large output overflows the call stack.
    const scale = q.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);
    for (let i = 0; i < q.length; i++) worst = Math.max(worst, Math.abs((p[i] as number) - (q[i] as number)) / scale);
  }
  return worst;
}
