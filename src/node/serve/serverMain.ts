import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BundleManifest } from '../../core/bundle/manifest';
import { startModelServer } from './modelServer';
import { optionOf } from '../runtime/argv';

/**
 * The server half of a bundle (`node server.js`): EdgeCut's embedded KServe v2 server over the
 * tails in models/, with the threads and graph optimisation of bundle.json (as the server was
 * profiled) unless flags say otherwise. Stops on SIGTERM/SIGINT.
 *   node server.js [--host 0.0.0.0] [--port 8000] [--threads N] [--optimization disabled|all]
 */
async function main(argv: readonly string[]): Promise<void> {
  process.env.ORT_DISABLE_TELEMETRY = '1';
  const arg = optionOf(argv);
  const bundle = path.join(__dirname, 'bundle.json');
  const runtime = existsSync(bundle) ? (JSON.parse(readFileSync(bundle, 'utf8')) as BundleManifest).runtime : undefined;
  const optimization = (arg('optimization') ?? runtime?.optimization) === 'disabled' ? 'disabled' : 'all';
  const server = await startModelServer({
    dir: path.join(__dirname, 'models'),
    host: arg('host') ?? '0.0.0.0',
    port: Number(arg('port') ?? 8000),
    threads: arg('threads') ? Number(arg('threads')) : runtime?.serverThreads,
    optimization,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify({ port: server.port, models: server.models })}\n`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`edgecut server: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
