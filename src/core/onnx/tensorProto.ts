import { onnx } from 'onnx-proto';
import { ModelError } from '../errors';
import { decodeTensor } from './decodeTensor';
import type { TensorData } from './model';

/** Decodes a serialized TensorProto (an ONNX test case's input_0.pb, say). */
export function decodeTensorProto(bytes: Uint8Array): TensorData {
  try {
    return decodeTensor(onnx.TensorProto.decode(bytes));
  } catch (e) {
    throw new ModelError('not-onnx', `not a TensorProto: ${e instanceof Error ? e.message : String(e)}`);
  }
}
