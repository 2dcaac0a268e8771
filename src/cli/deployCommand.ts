import { undeploy } from '../node/deploy/deploy';
import { deployPlan } from '../node/deploy/deployPlan';
import { packageRoot } from '../node/packageRoot';
import { checkKnown, parseArgs, UsageError } from './args';
import { BUNDLE_OPTIONS, bundleInputs, runtimeOptions } from './bundleCommand';
import { deployTable } from '../core/deploy/deployTable';
import { smokeProblems } from '../core/deploy/runReport';
import type { Output } from './output';
import { sshArgs } from './sshArgs';
import { DEPLOY_USAGE, UNDEPLOY_USAGE } from './usage';

const SSH_OPTIONS = ['device', 'server', 'identity', 'known-hosts'];

/** `edgecut deploy`: bundle a plan, put both halves on their hosts, start, smoke-test. */
export async function deployCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set([...BUNDLE_OPTIONS, ...SSH_OPTIONS, 'server-address', 'port', 'jobs']));
  checkKnown(args, ['accept-new-host-key', 'json'], 'deploy');
  const opt = (k: string): string | undefined => args.options.get(k)?.at(-1);
  const device = opt('device');
  const server = opt('server');
  if (!device || !server || args.positional.length) throw new UsageError(`usage: ${DEPLOY_USAGE}`);
  const { plan, modelFiles, strategy } = bundleInputs(args);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  try {
    const r = await deployPlan({
      plan,
      modelFiles,
      strategy,
      ...runtimeOptions(args),
      device,
      server,
      serverAddress: opt('server-address'),
      port: opt('port') ? Number(opt('port')) : undefined,
      jobs: opt('jobs') !== undefined ? Number(opt('jobs')) : undefined,
      extensionRoot: packageRoot(),
      signal: controller.signal,
      progress: (m) => out.stderr(`${m}\n`),
      ...sshArgs(args),
    });
    if (args.flags.has('json')) out.stdout(`${JSON.stringify({ id: r.id, server: r.serverUrl, strategy, predictedMakespanMs: plan.strategies[strategy].makespanMs, report: r.report }, null, 2)}\n`);
    else out.stdout(`deployed ${r.id}: server ${r.serverUrl}\n${r.report ? deployTable(r.report, plan.strategies[strategy].makespanMs) : ''}`);
    const problems = r.report ? smokeProblems(r.report) : [];
    for (const p of problems) out.stderr(`smoke test failed: ${p}\n`);
    return problems.length ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', stop);
  }
}

/** `edgecut undeploy`: stop the server and remove every deployment from both hosts. */
export async function undeployCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set(SSH_OPTIONS));
  checkKnown(args, ['accept-new-host-key'], 'undeploy');
  const device = args.options.get('device')?.at(-1);
  const server = args.options.get('server')?.at(-1);
  if (!device || !server || args.positional.length) throw new UsageError(`usage: ${UNDEPLOY_USAGE}`);
  const { stopped } = await undeploy({ device, server, ...sshArgs(args) });
  out.stdout(`${stopped ? 'stopped the server; ' : 'no server was running; '}removed EdgeCut's deployment from ${device} and ${server}\n`);
  return 0;
}
