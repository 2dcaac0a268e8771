// Keys, sshd configs and known_hosts files for the two testbed hosts.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { knownHostsName } from './knownHosts';
import { cmd } from './network';

export interface SshdSpec {
  /** 'device' or 'server': names the files in the run's dir. */
  role: string;
  nsName: string;
  port: number;
  /** The addresses it listens on (ListenAddress), each in its own namespace. */
  listen: string[];
  /** HOME of its sessions instead of the user's (TestbedOptions.privateHomes). */
  home?: string;
}

/** An ed25519 key pair without a passphrase; returns the public key line. */
export async function makeKey(file: string, comment: string): Promise<string> {
  await cmd(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

function sshdConfig(dir: string, s: SshdSpec): string {
  return [
    `Port ${s.port}`,
    ...s.listen.map((a) => `ListenAddress ${a}`),
    `HostKey ${path.join(dir, `${s.role}_host_ed25519`)}`,
    `PidFile ${path.join(dir, `sshd_${s.role}.pid`)}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // No PAM: it would consult the host's login setup, which a test must not depend on.
    'UsePAM no',
    // The keys live in a world-readable temp dir; StrictModes would refuse them.
    'StrictModes no',
    'Subsystem sftp internal-sftp',
    // ONNX Runtime phones home by default; the testbed's hosts have no network to do it over.
    // (sshd takes only the first SetEnv line: every variable goes on this one.)
    `SetEnv ORT_DISABLE_TELEMETRY=1${s.home ? ` HOME=${s.home}` : ''}`,
    'PrintMotd no',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/**
 * Starts sshd in its namespace with a private /run (Debian's sshd insists on /run/sshd, and the
 * host's /run must stay untouched). With `enter`, sshd starts through it (the device's cgroup and
 * cores), so sshd and every session it forks are capped from the first instruction.
 */
export async function startSshd(dir: string, s: SshdSpec, enter?: (argv: string[]) => string[]): Promise<ChildProcess> {
  const config = path.join(dir, `sshd_${s.role}_config`);
  await writeFile(config, sshdConfig(dir, s));
  const inner = `mount -t tmpfs -o mode=755 tmpfs /run && mkdir /run/sshd && exec /usr/sbin/sshd -D -e -f '${config}'`;
  const argv = ['ip', 'netns', 'exec', s.nsName, 'unshare', '-m', 'sh', '-c', inner];
  const full = enter ? enter(argv) : argv;
  const child = spawn(full[0] ?? 'ip', full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = createWriteStream(path.join(dir, `sshd_${s.role}.log`));
  child.stderr?.pipe(log);
  await waitForLines(child, /Server listening on \S+ port \d+/g, s.listen.length, `sshd (${s.role})`);
  return child;
}

/** Resolves once `count` matches of `pattern` appeared on the child's stdout+stderr. */
export function waitForLines(child: ChildProcess, pattern: RegExp, count: number, what: string, timeoutMs = 10000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`${what} ${why}; output:\n${seen.slice(-2000)}`));
    };
    const onData = (b: Buffer): void => {
      seen += b.toString();
      if ((seen.match(pattern) ?? []).length >= count) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(`exited with code ${code}`));
  });
}

export interface KnownHost {
  address: string;
  port: number;
  /** `ssh-ed25519 AAAA…` */
  publicKey: string;
}

/** Writes `known_hosts` (plain) and `known_hosts_hashed` (the same entries through `ssh-keygen -H`). */
export async function writeKnownHosts(dir: string, hosts: KnownHost[]): Promise<{ plain: string; hashed: string }> {
  const plain = path.join(dir, 'known_hosts');
  const hashed = path.join(dir, 'known_hosts_hashed');
  const text = hosts.map((h) => `${knownHostsName(h.address, h.port)} ${h.publicKey.split(' ').slice(0, 2).join(' ')}\n`).join('');
  await writeFile(plain, text);
  await writeFile(hashed, text);
  await cmd(['ssh-keygen', '-q', '-H', '-f', hashed]);
  await rm(`${hashed}.old`, { force: true });
  return { plain, hashed };
}
