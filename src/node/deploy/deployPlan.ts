import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BundleManifest } from '../../core/bundle/manifest';
import { writeBundle, type BundleOptions } from '../bundle/writeBundle';
import { check, deploy, type DeployOptions, type DeployResult } from './deploy';

export interface DeployPlanOptions extends Omit<BundleOptions, 'out'>, Omit<DeployOptions, 'bundle'> {}

/**
 * Plan → running deployment, as `edgecut deploy` and "EdgeCut: Deploy…" do it: writes the bundle
 * of one strategy into a temporary folder, deploys it (see deploy), and removes the folder.
 * Returns the bundle's manifest too: its jobs are the order the device runs them in.
 */
export async function deployPlan(o: DeployPlanOptions): Promise<DeployResult & { manifest: BundleManifest }> {
  const stage = mkdtempSync(path.join(os.tmpdir(), 'edgecut-bundle-'));
  try {
    const bundle = path.join(stage, 'bundle');
    o.progress?.(`writing the ${o.strategy ?? 'JPS'} bundle`);
    const manifest = await writeBundle({ ...o, out: bundle });
    check(o.signal);
    return { ...(await deploy({ ...o, bundle })), manifest };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
