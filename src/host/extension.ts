import * as vscode from 'vscode';

/** Activation registers commands and nothing else; analysis code loads on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('EdgeCut');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('edgecut.inspectModel', async (uri?: vscode.Uri) => {
      const { inspectModelCommand } = await import('./inspectModel');
      await inspectModelCommand(uri, output);
    }),
  );
}

export function deactivate(): void {}
