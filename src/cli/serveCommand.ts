import { startModelServer } from '../node/serve/modelServer';
import { parseArgs, UsageError } from './args';
import type { Output } from './output';
import { SERVE_USAGE } from './usage';

/** `edgecut serve DIR`: the embedded KServe v2 server for a bundle's server half; runs until stopped. */
export async function serveCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set(['host', 'port', 'threads', 'max-body-mb']));
  const opt = (k: string): string | undefined => args.options.get(k)?.at(-1);
  const [dir, ...extra] = args.positional;
  if (!dir || extra.length) throw new UsageError(`usage: ${SERVE_USAGE}`);
  const server = await startModelServer({
    dir,
    host: opt('host') ?? '127.0.0.1',
    port: Number(opt('port') ?? 8000),
    threads: opt('threads') ? Number(opt('threads')) : undefined,
    maxBodyBytes: opt('max-body-mb') ? Number(opt('max-body-mb')) * 1024 * 1024 : undefined,
    log: (l) => out.stderr(`${l}\n`),
  });
  out.stdout(`${JSON.stringify({ port: server.port, models: server.models })}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
