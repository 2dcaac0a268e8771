import * as vscode from 'vscode';

/** A fresh nonce per load, for the Content-Security-Policy (hexeditor's practice). */
function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars.charAt(Math.floor(Math.random() * chars.length));
  return out;
}

/** The graph view's HTML: no remote resources; scripts only with the nonce; layout worker from a blob. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const media = (...p: string[]): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p));
  const n = nonce();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${n}'`,
    `connect-src ${webview.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${media('dist', 'codicon.css')}" rel="stylesheet">
<link href="${media('media', 'webview.css')}" rel="stylesheet">
<title>EdgeCut</title>
</head>
<body>
<div id="app" data-layout-worker="${media('dist', 'layoutWorker.js')}"></div>
<script nonce="${n}" src="${media('dist', 'webview.js')}"></script>
</body>
</html>`;
}
