import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEPLOY_STRATEGIES, jobKind, jobMix } from '../core/bundle/manifest';
import { isModelError } from '../core/errors';
import { fmtMs } from '../core/format';
import type { Plan } from '../core/plan/plan';
import { PlanError } from '../core/plan/planError';
import { planJson } from '../core/plan/planJson';
import { runComparison, runView } from '../core/view/runView';
import { deployTable } from '../core/deploy/deployTable';
import { smokeProblems } from '../core/deploy/runReport';
import type { DeployResult } from '../node/deploy/deploy';
import { deployPlan } from '../node/deploy/deployPlan';
import { SshError } from '../node/ssh/sshError';
import type { PlanSettings, StrategyKey } from '../protocol';
import type { DeviceRegistry } from './devices';
import { ModelDocument } from './modelDocument';
import type { ModelEditorProvider } from './modelEditorProvider';
import { isCommandOptions } from './planCommand';
import { planFor } from './planRequest';
import { pickHost } from './pickHost';
import { pickModel } from './pickModel';
import { deploySettings, initialSettings } from './settings';
import { connectHosts, sessionOptions, type SshSettings } from './sshPrompts';

/** Options that make "Deploy…" scriptable (tests): no pickers, and a failure rejects. */
export interface DeployCommandOptions extends SshSettings {
  readonly device?: string;
  readonly server?: string;
  readonly strategy?: StrategyKey;
  /** Default: `edgecut.deploy.serverAddress`, else the server's SSH host name. */
  readonly serverAddress?: string;
  /** Default: `edgecut.deploy.port`. */
  readonly port?: number;
  /** Smoke-test jobs (default: the plan's). */
  readonly jobs?: number;
  /** Plan with these settings (over the workspace's last ones) instead of the open panel's plan. */
  readonly plan?: Partial<PlanSettings>;
}

/** What the command resolves to: deploy's result, the strategy, and the plan's job count and makespan. */
export type DeployCommandResult = DeployResult & { readonly strategy: StrategyKey; readonly plannedJobs: number; readonly predictedMakespanMs: number };

/** The hosts of the last deployment (for "Stop Deployment" and the pickers' first row). */
export const LAST_DEPLOYMENT = 'edgecut.lastDeployment';
export interface LastDeployment {
  readonly device: string;
  readonly server: string;
}

/** deploy's result with the plan's job count and the order the device runs the plan's jobs in. */
type Deployed = DeployResult & { readonly plannedJobs: number; readonly order: readonly number[] };

interface Target {
  readonly doc: ModelDocument;
  readonly plan: Plan;
  readonly settings: PlanSettings;
  readonly strategy: StrategyKey;
  readonly device: string;
  readonly server: string;
}

/**
 * "EdgeCut: Deploy…": the open model's current plan (measured profiles included) → pick a
 * strategy, the device and the server → bundle, upload, start, smoke-test, with progress and
 * cancel (deploy() rolls back, so a cancel or a failure leaves both hosts as they were). The
 * measured run goes to the Output channel as a table and onto the model's timeline.
 */
export async function deployCommand(
  context: vscode.ExtensionContext,
  registry: DeviceRegistry,
  provider: ModelEditorProvider,
  log: (line: string) => void,
  uri?: unknown,
  options?: unknown,
): Promise<DeployCommandResult | undefined> {
  const scripted = isCommandOptions<DeployCommandOptions>(options);
  const o: DeployCommandOptions = scripted ? options : {};
  const model = uri instanceof vscode.Uri ? uri : (provider.activeSession?.document.uri ?? (await pickModel('EdgeCut: Deploy', 'Model to deploy')));
  if (!model) return undefined;
  let target: Target | undefined;
  try {
    target = await askTarget(context, registry, provider, model, o);
    if (!target) return undefined;
    const r = await withProgress(context, target, o, log);
    if (!r) return undefined;
    return afterDeploy(context, provider, target, r, log);
  } catch (e) {
    const where = target ? ` to ${target.device} · ${target.server}` : '';
    if (e instanceof SshError && e.reason === 'cancelled') {
      log(`deploy${where} cancelled`);
      void vscode.window.showInformationMessage(`EdgeCut: Deploy cancelled; ${target ? `${target.device} and ${target.server} are` : 'the hosts are'} as they were.`);
      return undefined;
    }
    const message = e instanceof SshError || e instanceof PlanError || isModelError(e) ? e.message : String(e);
    log(`deploy${where} failed: ${message}`);
    void vscode.window.showErrorMessage(`EdgeCut: deploy${where} failed: ${message}`);
    if (scripted) throw e;
    return undefined;
  }
}

/** The plan (the open panel's, else one with the workspace's last settings), strategy and hosts. */
async function askTarget(context: vscode.ExtensionContext, registry: DeviceRegistry, provider: ModelEditorProvider, model: vscode.Uri, o: DeployCommandOptions): Promise<Target | undefined> {
  const session = provider.sessionFor(model);
  const doc = session?.document ?? (await ModelDocument.open(model));
  const open = o.plan ? undefined : session?.plan;
  const settings = open && session ? session.currentSettings : { ...initialSettings(context.workspaceState), ...o.plan };
  const plan = open ?? planFor(doc.fileName, doc.analysis, settings);
  const strategy = o.strategy ?? (await pickStrategy(plan));
  if (!strategy) return undefined;
  const last = context.globalState.get<LastDeployment>(LAST_DEPLOYMENT);
  const device = o.device ?? (await pickHost(registry, 'EdgeCut: Deploy (2/3)', 'Device: runs the heads, then the smoke test', last?.device));
  if (!device) return undefined;
  const server = o.server ?? (await pickHost(registry, 'EdgeCut: Deploy (3/3)', 'Server: runs the tails', last?.server));
  if (!server) return undefined;
  return { doc, plan, settings, strategy, device, server };
}

async function pickStrategy(plan: Plan): Promise<StrategyKey | undefined> {
  const m = plan.models[0];
  const items = DEPLOY_STRATEGIES.map((k) => {
    const mix = jobMix(plan.strategies[k].jobs.map((j) => ({ kind: m ? jobKind(m, j.candidate) : 'split' })));
    return { label: k, description: `${fmtMs(plan.strategies[k].makespanMs)} ms predicted`, detail: `${plan.strategies[k].jobs.length} jobs: ${mix}` };
  });
  return (await vscode.window.showQuickPick(items, { title: 'EdgeCut: Deploy (1/3)', placeHolder: 'Strategy to deploy', ignoreFocusOut: true }))?.label as StrategyKey | undefined;
}

function withProgress(context: vscode.ExtensionContext, t: Target, o: DeployCommandOptions, log: (l: string) => void): Thenable<Deployed | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `EdgeCut: deploying ${t.strategy} of ${t.doc.fileName}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const report = (message: string): void => {
        progress.report({ message });
        log(`deploy: ${message}`);
      };
      const ssh = sessionOptions(o, log);
      const passwords = await connectHosts(context.secrets, { server: t.server, device: t.device }, { ...ssh, signal: abort.signal }, report);
      if (!passwords) return undefined;
      const root = context.extensionUri.fsPath;
      const where = deploySettings();
      const { manifest, ...result } = await deployPlan({
        plan: planJson(t.plan),
        modelFiles: new Map([[t.doc.fileName, t.doc.uri.fsPath]]),
        strategy: t.strategy,
        // The plan's dims: what the model was analysed with, even if the setting changed since.
        dims: t.doc.dims,
        runtimeDir: path.join(root, 'dist', 'runtime'),
        extensionRoot: root,
        device: t.device,
        server: t.server,
        serverAddress: o.serverAddress ?? where.serverAddress,
        port: o.port ?? where.port,
        jobs: o.jobs,
        passwords,
        signal: abort.signal,
        progress: report,
        ...ssh,
      });
      // The device numbers run jobs in the order it started them; the manifest maps them to the plan's.
      return { ...result, plannedJobs: manifest.jobs.length, order: manifest.jobs.map((j) => j.job) };
    },
  );
}

async function afterDeploy(context: vscode.ExtensionContext, provider: ModelEditorProvider, t: Target, r: Deployed, log: (l: string) => void): Promise<DeployCommandResult> {
  const predictedMakespanMs = t.plan.strategies[t.strategy].makespanMs;
  await context.globalState.update(LAST_DEPLOYMENT, { device: t.device, server: t.server } satisfies LastDeployment);
  log(`deployed ${r.id} (${t.strategy} of ${t.doc.fileName}) to ${t.device}, server ${r.serverUrl}\n${r.report ? deployTable(r.report, predictedMakespanMs) : 'no smoke test (jobs: 0)'}`);
  const { order, ...result } = r;
  const deployed = `Deployed ${t.strategy} to ${t.device} · ${t.server}`;
  if (!r.report) {
    void vscode.window.showInformationMessage(`EdgeCut: ${deployed} (no smoke test).`);
    return { ...result, strategy: t.strategy, predictedMakespanMs };
  }
  const run = runView(r.id, t.strategy, r.report, order);
  provider.recordRun(t.doc.uri, run, t.settings);
  const fallbacks = run.jobs.filter((j) => j.fallback !== undefined).length;
  const problems = [...smokeProblems(r.report), ...(fallbacks ? [`${fallbacks} job(s) fell back to the device`] : [])];
  const text = `EdgeCut: ${deployed}: ${runComparison(run)}${problems.length ? ` — ${problems.join('; ')}` : ''}`;
  const show = 'Show Timeline';
  const shown = problems.length ? vscode.window.showWarningMessage(text, show) : vscode.window.showInformationMessage(text, show);
  void shown.then((choice) => (choice === show ? provider.show(t.doc.uri, t.settings, false) : undefined));
  return { ...result, strategy: t.strategy, predictedMakespanMs };
}
