import * as vscode from 'vscode';
import { isModelError } from '../core/errors';
import type { Plan } from '../core/plan/plan';
import { PlanError } from '../core/plan/planError';
import { modelView } from '../core/view/modelView';
import { planView } from '../core/view/planView';
import { isFromWebview, PROTOCOL_VERSION, type FromWebview, type MeasuredRun, type PlanSettings, type ToWebview } from '../protocol';
import type { ModelDocument } from './modelDocument';
import { planFor } from './planRequest';
import { planChoices, rememberSettings, sameSettings } from './settings';

export interface SessionEvents {
  onPlan(session: PlanSession): void;
  onExport(session: PlanSession, kind: 'report' | 'trace' | 'json'): void;
  log(line: string): void;
}

/** One graph panel: its document, its settings and the last plan it showed. */
export class PlanSession implements vscode.Disposable {
  private version = 0;
  private lastPlan: Plan | undefined;
  /** The last deployed run of this model and the settings of the plan it ran. */
  private measured: { readonly run: MeasuredRun; readonly settings: PlanSettings } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly document: ModelDocument,
    readonly panel: vscode.WebviewPanel,
    private settings: PlanSettings,
    private readonly state: vscode.Memento,
    private readonly events: SessionEvents,
  ) {
    this.subscriptions.push(panel.webview.onDidReceiveMessage((m: unknown) => isFromWebview(m) && this.receive(m)));
  }

  get plan(): Plan | undefined {
    return this.lastPlan;
  }

  get currentSettings(): PlanSettings {
    return this.settings;
  }

  /**
   * Plans with new settings and shows the result; returns the plan (or undefined on error).
   * With refreshChoices, the webview also gets the current choices (a device measured meanwhile)
   * and sets its controls to these settings.
   */
  replan(settings: PlanSettings, { refreshChoices = false }: { refreshChoices?: boolean } = {}): Plan | undefined {
    this.settings = settings;
    void rememberSettings(this.state, settings);
    try {
      const started = Date.now();
      const plan = planFor(this.document.fileName, this.document.analysis, settings);
      this.lastPlan = plan;
      this.post({ type: 'plan', plan: planView(plan, settings, ++this.version), ...(refreshChoices ? { choices: planChoices() } : {}) });
      if (this.measured && sameSettings(settings, this.measured.settings)) this.post({ type: 'run', run: this.measured.run });
      this.events.log(`planned ${this.document.fileName} (${settings.jobs} jobs, ${settings.device} → ${settings.server}, ${settings.network}) in ${Date.now() - started} ms`);
      this.events.onPlan(this);
      return plan;
    } catch (e) {
      const message = isModelError(e) || e instanceof PlanError ? e.message : `internal error: ${String(e)}`;
      this.post({ type: 'error', message });
      void vscode.window.showErrorMessage(`EdgeCut: ${message}`);
      return undefined;
    }
  }

  /** A deployed run of this model: drawn over the timeline whenever the plan shown is the one it ran. */
  showRun(run: MeasuredRun, settings: PlanSettings): void {
    this.measured = { run, settings };
    if (this.lastPlan && sameSettings(this.settings, settings)) this.post({ type: 'run', run });
  }

  private receive(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        if (m.protocolVersion !== PROTOCOL_VERSION) this.events.log(`webview speaks protocol ${m.protocolVersion}, host ${PROTOCOL_VERSION}`);
        this.post({
          type: 'init',
          protocolVersion: PROTOCOL_VERSION,
          model: modelView(this.document.analysis, this.document.fileName, this.document.graphOnly, this.document.warnings),
          choices: planChoices(),
          settings: this.settings,
        });
        this.replan(this.settings);
        return;
      case 'replan':
        this.replan(m.settings);
        return;
      case 'export':
        this.events.onExport(this, m.kind);
        return;
    }
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
