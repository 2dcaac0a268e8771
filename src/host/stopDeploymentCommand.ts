import * as vscode from 'vscode';
import { undeploy } from '../node/deploy/deploy';
import { SshError } from '../node/ssh/sshError';
import { LAST_DEPLOYMENT, type LastDeployment } from './deployCommand';
import type { DeviceRegistry } from './devices';
import { isCommandOptions } from './planCommand';
import { pickHost } from './pickHost';
import { connectHosts, sessionOptions, type SshSettings } from './sshPrompts';

/** Options that make "Stop Deployment" scriptable (tests): no pickers, no confirmation; a failure rejects. */
export interface StopDeploymentOptions extends SshSettings {
  readonly device?: string;
  readonly server?: string;
}

/**
 * "EdgeCut: Stop Deployment": stops EdgeCut's server and removes every deployment from the
 * device and the server (the last deployment's hosts are offered first). The hosts keep the
 * runtime EdgeCut provisioned, so the next deploy or profile starts quickly.
 */
export async function stopDeploymentCommand(context: vscode.ExtensionContext, registry: DeviceRegistry, log: (line: string) => void, options?: unknown): Promise<{ stopped: boolean } | undefined> {
  const scripted = isCommandOptions<StopDeploymentOptions>(options);
  const o: StopDeploymentOptions = scripted ? options : {};
  const last = context.globalState.get<LastDeployment>(LAST_DEPLOYMENT);
  const device = o.device ?? (await pickHost(registry, 'EdgeCut: Stop Deployment (1/2)', 'Device the deployment runs on', last?.device));
  if (!device) return undefined;
  const server = o.server ?? (await pickHost(registry, 'EdgeCut: Stop Deployment (2/2)', 'Server the deployment runs on', last?.server));
  if (!server) return undefined;
  if (!scripted) {
    const stop = 'Stop and Remove';
    const detail = `Stops EdgeCut's server on ${server} and removes ~/.edgecut/deploy from ${device} and ${server}. EdgeCut's runtime stays, for the next deploy or profile.`;
    if ((await vscode.window.showWarningMessage('EdgeCut: stop the deployment?', { modal: true, detail }, stop)) !== stop) return undefined;
  }
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `EdgeCut: stopping the deployment on ${device} · ${server}` }, async (progress) => {
      const ssh = sessionOptions(o, log);
      const passwords = await connectHosts(context.secrets, { server, device }, ssh, (message) => progress.report({ message }));
      return passwords && undeploy({ device, server, passwords, ...ssh });
    });
    if (!r) return undefined;
    if (last?.device === device && last.server === server) await context.globalState.update(LAST_DEPLOYMENT, undefined);
    const text = `${r.stopped ? `stopped the server on ${server}` : `no server was running on ${server}`}; removed the deployment from ${device} and ${server}`;
    log(text);
    void vscode.window.showInformationMessage(`EdgeCut: ${text}.`);
    return r;
  } catch (e) {
    const message = e instanceof SshError ? e.message : String(e);
    log(`stopping the deployment on ${device} · ${server} failed: ${message}`);
    void vscode.window.showErrorMessage(`EdgeCut: stopping the deployment on ${device} · ${server} failed: ${message}`);
    if (scripted) throw e;
    return undefined;
  }
}
