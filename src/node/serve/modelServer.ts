import { existsSync, readdirSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { decodeRequest, encodeTensors, epochMs, HEADER_LENGTH, KsError, type KsTensor } from './kserveCodec';
import { fromKs, toKs, warmUp } from './ortTensors';

export interface ServerOptions {
  /** A folder of `NAME.onnx` files (or a bundle's server/ folder with models/ inside). */
  readonly dir: string;
  readonly host?: string;
  readonly port?: number;
  /** Requests larger than this are refused with 413 (default 256 MiB). */
  readonly maxBodyBytes?: number;
  readonly threads?: number;
  /** ONNX Runtime graph optimisation; 'disabled' runs the graph as `edgecut profile` measured it. */
  readonly optimization?: 'disabled' | 'all';
  /** Inferences run at once (default 1: the server is one stage of the flow shop, FIFO). */
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}


/** Runs tasks at most `limit` at a time, in arrival order. */
class RunQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export interface RunningServer {
  readonly port: number;
  readonly models: readonly string[];
  close(): Promise<void>;
}

/**
 * EdgeCut's embedded server half: the KServe v2 inference protocol over HTTP (health, model
 * readiness and metadata, infer with JSON or binary tensors), ONNX Runtime underneath, body
 * size limits and 4xx answers for malformed requests. Each infer response carries the server's
 * timing (`parameters.edgecut_timing`: received, start, end on the server clock) and every
 * response an `x-edgecut-time` header, so a device can place the server stage on its timeline.
 */
export async function startModelServer(o: ServerOptions): Promise<RunningServer> {
  process.env.ORT_DISABLE_TELEMETRY = '1';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof Ort;
  const folder = existsSync(path.join(o.dir, 'models')) ? path.join(o.dir, 'models') : o.dir;
  const files = readdirSync(folder).filter((f) => f.endsWith('.onnx'));
  if (files.length === 0) throw new KsError(500, `${folder} holds no .onnx model`);
  const sessions = new Map<string, Ort.InferenceSession>();
  for (const f of files) {
    const options = { executionProviders: ['cpu'], intraOpNumThreads: o.threads ?? 0, graphOptimizationLevel: o.optimization ?? 'all' } as const;
    const session = await ort.InferenceSession.create(path.join(folder, f), options);
    await warmUp(ort, session);
    sessions.set(f.replace(/\.onnx$/, ''), session);
  }
  const limit = o.maxBodyBytes ?? 256 * 1024 * 1024;
  const queue = new RunQueue(Math.max(1, o.concurrency ?? 1));
  const server = http.createServer((req, res) => {
    res.setHeader('x-edgecut-time', epochMs().toFixed(3));
    handle(req, res, sessions, ort, limit, queue).catch((e: unknown) => reply(res, e instanceof KsError ? e.status : 500, { error: e instanceof Error ? e.message : String(e) }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(o.port ?? 8000, o.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  o.log?.(`serving ${[...sessions.keys()].join(', ')} on http://${o.host ?? '127.0.0.1'}:${port} (KServe v2)`);
  return {
    port,
    models: [...sessions.keys()],
    close: async () => {
      // Keep-alive connections would hold close() open: end them with it.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      for (const s of sessions.values()) await s.release();
    },
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, sessions: ReadonlyMap<string, Ort.InferenceSession>, ort: typeof Ort, limit: number, queue: RunQueue): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'v2') throw new KsError(404, `no route ${url.pathname}`);
  if (parts[1] === 'health' && (parts[2] === 'ready' || parts[2] === 'live') && parts.length === 3) return reply(res, 200, { ready: true, live: true });
  if (parts.length === 1) return reply(res, 200, { name: 'edgecut', version: '1', extensions: ['binary_tensor_data'] });
  if (parts[1] !== 'models' || !parts[2]) throw new KsError(404, `no route ${url.pathname}`);
  const name = decodeURIComponent(parts[2]);
  const session = sessions.get(name);
  if (!session) throw new KsError(404, `no model '${name}' (serving ${[...sessions.keys()].join(', ')})`);
  const tail = parts.slice(3);
  if (tail.length === 1 && tail[0] === 'ready') return reply(res, 200, { name, ready: true });
  if (tail.length === 0) return reply(res, 200, { name, platform: 'onnxruntime_onnx', inputs: session.inputNames.map((n) => ({ name: n })), outputs: session.outputNames.map((n) => ({ name: n })) });
  if (!(tail.length === 1 && tail[0] === 'infer')) throw new KsError(404, `no route ${url.pathname}`);
  if (req.method !== 'POST') throw new KsError(405, 'infer takes POST');
  const body = await readBody(req, limit);
  const received = epochMs();
  const headerLength = req.headers[HEADER_LENGTH] === undefined ? undefined : Number(req.headers[HEADER_LENGTH]);
  const request = decodeRequest(body, headerLength);
  const feeds: Record<string, Ort.Tensor> = {};
  for (const t of request.inputs) {
    if (!session.inputNames.includes(t.name)) throw new KsError(400, `model '${name}' has no input '${t.name}' (it takes ${session.inputNames.join(', ')})`);
    feeds[t.name] = fromKs(ort, t);
  }
  const missing = session.inputNames.filter((n) => !feeds[n]);
  if (missing.length) throw new KsError(400, `missing input(s) ${missing.join(', ')}`);
  let results: Ort.InferenceSession.ReturnType;
  let start = 0;
  try {
    results = await queue.run(() => {
      start = epochMs();
      return session.run(feeds);
    });
  } catch (e) {
    throw new KsError(400, `inference failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const end = epochMs();
  const wanted = request.outputs ?? session.outputNames;
  const outputs: KsTensor[] = wanted.map((n) => {
    const r = results[n];
    if (!r) throw new KsError(400, `model '${name}' has no output '${n}'`);
    return toKs(n, r);
  });
  const timing = { received, start, end };
  const enc = encodeTensors('outputs', outputs, request.binaryOutputs, { model_name: name, ...(request.id ? { id: request.id } : {}), parameters: { edgecut_timing: timing } });
  const headers: http.OutgoingHttpHeaders = { 'content-type': enc.headerLength === undefined ? 'application/json' : 'application/octet-stream', 'content-length': enc.body.length };
  if (enc.headerLength !== undefined) headers[HEADER_LENGTH] = enc.headerLength;
  res.writeHead(200, headers).end(enc.body);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new KsError(413, `request of ${declared} bytes is over the ${limit}-byte limit`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new KsError(413, `request is over the ${limit}-byte limit`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: http.ServerResponse, status: number, doc: unknown): void {
  if (res.headersSent) return;
  const body = Buffer.from(JSON.stringify(doc));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
}
