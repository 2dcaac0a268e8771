// Step 1 speed target: `edgecut inspect` against Python onnx load + shape inference, and against
// `cat FILE > /dev/null` on a large model with weights.
import * as path from 'node:path';
import { PYTHON } from './lib/machine.mjs';
import { largeModel, sizeMb, smallModels } from './lib/models.mjs';
import { medianEach, medianMs, runOnce } from './lib/timing.mjs';

export const title = 'Inspect speed (Step 1)';

const SMALL_RUNS = 21;
const LARGE_RUNS = 5;
const STARTUP_RUNS = 11;
const CAT_TARGET = 1.5;
const PY_INFER = 'import onnx,sys; m=onnx.load(sys.argv[1]); onnx.shape_inference.infer_shapes(m)';
// For graph-only models the command above stops at the missing weights file, so it would be timed
// doing less work; this variant parses the graph and infers shapes like edgecut does.
const PY_INFER_GRAPH_ONLY =
  'import onnx,sys; m=onnx.load(sys.argv[1], load_external_data=False); onnx.shape_inference.infer_shapes(m)';

/** Runs the benchmark and returns its markdown section. */
export async function benchmark({ repoRoot, log }) {
  const node = process.execPath;
  const cli = path.join(repoRoot, 'bin/edgecut.js');
  const { models, missing } = smallModels(repoRoot);
  const all = [...models, largeModel(repoRoot, log)];
  const startup = medianEach(
    { node: [node, ['-e', '0']], cli: [node, [cli, '--version']], python: [PYTHON, ['-c', 'import onnx']] },
    STARTUP_RUNS,
  );
  const rows = all.map((m) => measure(m, { node, cli, startup: startup.node, log }));
  const large = rows.at(-1);
  return [
    `## ${title}`,
    method(startup, missing),
    table(rows),
    verdict(rows, large),
    breakdown(large, node, startup.node, log),
  ].join('\n\n');
}

function measure(model, { node, cli, startup, log }) {
  const runs = model.large ? LARGE_RUNS : SMALL_RUNS;
  log(`${model.name}: ${runs} runs each`);
  const dims = model.dims.flatMap((d) => ['--dim', d]);
  const python = pythonCommand(model.file);
  const t = medianEach(
    {
      edgecut: [node, [cli, 'inspect', model.file, '--json', ...dims]],
      python: [PYTHON, ['-c', python, model.file]],
      cat: ['cat', [model.file]],
    },
    runs,
  );
  return { ...model, ...t, mb: sizeMb(model.file), graphOnly: python === PY_INFER_GRAPH_ONLY, work: t.edgecut - startup };
}

/** The target's Python command, or its graph-only variant if the weights file is absent. */
function pythonCommand(file) {
  const r = runOnce(PYTHON, ['-c', PY_INFER, file]);
  if (r.status === 0) return PY_INFER;
  if (/FileNotFoundError/.test(r.stderr)) return PY_INFER_GRAPH_ONLY;
  throw new Error(`python shape inference failed on ${file}:\n${r.stderr.slice(-2000)}`);
}

function method(startup, missing) {
  const lines = [
    `Whole-process wall time, median of ${SMALL_RUNS} runs (${LARGE_RUNS} for the large model) after one warm-up run of each command, so the page cache is warm and no disk reads are timed; the commands for a model take turns run by run, so load drift hits them alike. Stdout goes to /dev/null.`,
    '',
    '- **edgecut**: `node bin/edgecut.js inspect MODEL --json` (PP-OCR models with their `--dim` values).',
    `- **python**: \`${PYTHON} -c "${PY_INFER}" MODEL\`. Rows marked † use \`onnx.load(..., load_external_data=False)\` instead: their weights file is absent by design, the plain command fails at once, and edgecut loads them as graph only.`,
    '- **cat**: `cat MODEL > /dev/null`.',
    `- **edgecut − startup**: edgecut minus Node's own start-up, \`node -e 0\` = ${ms(startup.node)} ms. For scale: \`node bin/edgecut.js --version\` (start-up plus loading the CLI bundle) = ${ms(startup.cli)} ms; \`python3 -c "import onnx"\` = ${ms(startup.python)} ms (medians of ${STARTUP_RUNS}).`,
    '- **resnet18.large.onnx**: made once under bench/.work/ by `bench/makeLargeModel.py`: resnet18.onnx with random float32 weights stored inline, plus a chain of 4096-wide Gemm layers after the classifier; it passes `onnx.checker` and shape inference.',
  ];
  if (missing.length) lines.push(`- Not found, skipped: ${missing.map((m) => m.name).join(', ')}.`);
  return lines.join('\n');
}

function table(rows) {
  const head = [
    '| model | size MB | edgecut ms | edgecut − startup ms | python ms | python/edgecut | cat ms | edgecut/cat |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const body = rows.map((r) =>
    [
      r.name + (r.graphOnly ? ' †' : ''),
      r.mb.toFixed(1),
      ms(r.edgecut),
      ms(r.work),
      ms(r.python),
      times(r.python / r.edgecut),
      ms(r.cat),
      times(r.edgecut / r.cat),
    ].join(' | '),
  );
  return [...head, ...body.map((b) => `| ${b} |`)].join('\n');
}

function verdict(rows, large) {
  const slowest = rows.reduce((a, b) => (b.python / b.edgecut < a.python / a.edgecut ? b : a));
  const fasterEverywhere = rows.every((r) => r.edgecut < r.python);
  const withinCat = large.work <= CAT_TARGET * large.cat;
  return [
    `**Faster than Python on every model: ${fasterEverywhere ? 'met' : 'NOT met'}.** Smallest margin: ${slowest.name}, python/edgecut = ${times(slowest.python / slowest.edgecut)}.`,
    '',
    `**Within ${CAT_TARGET}× of cat on the large model: ${withinCat ? 'met' : 'NOT met'}.** Judged as edgecut minus Node start-up against cat, because cat starts in about a millisecond and Node in ${ms(large.edgecut - large.work)} ms: ${ms(large.work)} ms vs ${ms(large.cat)} ms = ${times(large.work / large.cat)} (whole process: ${ms(large.edgecut)} ms = ${times(large.edgecut / large.cat)}).`,
  ].join('\n');
}

/** Reference points for the large model: what just reading the file costs a Node process. */
function breakdown(large, node, startup, log) {
  log('large model: file-reading reference points');
  const f = JSON.stringify(large.file);
  const chunked = `const fs=require('fs'),fd=fs.openSync(${f}),b=Buffer.allocUnsafe(1<<20);while(fs.readSync(fd,b)>0);`;
  const refs = [
    ['node: `fs.readFileSync` into one Buffer', ['-e', `require('fs').readFileSync(${f})`]],
    ['node: `fs.promises.readFile` into one Buffer', ['-e', `require('fs').promises.readFile(${f})`]],
    ['node: 1 MiB chunks into one reused Buffer', ['-e', chunked]],
  ].map(([label, args]) => [label, medianMs(node, args, LARGE_RUNS)]);
  const rows = [['`node -e 0` (start-up only)', startup], ...refs, ['`cat`', large.cat], ['edgecut inspect', large.edgecut]];
  const wholeRead = Math.min(refs[0][1], refs[1][1]) - startup;
  return [
    `### Large model: what reading ${large.mb.toFixed(0)} MB costs`,
    '',
    `Whole-process medians as above. Reading the whole file into one Buffer alone takes ${ms(wholeRead)} ms after start-up, ${percent(wholeRead / large.work)} of edgecut's ${ms(large.work)} ms; streaming it through a small reused buffer, as cat does, takes ${ms(refs[2][1] - startup)} ms.`,
    '',
    '| command | ms |',
    '|---|--:|',
    ...rows.map(([label, t]) => `| ${label} | ${ms(t)} |`),
  ].join('\n');
}

function percent(v) {
  return `${Math.round(v * 100)}%`;
}

function ms(v) {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function times(v) {
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;
}
