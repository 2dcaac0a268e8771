import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { ModelError } from '../core/errors';
import type { LoadedModel } from './modelFile';

/**
 * The model's bytes with every external tensor read into raw_data (paths were already checked
 * by loadModelFile). A graph-only model has no weights to run, so it is refused.
 */
export function inlineWeights(loaded: LoadedModel): Uint8Array {
  if (loaded.graphOnly) {
    throw new ModelError('graph-only', `${path.basename(loaded.path)} is graph only (its external weights file is missing): splitting and deploying need the weights`);
  }
  const bytes = readFileSync(loaded.path);
  if (loaded.externalFiles.length === 0) return bytes;
  const model = onnx.ModelProto.decode(bytes);
  const dir = path.dirname(path.resolve(loaded.path));
  const fds = new Map<string, number>();
  const fill = (t: onnx.ITensorProto): void => {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) return;
    const e = new Map((t.externalData ?? []).map((x) => [x.key ?? '', x.value ?? '']));
    const location = e.get('location') ?? '';
    const fd = fds.get(location) ?? openSync(path.join(dir, location), 'r');
    fds.set(location, fd);
    const length = Number(e.get('length'));
    const raw = Buffer.alloc(length);
    readSync(fd, raw, 0, length, Number(e.get('offset') ?? 0));
    t.rawData = raw;
    t.externalData = [];
    t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
  };
  try {
    for (const t of model.graph?.initializer ?? []) fill(t);
    for (const n of model.graph?.node ?? []) for (const a of n.attribute ?? []) if (a.t) fill(a.t);
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  return onnx.ModelProto.encode(model).finish();
}
