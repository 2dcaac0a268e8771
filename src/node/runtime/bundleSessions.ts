import * as path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { BundleManifest } from '../../core/bundle/manifest';
import { warmUp } from '../serve/ortTensors';

type Feeds = Record<string, Ort.Tensor>;
/** A tensor as it crosses between threads (structured clone copies the typed array). */
type WireTensor = { readonly type: Ort.Tensor.Type; readonly data: Ort.Tensor['data']; readonly dims: readonly number[] };
type WireFeeds = Record<string, WireTensor>;

type Request = { readonly id: number; readonly rel: string; readonly feeds?: WireFeeds };
type Reply = { readonly id: number; readonly outputs?: WireFeeds; readonly error?: string };

export interface ThreadOptions {
  readonly dir: string;
  readonly runtime: BundleManifest['runtime'];
}

const toWire = (feeds: Feeds): WireFeeds => Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { type: t.type, data: t.data, dims: [...t.dims] }]));
const fromWire = (ort: typeof Ort, feeds: WireFeeds): Feeds => Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type, t.data as Float32Array, [...t.dims])]));

/**
 * The device's ONNX Runtime sessions on a thread of their own. onnxruntime-node runs a session
 * synchronously on the calling thread, so a runner that ran it on its event loop read no socket
 * while the device computed: a server's answer waited for the device's current inference (on
 * the testbed's fast link the downlink took twice its prediction). Here the event loop stays free
 * to take answers as they arrive while the thread runs one model at a time, in the order asked
 * (the device stage of JPS's flow shop is one resource). `workerFile` is a module that calls
 * `serveInference()` when it is not the main thread (the bundled runner.js is its own worker).
 */
export class BundleSessions {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (f: WireFeeds | undefined) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failure: Error | undefined;

  constructor(
    private readonly ort: typeof Ort,
    dir: string,
    runtime: BundleManifest['runtime'],
    workerFile: string,
  ) {
    this.worker = new Worker(workerFile, { workerData: { edgecutInference: { dir, runtime } satisfies ThreadOptions }, env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' } });
    this.worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.error !== undefined) p?.reject(new Error(r.error));
      else p?.resolve(r.outputs);
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', (e) => fail(new Error(`the inference thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`the inference thread exited (${code})`)));
  }

  /** Loads REL (a path inside the device folder) and runs it once on zeros, if not done yet. */
  async load(rel: string): Promise<void> {
    await this.call({ rel });
  }

  /** Runs REL on `feeds` (loading it first if needed) and returns its outputs. */
  async run(rel: string, feeds: Feeds): Promise<Feeds> {
    return fromWire(this.ort, (await this.call({ rel, feeds: toWire(feeds) })) ?? {});
  }

  /** Stops the thread (its sessions go with it). */
  async release(): Promise<void> {
    this.failure ??= new Error('the inference thread was closed');
    await this.worker.terminate();
  }

  private call(r: Omit<Request, 'id'>): Promise<WireFeeds | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...r } satisfies Request);
    });
  }
}

/** True inside an inference thread started by BundleSessions. */
export function isInferenceThread(workerData: unknown): workerData is { edgecutInference: ThreadOptions } {
  return typeof workerData === 'object' && workerData !== null && 'edgecutInference' in workerData;
}

/**
 * The thread's side: one session per model, created with the bundle's settings (those the
 * device was profiled with) and warmed once; requests are served in arrival order.
 */
export function serveInference(ort: typeof Ort, o: ThreadOptions): void {
  const port = parentPort;
  if (!port) throw new Error('serveInference runs only in a worker thread');
  const sessions = new Map<string, Promise<Ort.InferenceSession>>();
  const session = (rel: string): Promise<Ort.InferenceSession> => {
    let s = sessions.get(rel);
    if (!s) {
      const options = { executionProviders: ['cpu'], intraOpNumThreads: o.runtime.deviceThreads, graphOptimizationLevel: o.runtime.optimization } as const;
      s = ort.InferenceSession.create(path.join(o.dir, rel), options).then(async (created) => {
        await warmUp(ort, created);
        return created;
      });
      sessions.set(rel, s);
    }
    return s;
  };
  // One request at a time, in order: the messages queue while a model runs.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (r: Request) => {
    chain = chain.then(async () => {
      try {
        const s = await session(r.rel);
        const outputs = r.feeds ? toWire((await s.run(fromWire(ort, r.feeds))) as Feeds) : undefined;
        port.postMessage({ id: r.id, ...(outputs ? { outputs } : {}) } satisfies Reply);
      } catch (e) {
        port.postMessage({ id: r.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
      }
    });
  });
}
