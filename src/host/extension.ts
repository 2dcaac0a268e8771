import * as vscode from 'vscode';
import { deployCommand } from './deployCommand';
import { exportPlan } from './exportCommands';
import { ModelEditorProvider, VIEW_TYPE } from './modelEditorProvider';
import { planOffloadingCommand } from './planCommand';
import { DeviceRegistry } from './devices';
import { addDeviceCommand } from './pickHost';
import { profileOnDeviceCommand } from './profileCommand';
import { PlanStatusBar } from './statusBar';
import { stopDeploymentCommand } from './stopDeploymentCommand';

const loadedAt = performance.now();
let activationMs = 0;

/** Activation registers the editor, commands and status bar; models load when opened. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('EdgeCut', { log: true });
  const status = new PlanStatusBar();
  const devices = new DeviceRegistry(context.globalState);
  const provider = new ModelEditorProvider(context, {
    onPlan: (session) => status.show(provider.activeSession ?? session),
    onExport: (session, kind) => void exportPlan(session, kind),
    log: (line) => output.info(line),
  });
  const command = (id: string, run: (...args: never[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    output,
    status,
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    }),
    command('edgecut.planOffloading', (uri?: unknown, options?: unknown) => planOffloadingCommand(context, provider, uri, options)),
    command('edgecut.exportReport', (target?: vscode.Uri) => exportPlan(provider.activeSession, 'report', target)),
    command('edgecut.exportTrace', (target?: vscode.Uri) => exportPlan(provider.activeSession, 'trace', target)),
    command('edgecut.exportPlanJson', (target?: vscode.Uri) => exportPlan(provider.activeSession, 'json', target)),
    command('edgecut.showOutput', () => output.show()),
    vscode.window.registerTreeDataProvider('edgecut.devices', devices),
    // From the Devices view the first argument is the device entry; from the Explorer, a model URI.
    command('edgecut.profileOnDevice', (first?: unknown, host?: unknown, options?: object) => {
      const entry = typeof first === 'object' && first !== null && 'host' in first ? (first as { host: string }).host : undefined;
      return profileOnDeviceCommand(context, devices, provider, (l) => output.info(l), entry ? undefined : first, entry ?? host, options);
    }),
    command('edgecut.deploy', (uri?: unknown, options?: unknown) => deployCommand(context, devices, provider, (l) => output.info(l), uri, options)),
    command('edgecut.undeploy', (options?: unknown) => stopDeploymentCommand(context, devices, (l) => output.info(l), options)),
    command('edgecut.addDevice', () => addDeviceCommand(devices)),
    command('edgecut.removeDevice', (entry?: { host?: string }) => entry?.host && devices.remove(entry.host)),
    command('edgecut.refreshDevices', () => devices.refresh()),
    command('edgecut.debug.activationMs', () => activationMs),
    // The Devices view's rows as plain data (the e2e suite reads them; a tree view has no DOM API).
    command('edgecut.debug.devices', () => devices.entries().map((e) => ({ host: e.host, source: e.source, status: e.status, description: devices.getTreeItem(e).description }))),
  );
  activationMs = performance.now() - started;
  output.info(`activated in ${activationMs.toFixed(1)} ms (bundle evaluated ${(started - loadedAt).toFixed(1)} ms before)`);
}

export function deactivate(): void {}
