import { ModelError } from '../errors';
import { byteSize } from './dataType';
import type { OnnxGraph, TensorData } from './model';
import { elementCount } from './tensorValues';

export interface ExternalTensorRef {
  readonly tensor: string;
  readonly location: string;
  readonly offset: number;
  /** Bytes the tensor occupies: the file's `length`, or what its dims and dtype imply. */
  readonly length: number;
}

/** External-data references of every initializer, nested graphs included. */
export function externalReferences(graph: OnnxGraph): ExternalTensorRef[] {
  const refs: ExternalTensorRef[] = [];
  const visit = (g: OnnxGraph): void => {
    for (const t of g.initializers.values()) addRef(t, refs);
    for (const node of g.nodes) {
      for (const a of node.attributes.values()) {
        if (a.kind === 'graph') visit(a.value);
        else if (a.kind === 'graphs') a.value.forEach(visit);
        else if (a.kind === 'tensor') addRef(a.value, refs);
      }
    }
  };
  visit(graph);
  return refs;
}

function addRef(t: TensorData, refs: ExternalTensorRef[]): void {
  if (t.storage.kind !== 'external') return;
  const implied = byteSize(t.dtype, elementCount(t.dims));
  refs.push({ tensor: t.name, location: t.storage.location, offset: t.storage.offset, length: t.storage.length ?? implied });
}

/**
 * Refuses locations that could read outside the model's folder (the class of CVE-2022-25882):
 * absolute paths, drive letters, `..` segments, NUL bytes. Symlinks are checked by the reader.
 */
export function checkExternalLocation(ref: ExternalTensorRef): void {
  const loc = ref.location;
  const refuse = (why: string): never => {
    throw new ModelError(
      'unsafe-external-data',
      `refused external data location '${loc}' of tensor '${ref.tensor}': ${why}; it must be a relative path inside the model's folder`,
    );
  };
  if (loc === '') refuse('it is empty');
  if (loc.includes('\0')) refuse('it contains a NUL byte');
  if (loc.startsWith('/') || loc.startsWith('\\') || /^[a-zA-Z]:/.test(loc)) refuse('it is an absolute path');
  if (loc.split(/[\\/]/).includes('..')) refuse("it climbs out with '..'");
  if (!Number.isSafeInteger(ref.offset) || ref.offset < 0 || !Number.isSafeInteger(ref.length) || ref.length < 0) {
    throw new ModelError('external-data-range', `tensor '${ref.tensor}' has an invalid external offset/length`);
  }
}
