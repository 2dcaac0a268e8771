/** Why a model could not be read or analysed; stable, machine-readable. */
export type ModelErrorReason =
  | 'truncated'
  | 'not-onnx'
  | 'zip-archive'
  | 'empty-graph'
  | 'cycle'
  | 'dangling-input'
  | 'duplicate-output'
  | 'dim-overflow'
  | 'missing-attribute'
  | 'bad-attribute'
  | 'unsafe-external-data'
  | 'external-data-range'
  | 'bad-dim-binding'
  | 'shape-mismatch'
  | 'file-not-found'
  | 'io'
  | 'invalid-cut'
  | 'graph-only';

/** The one error type of model decoding and analysis. `message` is written for the user. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly reason: ModelErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export function isModelError(e: unknown): e is ModelError {
  return e instanceof ModelError;
}
