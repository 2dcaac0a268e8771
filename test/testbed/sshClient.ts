// ssh2 as EdgeCut will use it against the testbed: key auth, the host key checked against a
// known_hosts file, keepalives so a dead link is noticed.
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { hostVerifierFor } from './knownHosts';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  identityFile: string;
  knownHostsFile: string;
  /** ms between keepalives; with keepaliveCountMax unanswered ones the connection errors out. */
  keepaliveInterval?: number;
  keepaliveCountMax?: number;
  readyTimeout?: number;
}

export function sshConnect(t: SshTarget): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({
      host: t.host,
      port: t.port,
      username: t.username,
      privateKey: readFileSync(t.identityFile),
      hostVerifier: hostVerifierFor(t.knownHostsFile, t.host, t.port),
      readyTimeout: t.readyTimeout ?? 10000,
      keepaliveInterval: t.keepaliveInterval ?? 0,
      keepaliveCountMax: t.keepaliveCountMax ?? 3,
    });
  });
}

/** Runs a command; rejects if the connection errors or closes before the command finishes. */
export function sshExec(c: Client, command: string): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const lost = (e?: Error): void => reject(e ?? new Error('connection closed'));
    c.once('error', lost);
    c.once('close', lost);
    const settle = (): void => {
      c.off('error', lost);
      c.off('close', lost);
    };
    c.exec(command, (err, stream) => {
      if (err) {
        settle();
        reject(err);
        return;
      }
      let stdout = '';
      stream.on('data', (b: Buffer) => (stdout += b.toString()));
      stream.stderr.resume();
      stream.on('close', (code: number | null) => {
        settle();
        resolve({ stdout, code: code ?? -1 });
      });
    });
  });
}
