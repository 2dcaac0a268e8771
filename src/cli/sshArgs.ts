import type { parseArgs } from './args';
import { terminalPrompt } from './prompt';

/** The SSH options every remote command takes, and the terminal for passphrases and passwords. */
export function sshArgs(args: ReturnType<typeof parseArgs>) {
  const knownHosts = args.options.get('known-hosts')?.at(-1);
  return {
    identity: args.options.get('identity')?.at(-1),
    knownHosts: knownHosts ? [knownHosts] : undefined,
    acceptNewHostKey: args.flags.has('accept-new-host-key'),
    prompt: terminalPrompt,
  };
}
