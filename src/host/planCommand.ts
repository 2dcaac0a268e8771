import * as vscode from 'vscode';
import { isModelError } from '../core/errors';
import { PlanError } from '../core/plan/planError';
import { planJson, type PlanJson } from '../core/plan/planJson';
import type { PlanSettings } from '../protocol';
import { ModelDocument } from './modelDocument';
import type { ModelEditorProvider } from './modelEditorProvider';
import { planFor } from './planRequest';
import { initialSettings, planChoices, rememberSettings } from './settings';
import { pickModel } from './pickModel';

/** Options that make "Plan Offloading" scriptable (tests, other extensions): no quick picks. */
export interface PlanOptions {
  readonly device?: string;
  readonly server?: string;
  readonly network?: string;
  readonly jobs?: number;
}

/**
 * "EdgeCut: Plan Offloading…": asks for device, server, network and jobs (remembered per
 * workspace), then opens the model in the graph view with that plan. With `options` it plans
 * without asking and returns the plan as `edgecut plan --json` would print it.
 */
export async function planOffloadingCommand(
  context: vscode.ExtensionContext,
  provider: ModelEditorProvider,
  uri: unknown,
  options: unknown,
): Promise<PlanJson | undefined> {
  const target = uri instanceof vscode.Uri ? uri : await pickModel('EdgeCut: Plan Offloading', 'Model to plan');
  if (!target) return undefined;
  const last = initialSettings(context.workspaceState);
  if (isCommandOptions<PlanOptions>(options)) {
    const settings: PlanSettings = {
      device: options.device ?? last.device,
      server: options.server ?? last.server,
      network: options.network ?? last.network,
      jobs: options.jobs ?? last.jobs,
    };
    try {
      const doc = await ModelDocument.open(target);
      return planJson(planFor(doc.fileName, doc.analysis, settings));
    } catch (e) {
      const message = isModelError(e) || e instanceof PlanError ? e.message : String(e);
      void vscode.window.showErrorMessage(`EdgeCut: ${message}`);
      return undefined;
    }
  }
  const settings = await askSettings(last);
  if (!settings) return undefined;
  await rememberSettings(context.workspaceState, settings);
  await provider.show(target, settings, true);
  return undefined;
}

/** The Explorer calls menu commands as (uri, [selected uris]): only a plain object is options. */
export function isCommandOptions<T extends object>(o: unknown): o is T {
  return typeof o === 'object' && o !== null && !Array.isArray(o) && !(o instanceof vscode.Uri);
}

async function askSettings(last: PlanSettings): Promise<PlanSettings | undefined> {
  const choices = planChoices();
  const pick = async (title: string, placeHolder: string, items: { label: string; description?: string }[], current: string) => {
    const sorted = [...items].sort((a, b) => (a.label === current ? -1 : b.label === current ? 1 : 0));
    return (await vscode.window.showQuickPick(sorted, { title, placeHolder, ignoreFocusOut: true }))?.label;
  };
  const deviceLabel = await pick(
    'EdgeCut: Plan Offloading (1/4)',
    'Device',
    choices.devices.map((d) => ({ label: d.label })),
    choices.devices.find((d) => d.id === last.device)?.label ?? last.device,
  );
  const device = choices.devices.find((d) => d.label === deviceLabel)?.id;
  if (!device) return undefined;
  const server = await pick('EdgeCut: Plan Offloading (2/4)', 'Server', choices.servers.map((s) => ({ label: s })), last.server);
  if (!server) return undefined;
  const network = await pick(
    'EdgeCut: Plan Offloading (3/4)',
    'Network between device and server',
    choices.networks.map((n) => ({ label: n.name, description: `${n.upMbps} Mbit/s up, ${n.downMbps} down, RTT ${n.rttMs} ms` })),
    last.network,
  );
  if (!network) return undefined;
  const jobs = await vscode.window.showInputBox({
    title: 'EdgeCut: Plan Offloading (4/4)',
    prompt: 'Number of inference jobs arriving together',
    value: String(last.jobs),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : 'A whole number from 1 to 1000'),
  });
  if (!jobs) return undefined;
  return { device, server, network, jobs: Number(jobs.trim()) };
}
