import { deviceSendText } from '../plan/network';
import { jobMix, type BundleManifest } from './manifest';

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

/** The README of each half of a bundle: what is in it and the one command that runs it. */
export function bundleReadmes(m: BundleManifest): Record<'device' | 'server' | 'triton', string> {
  const mix = jobMix(m.jobs);
  const tails = [...m.cuts.map((c) => c.tail), ...m.models.flatMap((x) => (x.remote ? [x.remote] : []))];
  const device = `# EdgeCut device half (${m.strategy})

Runs ${m.jobs.length} job(s) (${mix}) in the planned order: the device computes each job's head
while the previous job's cut tensors travel to the server on one pipelined connection.
Predicted makespan: ${fmt(m.predicted.makespanMs)} over ${m.network.name} (${m.network.upMbps} Mbit/s up, ${m.network.downMbps} down, ${m.network.rttMs} ms RTT${deviceSendText(m.network)}).

Run (Node 18+; \`npm install\` fetches ONNX Runtime, or deploy with \`edgecut deploy\`, which brings it offline):

    npm install
    ORT_DISABLE_TELEMETRY=1 node runner.js --server SERVER:8000 [--jobs N] [--repeat R] [--min-seconds S] [--verify] [--report report.json]

It prints a JSON report: per-job device / uplink / server / downlink times (ms from the start),
the makespan next to the prediction, and any job that fell back. With \`--repeat\` it also reports
two speed checks: \`forecast\`, device and server compute against the plan in the warm-up runs
and the plan's makespan at those speeds (a prediction made before the timed runs), and
\`retimed\`, the same from the timed runs. If the server cannot be reached
or dies mid-run, the jobs it has not answered run here with the whole model (\`models/*/full.onnx\`);
every job's result is delivered once.

- \`bundle.json\`: the jobs, cuts and predicted schedule.
- \`models/MODEL/full.onnx\`: the whole model (local jobs, fallback).
${m.cuts.map((c) => `- \`${c.head}\`: head of ${c.model} up to ${c.cutTensors.join(', ')}`).join('\n')}
- ONNX Runtime runs with ${m.runtime.deviceThreads} thread(s) and graph optimisation \`${m.runtime.optimization}\`, as the device was profiled.
`;
  const server = `# EdgeCut server half

The tails of the plan's cuts, served by EdgeCut's embedded KServe v2 (Open Inference Protocol)
server with the binary tensor extension: \`/v2/health/ready\`, \`/v2/models/{name}/ready\`,
\`/v2/models/{name}/infer\`. Requests over 256 MiB get 413, malformed ones 400.

    npm install
    ORT_DISABLE_TELEMETRY=1 node server.js --port 8000 [--host 0.0.0.0] [--threads N] [--optimization disabled|all]

Threads and graph optimisation default to \`bundle.json\`'s (${m.runtime.serverThreads || 'all cores'} thread(s), \`${m.runtime.optimization}\`: as the server was profiled).

Models: ${tails.map((t) => `\`${t}\``).join(', ') || '(none: every job runs on the device)'}.
Inferences run one at a time in arrival order (the server is one stage of the planned pipeline).
`;
  const triton = `# Triton model repository

The same tails for NVIDIA Triton Inference Server (ONNX Runtime backend), one folder each with
\`config.pbtxt\` and \`1/model.onnx\`:

    tritonserver --model-repository=$(pwd)

Triton speaks the same KServe v2 protocol, so the device runner works against it unchanged
(\`--server TRITON:8000\`). A tail whose graph is batch-agnostic gets a symbolic batch axis,
\`max_batch_size: 8\` and \`dynamic_batching\` (requests arriving within 2 ms are merged):
EdgeCut checked it when bundling by running two samples as one batch in ONNX Runtime and
comparing with each run alone. A tail that reshapes to a literal batch of 1 keeps exact shapes
(\`max_batch_size: 0\`, no batching); re-export the model with a dynamic batch axis to batch it.
`;
  return { device, server, triton };
}
