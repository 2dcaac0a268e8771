// Step 5: throughput and latency of the embedded KServe v2 server (`edgecut serve`) under
// concurrent loopback clients, serving a split model's tail and the whole model.
import { build } from 'esbuild';
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { sharedModelsDir } from './lib/models.mjs';

export const title = 'Server throughput (Step 5)';

const MODEL = 'squeezenet1_1.onnx';
/** The output of Fire module 7's Concat: about half of SqueezeNet's MACs lie on either side. */
const CUT = '/features/features.7/Concat_output_0';
const CLIENTS = [1, 32];
const WARMUP_MS = 1000;
const RUN_MS = 8000;

/** Bundles the server and its codec (TypeScript) into bench/.work; onnxruntime-node stays a plain require. */
async function loadServer(repoRoot) {
  const out = path.join(repoRoot, 'bench', '.work', 'modelServer.cjs');
  mkdirSync(path.dirname(out), { recursive: true });
  await build({
    stdin: {
      contents: "export { startModelServer } from './src/node/serve/modelServer';\nexport { encodeTensors, decodeRequest, HEADER_LENGTH } from './src/node/serve/kserveCodec';\n",
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    external: ['onnxruntime-node'],
    logLevel: 'error',
  });
  return createRequire(import.meta.url)(out);
}

export async function benchmark({ repoRoot, log }) {
  process.env.ORT_DISABLE_TELEMETRY = '1';
  const server = await loadServer(repoRoot);
  const cli = path.join(repoRoot, 'dist/cli.js');
  const model = path.join(sharedModelsDir(repoRoot), MODEL);
  const info = JSON.parse(execFileSync(process.execPath, [cli, 'inspect', model, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const input = info.inputs[0];
  const output = info.outputs[0];
  const cutShape = info.tensors[CUT].shape;

  // tail.onnx from `edgecut split` and the whole model as full.onnx, side by side in one folder.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'edgecut-serve-bench-'));
  const serveDir = path.join(tmp, 'serve');
  mkdirSync(serveDir);
  execFileSync(process.execPath, [cli, 'split', model, '--cut', CUT, '--out', path.join(tmp, 'split')], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(path.join(tmp, 'split', 'tail.onnx'), path.join(serveDir, 'tail.onnx'));
  copyFileSync(model, path.join(serveDir, 'full.onnx'));

  const running = await server.startModelServer({ dir: serveDir, host: '127.0.0.1', port: 0, log });
  const rows = [];
  const sizes = {};
  try {
    for (const [name, tensor, shape] of [['tail', CUT, cutShape], ['full', input.name, input.shape]]) {
      const target = { port: running.port, name, ...request(server, tensor, shape) };
      sizes[name] = target.body.length;
      target.outputBytes = await validate(server, target, output);
      for (const clients of CLIENTS) {
        log(`${name}: ${clients} client(s), ${WARMUP_MS / 1000} s warm-up + ${RUN_MS / 1000} s`);
        rows.push({ name, clients, ...(await load(target, clients)) });
      }
    }
  } finally {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return render({ input, output, cutShape, sizes, rows });
}

/** A binary-extension infer request for one FP32 input, filled with positive values (like a ReLU output). */
function request(server, name, shape) {
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.5 + 0.5 * Math.sin(i));
  const enc = server.encodeTensors('inputs', [{ name, datatype: 'FP32', shape, bytes: new Uint8Array(values.buffer) }], true, { parameters: { binary_data_output: true } });
  return { body: enc.body, headerLength: enc.headerLength };
}

/** Checks one response's output against the model's output; returns its byte count, which every later 200 must match. */
async function validate(server, target, output) {
  const r = await post(target, new http.Agent({ keepAlive: false }));
  if (r.status !== 200) throw new Error(`${target.name}: infer answered ${r.status}: ${r.body.toString('utf8', 0, 500)}`);
  const decoded = server.decodeRequest(r.body, Number(r.headers[server.HEADER_LENGTH]), 'outputs');
  const got = decoded.inputs.find((t) => t.name === output.name);
  const want = JSON.stringify(output.shape);
  if (!got || JSON.stringify(got.shape) !== want || got.datatype !== 'FP32' || got.bytes.length !== 4 * output.shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`${target.name}: expected output '${output.name}' FP32 ${want}, got ${got ? `${got.datatype} ${JSON.stringify(got.shape)}` : 'none'}`);
  }
  return got.bytes.length;
}

/** One POST to the model's infer endpoint; resolves with status, headers and body (rejects on socket errors). */
function post(target, agent) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/octet-stream', 'content-length': target.body.length, 'inference-header-content-length': target.headerLength };
    const req = http.request({ agent, host: '127.0.0.1', port: target.port, method: 'POST', path: `/v2/models/${target.name}/infer`, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

/**
 * `clients` loops, each with its own keep-alive socket, sending back to back until the window
 * ends. Requests that complete inside the measured window count (including ones sent during
 * warm-up); ones still in flight when it closes are awaited but not counted.
 */
async function load(target, clients) {
  const from = performance.now() + WARMUP_MS;
  const until = from + RUN_MS;
  const latencies = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < until) {
        const start = performance.now();
        let ok = false;
        try {
          const r = await post(target, agent);
          // The JSON header's length may vary (it can carry server timings); the binary part may not.
          ok = r.status === 200 && r.body.length - Number(r.headers['inference-header-content-length']) === target.outputBytes;
        } catch {
          // a reset or refused connection is a failure like a non-200 answer
        }
        const end = performance.now();
        if (end < from || end > until) continue;
        if (ok) latencies.push(end - start);
        else failures++;
      }
      agent.destroy();
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / (RUN_MS / 1000), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), failures };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN;
}

function render({ input, output, cutShape, sizes, rows }) {
  const cpu = os.cpus();
  const ms = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const shape = (s) => `[${s.join(',')}]`;
  return [
    `## ${title}`,
    '',
    `The embedded KServe v2 server (\`startModelServer\` from src/node/serve/modelServer.ts, run with its default options in the benchmark's own Node process on 127.0.0.1, so the clients share its event loop; ONNX Runtime CPU, default intra-op threads) serving two models: **tail** = ${MODEL} split by \`edgecut split --cut ${CUT}\` (input FP32 ${shape(cutShape)}), and **full** = the whole ${MODEL} (input FP32 ${shape(input.shape)}). Both answer FP32 ${shape(output.shape)}.`,
    '',
    `N loopback clients, each a loop on its own keep-alive \`http.Agent\` (one socket), send infer requests with the binary tensor extension (\`Inference-Header-Content-Length\`, binary outputs) back to back for ${RUN_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up. Requests completing inside the ${RUN_MS / 1000} s count; latency is send to last response byte as the client sees it; p50/p99 are nearest-rank. One response per model was decoded and its output shape checked before timing; a failure is a non-200 answer, a socket error, or a 200 whose binary output is not that response's size.`,
    '',
    `- Machine: ${cpu[0].model}, ${cpu.length} cores; ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Request size: tail ${sizes.tail.toLocaleString('en-US')} bytes, full ${sizes.full.toLocaleString('en-US')} bytes (JSON header + raw FP32)`,
    '',
    '| model | clients | requests/s | p50 ms | p99 ms | failures |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.name} | ${r.clients} | ${r.perSecond.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.failures} |`),
  ].join('\n');
}
