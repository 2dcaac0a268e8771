import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import { SshError } from './sshError';

/** Where and as whom to connect, after ~/.ssh/config has been applied. */
export interface SshTarget {
  /** What the user typed (for messages). */
  readonly spec: string;
  /** The alias as written, used for known_hosts like OpenSSH's HostKeyAlias-less default. */
  readonly host: string;
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  readonly identityFiles: readonly string[];
}

export interface TargetOptions {
  readonly identity?: string;
  readonly sshConfigFile?: string;
}

const expand = (p: string): string => (p.startsWith('~') ? path.join(os.homedir(), p.slice(1)) : p);

/**
 * Parses `[user@]host[:port]` and applies the matching ~/.ssh/config sections (HostName, User,
 * Port, IdentityFile) with the maintained `ssh-config` parser, as OpenSSH would.
 */
export function resolveTarget(spec: string, options: TargetOptions = {}): SshTarget {
  const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d+))?$/.exec(spec.trim());
  if (!m) throw new SshError('bad-target', `'${spec}' is not a host: use [user@]host[:port] or a Host from ~/.ssh/config`);
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  const configFile = options.sshConfigFile ?? path.join(os.homedir(), '.ssh', 'config');
  const computed = existsSync(configFile) ? SSHConfig.parse(readFileSync(configFile, 'utf8')).compute(host, { ignoreCase: true }) : {};
  const first = (key: string): string | undefined => {
    const v = computed[key] ?? computed[key.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const list = (key: string): string[] => {
    const v = computed[key] ?? computed[key.toLowerCase()];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const port = Number(m[3] ?? first('Port') ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SshError('bad-target', `'${spec}': port must be 1–65535`);
  const identities = options.identity ? [options.identity] : list('IdentityFile');
  const defaults = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => path.join(os.homedir(), '.ssh', f));
  return {
    spec,
    host,
    hostname: first('HostName') ?? host,
    port,
    user: m[1] ?? first('User') ?? os.userInfo().username,
    identityFiles: (identities.length ? identities : defaults).map(expand),
  };
}
