import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { addHostKey, checkHostKey, hostToken } from './knownHosts';
import { SshError } from './sshError';
import type { SshTarget } from './sshTarget';

export interface SessionOptions {
  /** known_hosts files to check (default ~/.ssh/known_hosts); the first is written by accept-new. */
  readonly knownHosts?: readonly string[];
  /** Record an unknown host's key instead of refusing (StrictHostKeyChecking=accept-new). */
  readonly acceptNewHostKey?: boolean;
  /** Asked for a key passphrase or a password; never stored. */
  readonly prompt?: (question: string, secret: boolean) => Promise<string | undefined>;
  readonly readyTimeoutMs?: number;
  /** A password for password authentication (asked for by the caller; never stored here). */
  readonly password?: string;
  readonly log?: (line: string) => void;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** One SSH connection: run commands, copy files; host keys always checked. */
export class SshSession {
  private constructor(
    readonly target: SshTarget,
    private readonly client: Client,
  ) {}

  /**
   * Connects with the agent and the identity file; when the host refuses them and a prompt is
   * given, asks for the password once and connects again with it (as ssh does). The password is
   * used for this connection only: never logged, never stored here.
   */
  static async open(target: SshTarget, options: SessionOptions = {}): Promise<SshSession> {
    try {
      return await SshSession.connect(target, options);
    } catch (e) {
      if (!(e instanceof SshError) || e.reason !== 'auth-failed' || options.password !== undefined || !options.prompt) throw e;
      const password = await options.prompt(`Password for ${target.user}@${target.hostname}`, true);
      if (!password) throw e;
      return SshSession.connect(target, { ...options, password });
    }
  }

  private static async connect(target: SshTarget, options: SessionOptions): Promise<SshSession> {
    const files = options.knownHosts ?? [path.join(os.homedir(), '.ssh', 'known_hosts')];
    let refusal: SshError | undefined;
    const client = new Client();
    const config: ConnectConfig = {
      host: target.hostname,
      port: target.port,
      username: target.user,
      readyTimeout: options.readyTimeoutMs ?? 15000,
      keepaliveInterval: 5000,
      keepaliveCountMax: 3,
      agent: process.env.SSH_AUTH_SOCK,
      password: options.password,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(files, target.host, target.port, key);
        if (verdict.kind === 'match') return true;
        if (verdict.kind === 'changed') {
          refusal = new SshError(
            'host-key-changed',
            `the host key of ${hostToken(target.host, target.port)} has CHANGED: it now presents ${verdict.fingerprint}, known_hosts has ${verdict.known.join(', ')}. Someone may be intercepting the connection; if the device was reinstalled, remove its old line from ${files[0]} and connect again`,
          );
          return false;
        }
        if (options.acceptNewHostKey) {
          addHostKey(files[0] as string, target.host, target.port, key);
          options.log?.(`recorded new host key ${verdict.fingerprint} for ${hostToken(target.host, target.port)} in ${files[0]}`);
          return true;
        }
        refusal = new SshError(
          'host-key-unknown',
          `${hostToken(target.host, target.port)} is not in ${files.join(', ')}: its host key is ${verdict.fingerprint}. Check the fingerprint on the device, then connect once with --accept-new-host-key (or add it with ssh-keyscan)`,
        );
        return false;
      },
    };
    const key = await firstPrivateKey(target, options);
    if (key) Object.assign(config, key);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (e: Error & { level?: string; code?: string }) => reject(refusal ?? connectError(target, e, options.password !== undefined)));
      client.connect(config);
    });
    return new SshSession(target, client);
  }

  /**
   * Runs a command. With `heartbeatMs`, a newline is written to its stdin that often, so a
   * remote process that watches stdin (the agent) can exit when the heartbeat stops: over a
   * dead link sshd may never notice, but the agent will.
   */
  exec(command: string, onStdout?: (chunk: string) => void, signal?: AbortSignal, heartbeatMs?: number): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new SshError('connection-lost', `cannot run a command on ${this.target.spec}: ${err.message}`));
        let stdout = '';
        let stderr = '';
        const beat = heartbeatMs ? setInterval(() => stream.write('\n'), heartbeatMs) : undefined;
        const abort = (): void => {
          stream.close();
          reject(new SshError('cancelled', 'cancelled'));
        };
        signal?.addEventListener('abort', abort, { once: true });
        stream.on('data', (d: Buffer) => {
          stdout += d.toString();
          onStdout?.(d.toString());
        });
        stream.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
        stream.on('close', (code: number | null) => {
          if (beat) clearInterval(beat);
          signal?.removeEventListener('abort', abort);
          if (code === null || code === undefined) reject(new SshError('connection-lost', `the connection to ${this.target.spec} was lost while running a command`));
          else resolve({ stdout, stderr, code });
        });
      });
    });
  }

  /**
   * Copies a local file to a remote path over SFTP. Cancelling ends the transfer at once (the
   * caller removes what was written); `progress` gets bytes sent and the file's size.
   */
  async upload(local: string, remote: string, o: { signal?: AbortSignal; progress?: (sent: number, total: number) => void } = {}): Promise<void> {
    if (o.signal?.aborted) throw new SshError('cancelled', 'cancelled');
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => this.client.sftp((e, s) => (e ? reject(e) : resolve(s))));
    let abort: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        abort = (): void => {
          reject(new SshError('cancelled', 'cancelled'));
          sftp.end();
        };
        o.signal?.addEventListener('abort', abort, { once: true });
        const step = (sent: number, _chunk: number, total: number): void => o.progress?.(sent, total);
        sftp.fastPut(local, remote, { step }, (e) => (e ? reject(new SshError('connection-lost', `upload of ${path.basename(local)} to ${this.target.spec} failed: ${e.message}`)) : resolve()));
      });
    } finally {
      if (abort) o.signal?.removeEventListener('abort', abort);
      sftp.end();
    }
  }

  onClose(listener: () => void): void {
    this.client.once('close', listener);
  }

  close(): void {
    this.client.end();
  }
}

function connectError(target: SshTarget, e: Error & { level?: string; code?: string }, withPassword: boolean): SshError {
  if (e.level === 'client-authentication' && withPassword) {
    return new SshError('auth-failed', `${target.user}@${target.hostname} refused the password (and every key offered): check the user name and the password, or add your public key to the device's authorized_keys`);
  }
  if (e.level === 'client-authentication') {
    return new SshError('auth-failed', `${target.user}@${target.hostname} refused every key offered (agent and ${target.identityFiles.join(', ')}): add your public key to the device's authorized_keys or pass --identity`);
  }
  if (e.level === 'client-timeout' || e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ETIMEDOUT' || e.code === 'ENOTFOUND') {
    return new SshError('unreachable', `cannot reach ${target.hostname}:${target.port} (${e.code ?? e.message}): is the device on, on this network, and running sshd?`);
  }
  return new SshError('connection-lost', `SSH to ${target.spec} failed: ${e.message}`);
}

/** The first identity file that exists, decrypted with a prompted passphrase if needed. */
async function firstPrivateKey(target: SshTarget, options: SessionOptions): Promise<{ privateKey: Buffer; passphrase?: string } | undefined> {
  const file = target.identityFiles.find((f) => existsSync(f));
  if (!file) return undefined;
  const privateKey = readFileSync(file);
  const text = privateKey.toString();
  const encrypted = /ENCRYPTED/.test(text) || (text.includes('OPENSSH PRIVATE KEY') && isOpenSshEncrypted(text));
  if (!encrypted) return { privateKey };
  const passphrase = await options.prompt?.(`Passphrase for ${file}`, true);
  return passphrase === undefined ? undefined : { privateKey, passphrase };
}

/** OpenSSH-format keys name their cipher ("none" when unencrypted) inside the base64 body. */
function isOpenSshEncrypted(pem: string): boolean {
  const body = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (body.toString('latin1', 0, magic.length) !== magic) return false;
  const len = body.readUInt32BE(magic.length);
  return body.toString('latin1', magic.length + 4, magic.length + 4 + len) !== 'none';
}
