import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isModelError } from '../core/errors';
import { profileDevice, type DeviceProfileJson } from '../node/profile/profileDevice';
import { SshError } from '../node/ssh/sshError';
import type { DeviceRegistry } from './devices';
import { ModelDocument } from './modelDocument';
import type { ModelEditorProvider } from './modelEditorProvider';
import { pickModel } from './pickModel';

/** Options that make the command scriptable (tests): no pickers, no trust prompt unless unknown. */
export interface ProfileCommandOptions {
  readonly knownHosts?: string;
  readonly identity?: string;
  readonly runs?: number;
  readonly warmup?: number;
  readonly loads?: readonly number[];
  readonly acceptNewHostKey?: boolean;
}

/**
 * "EdgeCut: Profile on Device…": measures every layer of a model on a device over SSH, with
 * progress and cancel; a new host key is shown (fingerprint) and must be trusted explicitly;
 * a password, if the device wants one, is kept in SecretStorage, never in settings or logs.
 * The measured profile becomes a device choice and re-plans the open model.
 */
export async function profileOnDeviceCommand(
  context: vscode.ExtensionContext,
  registry: DeviceRegistry,
  provider: ModelEditorProvider,
  log: (line: string) => void,
  uri?: unknown,
  hostArg?: unknown,
  options: ProfileCommandOptions = {},
): Promise<DeviceProfileJson | undefined> {
  const host = typeof hostArg === 'string' ? hostArg : await pickHost(registry);
  if (!host) return undefined;
  const model = uri instanceof vscode.Uri ? uri : (provider.activeSession?.document.uri ?? (await pickModel('EdgeCut: Profile on Device', 'Model to profile')));
  if (!model) return undefined;
  const doc = await ModelDocument.open(model);
  const secretKey = `edgecut.password.${host}`;
  let password = await context.secrets.get(secretKey);
  let accept = options.acceptNewHostKey ?? false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const profile = await withProgress(host, doc, context, { ...options, acceptNewHostKey: accept, password }, log);
      if (!profile) return undefined;
      if (password) await context.secrets.store(secretKey, password);
      await afterProfile(context, registry, provider, host, doc, profile);
      return profile;
    } catch (e) {
      if (e instanceof SshError && e.reason === 'host-key-unknown' && !accept) {
        const trust = 'Trust and Connect';
        const fp = /SHA256:\S+/.exec(e.message)?.[0] ?? '';
        const choice = await vscode.window.showWarningMessage(`EdgeCut: ${host} is not a known host.`, { modal: true, detail: `Its host key fingerprint is\n${fp}\n\nCompare it with the device (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before trusting it.` }, trust);
        if (choice !== trust) return undefined;
        accept = true;
        continue;
      }
      if (e instanceof SshError && e.reason === 'auth-failed') {
        password = await vscode.window.showInputBox({ title: `EdgeCut: password for ${host}`, password: true, ignoreFocusOut: true, prompt: 'Key authentication failed; the password is kept in VS Code SecretStorage.' });
        if (!password) return undefined;
        continue;
      }
      const message = e instanceof SshError || isModelError(e) ? e.message : String(e);
      const cancelled = e instanceof SshError && e.reason === 'cancelled';
      await registry.setStatus(host, cancelled ? 'cancelled' : `error: ${e instanceof SshError ? e.reason : 'failed'}`);
      if (!cancelled) void vscode.window.showErrorMessage(`EdgeCut: profiling on ${host} failed: ${message}`);
      log(`profile on ${host} failed: ${message}`);
      return undefined;
    }
  }
  return undefined;
}

function withProgress(host: string, doc: ModelDocument, context: vscode.ExtensionContext, o: ProfileCommandOptions & { password?: string }, log: (l: string) => void): Thenable<DeviceProfileJson | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `EdgeCut: profiling ${doc.fileName} on ${host}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      const { loadModelFile } = await import('../node/modelFile');
      const loaded = await loadModelFile(doc.uri.fsPath);
      return profileDevice(loaded, doc.analysis, {
        host,
        identity: o.identity,
        knownHosts: o.knownHosts ? [o.knownHosts] : undefined,
        acceptNewHostKey: o.acceptNewHostKey,
        password: o.password,
        runs: o.runs ?? 20,
        warmup: o.warmup ?? 3,
        loads: o.loads ?? [0, 1, 2],
        extensionRoot: context.extensionUri.fsPath,
        signal: abort.signal,
        log,
        progress: (message, fraction) => {
          const pct = fraction === undefined ? last : Math.round(fraction * 100);
          progress.report({ message, increment: pct - last });
          last = pct;
        },
      });
    },
  );
}

async function afterProfile(context: vscode.ExtensionContext, registry: DeviceRegistry, provider: ModelEditorProvider, host: string, doc: ModelDocument, profile: DeviceProfileJson): Promise<void> {
  const dir = path.join(context.globalStorageUri.fsPath, 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${host.replace(/[^\w.-]+/g, '_')}-${doc.fileName}.profile.json`);
  writeFileSync(file, JSON.stringify(profile, null, 2));
  // A host given as an argument (a script, the Explorer with a host) joins the Devices view too.
  if (!registry.entries().some((e) => e.host === host)) await registry.add(host);
  await registry.setStatus(host, 'reachable');
  await registry.recordProfile({ host, model: doc.fileName, file, wholeModelMs: profile.wholeModelMs.median, arch: profile.facts.arch, at: new Date().toISOString() });
  const session = provider.sessionFor(doc.uri);
  // The open graph re-plans with the measurement, and its Device control gains the new choice.
  if (session) session.replan({ ...session.currentSettings, device: file }, { refreshChoices: true });
  void vscode.window.showInformationMessage(`EdgeCut: ${doc.fileName} takes ${profile.wholeModelMs.median.toFixed(1)} ms on ${host} (${profile.facts.cpuModel}).`);
}

async function pickHost(registry: DeviceRegistry): Promise<string | undefined> {
  const add = '$(add) Add a device…';
  const items = [...registry.entries().map((e) => ({ label: e.host, description: e.source === 'added' ? 'added' : '~/.ssh/config' })), { label: add, description: 'user@host[:port]' }];
  const pick = await vscode.window.showQuickPick(items, { title: 'EdgeCut: Profile on Device', placeHolder: 'Device to measure' });
  if (!pick) return undefined;
  if (pick.label !== add) return pick.label;
  return addDeviceCommand(registry);
}

export async function addDeviceCommand(registry: DeviceRegistry): Promise<string | undefined> {
  const host = await vscode.window.showInputBox({
    title: 'EdgeCut: Add Device',
    prompt: 'SSH target of the device: user@host[:port], or a Host from ~/.ssh/config',
    placeHolder: 'pi@raspberrypi.local',
    validateInput: (v) => (/^(?:[^@\s]+@)?[^:@\s]+(?::\d+)?$/.test(v.trim()) ? undefined : 'Use user@host[:port]'),
  });
  if (!host) return undefined;
  await registry.add(host.trim());
  return host.trim();
}
