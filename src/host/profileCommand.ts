import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isModelError } from '../core/errors';
import { profileDevice, type DeviceProfileJson } from '../node/profile/profileDevice';
import { SshError } from '../node/ssh/sshError';
import type { DeviceRegistry } from './devices';
import { ModelDocument } from './modelDocument';
import type { ModelEditorProvider } from './modelEditorProvider';
import { pickHost } from './pickHost';
import { pickModel } from './pickModel';
import { sessionOptions, withSshPrompts, type SshSettings } from './sshPrompts';

/** Options that make the command scriptable (tests): no pickers, no trust prompt unless unknown. */
export interface ProfileCommandOptions extends SshSettings {
  readonly runs?: number;
  readonly warmup?: number;
  readonly loads?: readonly number[];
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
  const host = typeof hostArg === 'string' ? hostArg : await pickHost(registry, 'EdgeCut: Profile on Device', 'Device to measure');
  if (!host) return undefined;
  const model = uri instanceof vscode.Uri ? uri : (provider.activeSession?.document.uri ?? (await pickModel('EdgeCut: Profile on Device', 'Model to profile')));
  if (!model) return undefined;
  const doc = await ModelDocument.open(model);
  try {
    const r = await withSshPrompts(context.secrets, host, options.acceptNewHostKey ?? false, (c) => withProgress(host, doc, context, { ...options, ...c }, log));
    if (!r?.value) return undefined;
    await afterProfile(context, registry, provider, host, doc, r.value);
    return r.value;
  } catch (e) {
    const message = e instanceof SshError || isModelError(e) ? e.message : String(e);
    const cancelled = e instanceof SshError && e.reason === 'cancelled';
    await registry.setStatus(host, cancelled ? 'cancelled' : `error: ${e instanceof SshError ? e.reason : 'failed'}`);
    if (!cancelled) void vscode.window.showErrorMessage(`EdgeCut: profiling on ${host} failed: ${message}`);
    log(`profile on ${host} failed: ${message}`);
    return undefined;
  }
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
        ...sessionOptions(o, log),
        password: o.password,
        runs: o.runs ?? 20,
        warmup: o.warmup ?? 3,
        loads: o.loads ?? [0, 1, 2],
        extensionRoot: context.extensionUri.fsPath,
        signal: abort.signal,
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
