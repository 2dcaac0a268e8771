import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeModel } from '../core/onnx/decode';
import { checkExternalLocation, externalReferences, type ExternalTensorRef } from '../core/onnx/externalData';
import type { OnnxModel } from '../core/onnx/model';
import { ModelError } from '../core/errors';
import { skeletonize } from '../core/onnx/skeleton';
import { FileByteSource } from './byteSource';

export interface LoadedModel {
  readonly path: string;
  readonly model: OnnxModel;
  /** True when external weights are missing: structure and costs are known, values are not. */
  readonly graphOnly: boolean;
  /** External data files found, relative to the model's folder. */
  readonly externalFiles: readonly string[];
  readonly warnings: readonly string[];
}

/** Reads and decodes a model file and checks (without reading) its external data files. */
export async function loadModelFile(file: string): Promise<LoadedModel> {
  const bytes = await readBytes(file);
  const model = decodeModel(bytes);
  const refs = externalReferences(model.graph);
  refs.forEach(checkExternalLocation);
  const warnings: string[] = [];
  const byFile = new Map<string, ExternalTensorRef[]>();
  for (const r of refs) byFile.set(r.location, [...(byFile.get(r.location) ?? []), r]);
  const found: string[] = [];
  const missing: string[] = [];
  for (const [location, tensors] of byFile) {
    const size = await externalFileSize(file, location);
    if (size === undefined) {
      missing.push(location);
      continue;
    }
    found.push(location);
    for (const t of tensors) {
      if (t.offset + t.length > size) {
        throw new ModelError(
          'external-data-range',
          `tensor '${t.tensor}' needs bytes ${t.offset}–${t.offset + t.length} of '${location}', which has only ${size} bytes`,
        );
      }
    }
  }
  if (missing.length) {
    warnings.push(
      `external data file${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} not found next to ${path.basename(file)}: loaded as graph only (shapes and costs, no weights)`,
    );
  }
  return { path: file, model, graphOnly: missing.length > 0, externalFiles: found, warnings };
}

/** Files above this size are decoded from a skeleton that leaves large weights unread. */
const SKELETON_ABOVE_BYTES = 32 * 1024 * 1024;

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw new ModelError('io', `${file} is a folder, not an ONNX file`);
    if (stat.size > SKELETON_ABOVE_BYTES) return readSkeleton(file);
    return readFileSync(file);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelError('file-not-found', `model file not found: ${file}`);
    throw new ModelError('io', `cannot read ${file}: ${(e as Error).message}`);
  }
}

function readSkeleton(file: string): Uint8Array {
  const source = new FileByteSource(file);
  try {
    return skeletonize(source);
  } finally {
    source.close();
  }
}

/**
 * Size of an external data file, or undefined if it does not exist. A location that resolves
 * (through symlinks) outside the model's folder is refused before anything is read.
 */
async function externalFileSize(modelFile: string, location: string): Promise<number | undefined> {
  const folder = await fs.realpath(path.dirname(path.resolve(modelFile)));
  let real: string;
  try {
    real = await fs.realpath(path.join(folder, location));
  } catch {
    return undefined;
  }
  if (real !== folder && !real.startsWith(folder + path.sep)) {
    throw new ModelError(
      'unsafe-external-data',
      `refused external data location '${location}': it resolves through a symlink to ${real}, outside the model's folder`,
    );
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new ModelError('unsafe-external-data', `external data location '${location}' is not a regular file`);
  return stat.size;
}
