import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { BundleManifest } from '../../core/bundle/manifest';
import { warmUp } from '../serve/ortTensors';

/**
 * The ONNX Runtime sessions of a bundle's device models (heads and whole models), each loaded
 * and warmed once and shared by every run of a smoke test and its output check; the owner
 * releases them.
 */
export class BundleSessions {
  private readonly sessions = new Map<string, Promise<Ort.InferenceSession>>();

  constructor(
    private readonly ort: typeof Ort,
    private readonly dir: string,
    private readonly runtime: BundleManifest['runtime'],
  ) {}

  /** The session of REL (a path inside the device folder), loaded and run once on first use. */
  get(rel: string): Promise<Ort.InferenceSession> {
    let s = this.sessions.get(rel);
    if (!s) {
      s = this.ort.InferenceSession.create(path.join(this.dir, rel), { executionProviders: ['cpu'], intraOpNumThreads: this.runtime.deviceThreads, graphOptimizationLevel: this.runtime.optimization }).then(async (created) => {
        await warmUp(this.ort, created);
        return created;
      });
      this.sessions.set(rel, s);
    }
    return s;
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s.catch(() => undefined))?.release()));
  }
}
