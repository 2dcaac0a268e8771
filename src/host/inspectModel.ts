import * as vscode from 'vscode';
import { analyzeModel } from '../core/analysis';
import { isModelError } from '../core/errors';
import { inspectJson } from '../core/inspectReport';
import { renderInspect } from '../cli/inspectCommand';
import { loadModelFile } from '../node/modelFile';

/** "EdgeCut: Inspect Model": the layer table of a model, in the EdgeCut output channel. */
export async function inspectModelCommand(uri: vscode.Uri | undefined, output: vscode.OutputChannel): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target || target.scheme !== 'file') {
    void vscode.window.showErrorMessage('EdgeCut: choose an .onnx file in the explorer to inspect.');
    return;
  }
  try {
    const loaded = await loadModelFile(target.fsPath);
    const report = inspectJson(analyzeModel(loaded.model), target.fsPath, loaded.graphOnly, loaded.warnings);
    output.appendLine(renderInspect(report));
    for (const w of report.warnings) output.appendLine(`warning: ${w}`);
    output.show(true);
  } catch (e) {
    const message = isModelError(e) ? e.message : `internal error: ${String(e)}`;
    void vscode.window.showErrorMessage(`EdgeCut: ${message}`);
  }
}
