import * as vscode from 'vscode';
import { isModelError } from '../core/errors';
import type { MeasuredRun, PlanSettings } from '../protocol';
import { ModelDocument } from './modelDocument';
import { PlanSession, type SessionEvents } from './planSession';
import { initialSettings } from './settings';
import { webviewHtml } from './webviewHtml';

export const VIEW_TYPE = 'edgecut.modelView';

/** The read-only custom editor for .onnx files: the layer graph with the plan overlaid. */
export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  private readonly sessions = new Set<PlanSession>();
  /** Settings chosen by "Plan Offloading…" for a file about to open. */
  private readonly pending = new Map<string, PlanSettings>();
  private active: PlanSession | undefined;
  /** The last deployed run per model, for its open panels and the ones opened later. */
  private readonly runs = new Map<string, { readonly run: MeasuredRun; readonly settings: PlanSettings }>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly events: SessionEvents,
  ) {}

  get activeSession(): PlanSession | undefined {
    return this.active;
  }

  sessionFor(uri: vscode.Uri): PlanSession | undefined {
    return [...this.sessions].find((s) => s.document.uri.toString() === uri.toString());
  }

  /** Shows a deployed run in every panel of the model (and in panels opened later). */
  recordRun(uri: vscode.Uri, run: MeasuredRun, settings: PlanSettings): void {
    this.runs.set(uri.toString(), { run, settings });
    for (const s of this.sessions) if (s.document.uri.toString() === uri.toString()) s.showRun(run, settings);
  }

  /**
   * Brings the model's graph forward: an open panel is revealed (and re-planned with `settings`
   * when `replan`), a closed model opens in the graph editor planned with `settings`.
   */
  async show(uri: vscode.Uri, settings: PlanSettings, replan: boolean): Promise<void> {
    const open = this.sessionFor(uri);
    if (open) {
      open.panel.reveal();
      if (replan) open.replan(settings);
      return;
    }
    this.pending.set(uri.toString(), settings);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  }

  async openCustomDocument(uri: vscode.Uri): Promise<ModelDocument> {
    try {
      return await ModelDocument.open(uri);
    } catch (e) {
      const message = isModelError(e) ? e.message : String(e);
      void vscode.window.showErrorMessage(`EdgeCut: cannot open ${uri.fsPath}: ${message}`);
      throw e;
    }
  }

  resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): void {
    const root = this.context.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    const key = document.uri.toString();
    const settings = this.pending.get(key) ?? initialSettings(this.context.workspaceState);
    this.pending.delete(key);
    const session = new PlanSession(document, panel, settings, this.context.workspaceState, this.events);
    this.sessions.add(session);
    const measured = this.runs.get(key);
    if (measured) session.showRun(measured.run, measured.settings);
    this.active = session;
    panel.onDidChangeViewState(() => {
      if (panel.active) {
        this.active = session;
        this.events.onPlan(session);
      }
    });
    panel.onDidDispose(() => {
      this.sessions.delete(session);
      if (this.active === session) this.active = undefined;
      session.dispose();
      this.events.onPlan(session);
    });
    panel.webview.html = webviewHtml(panel.webview, root);
  }
}
