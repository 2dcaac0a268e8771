import * as vscode from 'vscode';

/** Asks for a .onnx file of the workspace (when a command was not started on one). */
export async function pickModel(title: string, placeHolder: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', 200);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('EdgeCut: no .onnx files in this workspace. Open a folder with a model first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title, placeHolder });
  return pick?.uri;
}
