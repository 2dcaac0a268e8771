// The extension inside VS Code's real extension host (loaded from the repo as extensionDevelopmentPath).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { PlanJson } from '../../../src/core/plan/planJson';
import { metrics } from './metrics';

const EXTENSION_ID = 'edgecut.edgecut';
const COMMANDS = ['edgecut.planOffloading', 'edgecut.exportReport', 'edgecut.exportTrace', 'edgecut.exportPlanJson'];

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('EdgeCut in the VS Code extension host', function () {
  this.timeout(60000);

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.ok(ext.isActive);
  });

  it('registers planOffloading, exportReport, exportTrace and exportPlanJson', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((c) => !all.has(c));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it("edgecut.debug.activationMs returns the extension's activation time", async () => {
    const ms = await vscode.commands.executeCommand<unknown>('edgecut.debug.activationMs');
    assert.equal(typeof ms, 'number', `returned ${JSON.stringify(ms)}`);
    assert.ok(Number.isFinite(ms) && (ms as number) > 0, `returned ${String(ms)}`);
    metrics.activationMs = ms as number;
  });

  it('vscode.openWith opens resnet18.onnx in the edgecut.modelView custom editor', async () => {
    const uri = workspaceFile('resnet18.onnx');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'edgecut.modelView');
    const input = await until('an active custom-editor tab for resnet18.onnx', () => {
      const i = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return i instanceof vscode.TabInputCustom && i.uri.toString() === uri.toString() ? i : undefined;
    });
    assert.equal(input.viewType, 'edgecut.modelView');
  });

  it('edgecut.planOffloading with options returns the plan (rpi4, gtx1080, wifi, 4 jobs)', async () => {
    const uri = workspaceFile('resnet18.onnx');
    const plan = await vscode.commands.executeCommand<PlanJson | undefined>('edgecut.planOffloading', uri, {
      device: 'rpi4',
      server: 'gtx1080',
      network: 'wifi',
      jobs: 4,
    });
    assert.ok(plan && typeof plan === 'object', `returned ${JSON.stringify(plan)}`);
    const jps = plan.strategies?.JPS?.makespanMs;
    const lo = plan.strategies?.LO?.makespanMs;
    assert.ok(typeof jps === 'number' && jps > 0, `strategies.JPS.makespanMs = ${jps}`);
    assert.ok(typeof lo === 'number' && jps <= lo, `JPS ${jps} ms > LO ${lo} ms`);
    assert.ok(Array.isArray(plan.schedule), 'schedule is not an array');
    assert.equal(plan.schedule.length, 4, 'schedule entries');
    assert.equal(plan.network?.name, 'wifi');
  });

  it('called like the explorer context menu, (uri, [uri]), it asks with quick picks instead of returning a plan', async () => {
    const uri = workspaceFile('resnet18.onnx');
    // VS Code runs explorer/context commands with (resource, selectedResources): the array is not PlanOptions.
    const call = Promise.resolve(vscode.commands.executeCommand<unknown>('edgecut.planOffloading', uri, [uri]));
    const first = await Promise.race([call.then((r) => ({ returned: r })), new Promise<'asking'>((r) => setTimeout(() => r('asking'), 2000))]);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await Promise.race([call, new Promise((r) => setTimeout(r, 5000))]);
    assert.ok(
      first === 'asking',
      `returned ${JSON.stringify(first).slice(0, 120)}… within 2 s without showing the quick picks: the selection array was taken as options`,
    );
  });
});
