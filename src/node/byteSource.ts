import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../core/onnx/skeleton';

/** Positioned reads of an open file; close() when done. */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, buffer, done, n - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    return buffer.subarray(0, done);
  }

  close(): void {
    closeSync(this.fd);
  }
}
