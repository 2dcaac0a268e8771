import { isModelError } from '../core/errors';
import { UsageError } from './args';
import { FIT_USAGE, INSPECT_USAGE, NETPROBE_USAGE, PLAN_USAGE, PROFILE_USAGE, SERVE_USAGE, SPLIT_USAGE } from './usage';
import { SshError } from '../node/ssh/sshError';
import { PlanError } from '../core/plan/planError';
import { processOutput, type Output } from './output';

type Command = (argv: readonly string[], out: Output) => Promise<number>;

/** Commands load on first use, so `inspect` does not pay for ssh2 and friends. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  inspect: async () => (await import('./inspectCommand')).inspectCommand,
  plan: async () => (await import('./planCommand')).planCommand,
  profile: async () => (await import('./profileCommand')).profileCommand,
  netprobe: async () => (await import('./netprobeCommand')).netprobeCommand,
  fit: async () => (await import('./fitCommand')).fitCommand,
  split: async () => (await import('./splitCommand')).splitCommand,
  serve: async () => (await import('./serveCommand')).serveCommand,
};

const USAGE = `EdgeCut: plan and deploy split DNN inference between a device and a server.

usage:
  ${INSPECT_USAGE}
  ${PLAN_USAGE}
  ${PROFILE_USAGE}
  ${NETPROBE_USAGE}
  ${FIT_USAGE}
  ${SPLIT_USAGE}
  ${SERVE_USAGE}
`;

/** Runs one CLI invocation; returns the exit code (0 ok, 2 bad input, 1 internal error). */
export async function runCli(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out.stdout(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    out.stdout(`${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    out.stderr(`edgecut: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest, out);
  } catch (e) {
    if (isModelError(e) || e instanceof UsageError || e instanceof PlanError || e instanceof SshError) {
      out.stderr(`edgecut: ${e.message}\n`);
      return 2;
    }
    out.stderr(`edgecut: internal error: ${e instanceof Error ? e.message : String(e)} (please report this with the model file)\n`);
    if (process.env.EDGECUT_DEBUG) out.stderr(`${e instanceof Error ? e.stack : ''}\n`);
    return 1;
  }
}

declare const EDGECUT_VERSION: string | undefined;
const VERSION = typeof EDGECUT_VERSION === 'string' ? EDGECUT_VERSION : 'dev';

export function main(): void {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`edgecut: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
