import * as vscode from 'vscode';
import type { PlanSession } from './planSession';

/** "$(pulse) JPS 1056.9 ms" for the active graph panel; hidden when none is active. */
export class PlanStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('edgecut.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'EdgeCut plan';
    this.item.command = 'edgecut.exportReport';
  }

  show(session: PlanSession | undefined): void {
    const plan = session?.plan;
    if (!session || !plan || !session.panel.visible) {
      this.item.hide();
      return;
    }
    const jps = plan.strategies.JPS.makespanMs;
    const lo = plan.strategies.LO.makespanMs;
    this.item.text = `$(pulse) JPS ${jps.toFixed(1)} ms`;
    this.item.tooltip = new vscode.MarkdownString(
      `**EdgeCut** — ${session.document.fileName} ×${session.currentSettings.jobs} on ${plan.device.name} → ${plan.server.name} over ${plan.link.name}\n\n` +
        `JPS makespan ${jps.toFixed(1)} ms, ${(100 * (1 - jps / lo)).toFixed(1)} % below local-only.\n\nClick to export the HTML report.`,
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
