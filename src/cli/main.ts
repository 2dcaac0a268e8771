import type * as DeviceCommands from './deviceCommands';
import { FIT_USAGE, INSPECT_USAGE, NETPROBE_USAGE, PLAN_USAGE, PROFILE_USAGE, SERVE_USAGE, SPLIT_USAGE, BUNDLE_USAGE, DEPLOY_USAGE, UNDEPLOY_USAGE } from './usage';
import { processOutput, type Output } from './output';

/**
 * Errors that are the user's to fix (exit 2, message only). Matched by name, not instanceof:
 * the device commands are a separate bundle with their own copies of these classes.
 */
const USER_ERRORS = new Set(['ModelError', 'UsageError', 'PlanError', 'SshError', 'KsError']);

function isUserError(e: unknown): e is Error {
  return e instanceof Error && USER_ERRORS.has(e.name);
}

type Command = (argv: readonly string[], out: Output) => Promise<number>;

/**
 * The device commands live in their own bundle (dist/deviceCommands.js); a plain require finds it
 * beside dist/cli.js, and src/cli/deviceCommands.ts when running from source.
 */
function deviceCommands(): typeof DeviceCommands {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./deviceCommands') as typeof DeviceCommands;
}

/** Commands load on first use, so `inspect` does not pay for ssh2 and friends. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  inspect: async () => (await import('./inspectCommand')).inspectCommand,
  plan: async () => (await import('./planCommand')).planCommand,
  profile: async () => deviceCommands().profileCommand,
  netprobe: async () => deviceCommands().netprobeCommand,
  fit: async () => deviceCommands().fitCommand,
  split: async () => deviceCommands().splitCommand,
  serve: async () => deviceCommands().serveCommand,
  bundle: async () => deviceCommands().bundleCommand,
  deploy: async () => deviceCommands().deployCommand,
  undeploy: async () => deviceCommands().undeployCommand,
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
  ${BUNDLE_USAGE}
  ${DEPLOY_USAGE}
  ${UNDEPLOY_USAGE}
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
    if (isUserError(e)) {
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
