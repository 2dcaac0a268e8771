import * as vscode from 'vscode';
import { BUILTIN_DEVICES, BUILTIN_NETWORKS, BUILTIN_SERVERS } from '../core/profiles/builtins';
import type { PlanChoices, PlanSettings } from '../protocol';

const REMEMBERED = 'edgecut.lastPlanSettings';

/** Device profiles measured from this window (kept in the extension's global storage). */
export interface MeasuredProfileRef {
  readonly host: string;
  readonly model: string;
  readonly file: string;
  readonly wholeModelMs: number;
  readonly arch: string;
  readonly at: string;
}

let measured: MeasuredProfileRef[] = [];

export function setMeasuredProfiles(list: readonly MeasuredProfileRef[]): void {
  measured = [...list];
}

export function measuredProfiles(): readonly MeasuredProfileRef[] {
  return measured;
}

interface CustomNetwork {
  readonly upMbps: number;
  readonly downMbps: number;
  readonly rttMs: number;
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('edgecut');
}

/** Networks from the settings (`edgecut.customNetworks`), validated loosely. */
export function customNetworks(): Record<string, CustomNetwork> {
  const raw = config().get<Record<string, Partial<CustomNetwork>>>('customNetworks') ?? {};
  const out: Record<string, CustomNetwork> = {};
  for (const [name, n] of Object.entries(raw)) {
    if ((n.upMbps ?? 0) > 0 && (n.downMbps ?? 0) > 0) out[name] = { upMbps: n.upMbps as number, downMbps: n.downMbps as number, rttMs: n.rttMs ?? 0 };
  }
  return out;
}

export function planChoices(): PlanChoices {
  const networks = [
    ...Object.entries(BUILTIN_NETWORKS).map(([name, n]) => ({ name, upMbps: n.upMbps, downMbps: n.downMbps, rttMs: n.rttMs })),
    ...Object.entries(customNetworks()).map(([name, n]) => ({ name, ...n })),
  ];
  const measured = measuredProfiles().map((p) => ({ id: p.file, label: `${p.host} (measured, ${p.model})` }));
  return { devices: [...Object.keys(BUILTIN_DEVICES).map((id) => ({ id, label: id })), ...measured], servers: Object.keys(BUILTIN_SERVERS), networks };
}

/** Settings for a new plan: the workspace's last choice, else the configured defaults. */
export function initialSettings(state: vscode.Memento): PlanSettings {
  const last = state.get<PlanSettings>(REMEMBERED);
  if (last) return last;
  const c = config();
  return {
    device: c.get<string>('defaultDevice') ?? 'rpi4',
    server: c.get<string>('defaultServer') ?? 'gtx1080',
    network: c.get<string>('defaultNetwork') ?? '4g',
    jobs: c.get<number>('defaultJobs') ?? 8,
  };
}

export function rememberSettings(state: vscode.Memento, settings: PlanSettings): Thenable<void> {
  return state.update(REMEMBERED, settings);
}

/** Whether two plans were made with the same settings (a deployed run fits only its own plan). */
export function sameSettings(a: PlanSettings, b: PlanSettings): boolean {
  return a.device === b.device && a.server === b.server && a.network === b.network && a.jobs === b.jobs && JSON.stringify(a.custom ?? null) === JSON.stringify(b.custom ?? null);
}

/** Where the device reaches the deployed server: `edgecut.deploy.serverAddress` (empty: the server's SSH host name) and `.port`. */
export function deploySettings(): { readonly serverAddress?: string; readonly port: number } {
  const c = config();
  const address = c.get<string>('deploy.serverAddress')?.trim();
  return { ...(address ? { serverAddress: address } : {}), port: c.get<number>('deploy.port') ?? 8000 };
}
