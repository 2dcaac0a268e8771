import * as vscode from 'vscode';
import { SshError } from '../node/ssh/sshError';
import { SshSession, type SessionOptions } from '../node/ssh/sshSession';
import { resolveTarget } from '../node/ssh/sshTarget';

/** SSH settings a command may be given (tests script them; users get the defaults). */
export interface SshSettings {
  readonly identity?: string;
  readonly knownHosts?: string;
  readonly acceptNewHostKey?: boolean;
}

/** Session options from SSH settings: one known_hosts file when given, and the output log. */
export function sessionOptions(o: SshSettings, log: (line: string) => void) {
  return { identity: o.identity, knownHosts: o.knownHosts ? [o.knownHosts] : undefined, acceptNewHostKey: o.acceptNewHostKey, log };
}

/** What one attempt may use: a new host key only once the user trusted it, and a password. */
export interface SshCredentials {
  readonly acceptNewHostKey: boolean;
  readonly password?: string;
}

/**
 * Runs ATTEMPT against HOST until it stops failing for a reason the user can fix here. An unknown
 * host key is shown with its fingerprint and trusted only explicitly; refused keys ask for a
 * password, kept in SecretStorage once it worked (never in settings or logs). A changed key and
 * every other error propagate. Resolves to undefined when the user declined.
 */
export async function withSshPrompts<T>(
  secrets: vscode.SecretStorage,
  host: string,
  acceptNewHostKey: boolean,
  attempt: (c: SshCredentials) => PromiseLike<T>,
): Promise<{ readonly value: T; readonly password?: string } | undefined> {
  const secretKey = `edgecut.password.${host}`;
  let password = await secrets.get(secretKey);
  let accept = acceptNewHostKey;
  for (let tries = 0; tries < 3; tries++) {
    try {
      const value = await attempt({ acceptNewHostKey: accept, password });
      if (password) await secrets.store(secretKey, password);
      return { value, password };
    } catch (e) {
      if (e instanceof SshError && e.reason === 'host-key-unknown' && !accept) {
        if (!(await trustHostKey(host, e))) return undefined;
        accept = true;
        continue;
      }
      if (e instanceof SshError && e.reason === 'auth-failed') {
        password = await vscode.window.showInputBox({ title: `EdgeCut: password for ${host}`, password: true, ignoreFocusOut: true, prompt: 'Key authentication failed; the password is kept in VS Code SecretStorage.' });
        if (!password) return undefined;
        continue;
      }
      throw e;
    }
  }
  return undefined;
}

async function trustHostKey(host: string, e: SshError): Promise<boolean> {
  const trust = 'Trust and Connect';
  const fp = /SHA256:\S+/.exec(e.message)?.[0] ?? '';
  const choice = await vscode.window.showWarningMessage(
    `EdgeCut: ${host} is not a known host.`,
    { modal: true, detail: `Its host key fingerprint is\n${fp}\n\nCompare it with the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before trusting it.` },
    trust,
  );
  return choice === trust;
}

/**
 * Connects to each host once, asking what withSshPrompts asks, before work that talks to both:
 * a key is trusted for the host the user saw, and each host gets only its own password.
 * Undefined when the user declined.
 */
export async function connectHosts<R extends string>(
  secrets: vscode.SecretStorage,
  hosts: Readonly<Record<R, string>>,
  o: SessionOptions & { readonly identity?: string; readonly signal?: AbortSignal },
  progress: (message: string) => void,
): Promise<Partial<Record<R, string>> | undefined> {
  const passwords: Partial<Record<R, string>> = {};
  for (const [role, host] of Object.entries(hosts) as [R, string][]) {
    if (o.signal?.aborted) throw new SshError('cancelled', 'cancelled');
    progress(`connecting to ${host}`);
    const r = await withSshPrompts(secrets, host, o.acceptNewHostKey ?? false, async (c) => (await SshSession.open(resolveTarget(host, o), { ...o, ...c })).close());
    if (!r) return undefined;
    if (r.password) passwords[role] = r.password;
  }
  return passwords;
}
