import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Plan } from '../core/plan/plan';
import { planJson } from '../core/plan/planJson';
import { planReportHtml } from '../core/report/planReport';
import { planTrace } from '../core/report/trace';
import type { PlanSession } from './planSession';

interface ExportKind {
  readonly suffix: string;
  readonly filters: Record<string, string[]>;
  readonly render: (plan: Plan) => string;
}

const KINDS: Record<'report' | 'trace' | 'json', ExportKind> = {
  report: { suffix: '.plan.html', filters: { 'HTML report': ['html'] }, render: planReportHtml },
  trace: { suffix: '.plan.trace.json', filters: { 'Chrome trace': ['json'] }, render: (p) => JSON.stringify(planTrace(p)) },
  json: { suffix: '.plan.json', filters: { 'Plan JSON': ['json'] }, render: (p) => JSON.stringify(planJson(p), null, 2) },
};

/** Writes the active plan as an HTML report, a Chrome trace or plan JSON, where the user chooses. */
export async function exportPlan(session: PlanSession | undefined, kind: keyof typeof KINDS, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const plan = session?.plan;
  if (!session || !plan) {
    void vscode.window.showWarningMessage('EdgeCut: open a model in the EdgeCut graph view and plan it first.');
    return undefined;
  }
  const k = KINDS[kind];
  const base = session.document.uri.fsPath.replace(/\.onnx$/i, '');
  const uri =
    target ??
    (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(base + k.suffix), filters: k.filters, title: `EdgeCut: export ${kind}` }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(k.render(plan)));
  const open = 'Open';
  void vscode.window.showInformationMessage(`EdgeCut: wrote ${path.basename(uri.fsPath)}`, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('vscode.open', uri);
  });
  return uri;
}
