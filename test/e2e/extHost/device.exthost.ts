// "EdgeCut: Profile on Device…" against the testbed's device (sshd in a network namespace), called
// the scriptable way: edgecut.profileOnDevice(uri, host, options); then "EdgeCut: Deploy…" and
// "EdgeCut: Stop Deployment" onto its device and server the same way. The runner (test/e2e/run.mjs)
// starts the testbed and names it in config.json; without it (not root) the suite is skipped.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlanJson } from '../../../src/core/plan/planJson';
import type { DeployCommandResult } from '../../../src/host/deployCommand';
import type { DeviceProfileJson } from '../../../src/node/profile/profileDevice';

interface TestbedInfo {
  readonly device: { readonly host: string; readonly port: number };
  readonly server: { readonly host: string; readonly port: number; readonly peerAddressFromOther: string };
  readonly user: string;
  readonly identityFile: string;
  readonly knownHostsFile: string;
}

interface DeviceConfig {
  readonly testbed?: TestbedInfo;
  readonly sshConfigHost?: string;
  readonly skip?: string;
}

interface DeviceRow {
  readonly host: string;
  readonly source: 'ssh-config' | 'added';
  readonly status?: string;
  readonly description?: string;
}

function deviceConfig(): DeviceConfig {
  const file = path.join(__dirname, 'config.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { device?: DeviceConfig }).device ?? { skip: 'config.json names no device' };
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** A shell command on the testbed's server, over the OpenSSH client (not EdgeCut's own SSH). */
function onServer(tb: TestbedInfo, script: string): string {
  const args = ['-F', '/dev/null', '-i', tb.identityFile, '-p', String(tb.server.port), '-o', `UserKnownHostsFile=${tb.knownHostsFile}`, '-o', 'BatchMode=yes'];
  return execFileSync('ssh', [...args, `${tb.user}@${tb.server.host}`, script], { encoding: 'utf8', timeout: 20000 }).trim();
}

/** Whether the deployed server answers its health check (from here: the root namespace reaches the server directly). */
async function serverReady(tb: TestbedInfo, port = 8000): Promise<boolean> {
  return fetch(`http://${tb.server.host}:${port}/v2/health/ready`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
}

const rows = async (): Promise<DeviceRow[]> => (await vscode.commands.executeCommand<DeviceRow[]>('edgecut.debug.devices')) ?? [];

describe('EdgeCut device profiling in the extension host (testbed)', function () {
  this.timeout(120000);
  const config = deviceConfig();
  const tb = config.testbed;
  const spec = tb ? `${tb.user}@${tb.device.host}:${tb.device.port}` : '';

  before(function () {
    if (!tb) {
      console.log(`device profiling skipped: ${config.skip ?? 'no testbed'}`);
      this.skip();
    }
  });

  it('edgecut.profileOnDevice(resnet18.onnx, user@host:port, options) resolves to a measured profile of 31 layers', async () => {
    assert.ok(tb);
    const uri = workspaceFile('resnet18.onnx');
    const profile = await vscode.commands.executeCommand<DeviceProfileJson | undefined>('edgecut.profileOnDevice', uri, spec, {
      knownHosts: tb.knownHostsFile,
      identity: tb.identityFile,
      runs: 2,
      warmup: 1,
      loads: [0],
    });
    assert.ok(profile && typeof profile === 'object', `returned ${JSON.stringify(profile)} (the EdgeCut log says why)`);
    assert.equal(profile.kind, 'measured');
    assert.equal(profile.layerCount, 31);
    assert.equal(profile.layers.length, 31);
    assert.equal(profile.model, 'resnet18.onnx');
    assert.equal(profile.facts.arch, os.arch());
    assert.ok(profile.wholeModelMs.median > 0, `wholeModelMs ${JSON.stringify(profile.wholeModelMs)}`);
    assert.ok(profile.layers.filter((l) => l.ms > 0).length >= 29, 'every computing layer was timed');
    assert.deepEqual(profile.loads.map((l) => l.load), [0]);
  });

  it('the Devices view lists the host with its architecture, last profile and status', async () => {
    const row = (await rows()).find((r) => r.host === spec);
    assert.ok(row, `no row for ${spec} in ${JSON.stringify(await rows())}`);
    assert.ok((row.description ?? '').split(/[\s·]+/).includes(os.arch()), `description "${row.description}" does not name ${os.arch()}`);
    assert.match(row.description ?? '', /resnet18\.onnx \d+(\.\d+)? ms/);
    assert.equal(row.status, 'reachable');
  });

  it('the Devices view lists the Host of ~/.ssh/config', async () => {
    const row = (await rows()).find((r) => r.host === config.sshConfigHost);
    assert.ok(row, `no row for ${config.sshConfigHost} in ${JSON.stringify(await rows())}`);
    assert.equal(row.source, 'ssh-config');
  });

  it('a changed host key is refused without a prompt, and the Devices view shows the error', async () => {
    assert.ok(tb);
    // known_hosts names the device with another key: refused always (no "Trust" offered), like OpenSSH.
    const other = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x ?? '';
    const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(Buffer.from(other, 'base64url'))]);
    const token = tb.device.port === 22 ? tb.device.host : `[${tb.device.host}]:${tb.device.port}`;
    const knownHosts = path.join(os.tmpdir(), `edgecut-e2e-changed-${process.pid}`);
    fs.writeFileSync(knownHosts, `${token} ssh-ed25519 ${blob.toString('base64')}\n`);
    try {
      const t0 = Date.now();
      const profile = await vscode.commands.executeCommand<unknown>('edgecut.profileOnDevice', workspaceFile('resnet18.onnx'), spec, { knownHosts, identity: tb.identityFile, acceptNewHostKey: true, runs: 1, warmup: 0, loads: [0] });
      assert.equal(profile, undefined);
      assert.ok(Date.now() - t0 < 20000, 'it returned without waiting for an answer');
    } finally {
      fs.rmSync(knownHosts, { force: true });
    }
    const row = (await rows()).find((r) => r.host === spec);
    assert.equal(row?.status, 'error: host-key-changed');
    assert.match(row?.description ?? '', new RegExp(`^${os.arch()} · resnet18\\.onnx .* · error: host-key-changed$`));
  });

  // Deploy squeezenet (resnet18 here is graph only: no weights to split) to the testbed.
  const hosts = () => (tb ? { device: spec, server: `${tb.user}@${tb.server.host}:${tb.server.port}`, identity: tb.identityFile, knownHosts: tb.knownHostsFile } : {});
  const deployDir = (): string[] => onServer(tb as TestbedInfo, 'ls "$HOME/.edgecut/deploy" 2>/dev/null || true').split('\n').filter(Boolean).sort();
  const squeezenet = (ctx: Mocha.Context): vscode.Uri => {
    const uri = workspaceFile('squeezenet1_1.onnx');
    if (!fs.existsSync(uri.fsPath)) {
      console.log('deploy skipped: squeezenet1_1.onnx is not in the workspace (the runner copies it from the shared models)');
      ctx.skip();
    }
    return uri;
  };
  const planned = { device: 'rpi4', server: 'gtx1080', network: 'wifi', jobs: 4 };
  let deployed: DeployCommandResult | undefined;

  it('edgecut.deploy(squeezenet1_1.onnx, options) deploys the plan and resolves to its smoke test: every planned job, once, and a makespan', async function () {
    assert.ok(tb);
    const uri = squeezenet(this);
    const r = await vscode.commands.executeCommand<DeployCommandResult | undefined>('edgecut.deploy', uri, { ...hosts(), strategy: 'JPS', plan: planned, serverAddress: tb.server.peerAddressFromOther, port: 8000 });
    assert.ok(r?.report, `returned ${JSON.stringify(r)?.slice(0, 300)} (the EdgeCut log says why)`);
    deployed = r;
    const plan = await vscode.commands.executeCommand<PlanJson | undefined>('edgecut.planOffloading', uri, planned);
    assert.equal(r.strategy, 'JPS');
    assert.equal(r.plannedJobs, 4);
    assert.equal(plan?.strategies.JPS.schedule.length, 4, "the bundle's jobs are the plan's");
    assert.equal(r.report.jobs.length, r.plannedJobs);
    assert.equal(r.report.duplicates, 0);
    assert.ok(r.report.makespanMs > 0, `makespan ${r.report.makespanMs}`);
    assert.ok(Math.abs(r.predictedMakespanMs - (plan?.strategies.JPS.makespanMs ?? NaN)) < 1e-6, `predicted ${r.predictedMakespanMs} vs the plan's ${plan?.strategies.JPS.makespanMs}`);
    assert.ok(r.report.verified && r.report.verified.maxRelativeDifference <= 1e-4, `outputs ${JSON.stringify(r.report.verified)}`);
    assert.equal(onServer(tb, 'readlink "$HOME/.edgecut/deploy/current"'), r.id);
    const serves = r.report.jobs.some((j) => j.planned !== 'local');
    assert.equal(await serverReady(tb), serves, serves ? 'the deployed server answers' : 'an all-local plan starts no server');
  });

  it('a deploy whose server port the device cannot reach fails with a clear error and leaves the previous deployment running', async function () {
    const uri = squeezenet(this);
    assert.ok(tb && deployed);
    const before = deployDir();
    // The delay proxy carries only ports 8000–9000 to the server; CO needs the server for every job.
    const call = vscode.commands.executeCommand('edgecut.deploy', uri, { ...hosts(), strategy: 'CO', plan: planned, serverAddress: tb.server.peerAddressFromOther, port: 9999 });
    await assert.rejects(Promise.resolve(call), (e: Error) => {
      assert.match(e.message, /did not become ready within 30 s as seen from the device/);
      return true;
    });
    assert.deepEqual(deployDir(), before, 'the failed deploy left nothing of its own');
    assert.equal(onServer(tb, 'readlink "$HOME/.edgecut/deploy/current"'), deployed.id);
    const serves = deployed.report?.jobs.some((j) => j.planned !== 'local') ?? false;
    assert.equal(await serverReady(tb), serves, 'the previous server runs again (if it had one)');
  });

  it('edgecut.undeploy(options) stops the server and removes the deployment from both hosts', async function () {
    squeezenet(this);
    assert.ok(tb && deployed);
    const r = await vscode.commands.executeCommand<{ stopped: boolean } | undefined>('edgecut.undeploy', hosts());
    const serves = deployed.report?.jobs.some((j) => j.planned !== 'local') ?? false;
    assert.deepEqual(r, { stopped: serves });
    assert.deepEqual(deployDir(), []);
    assert.equal(await serverReady(tb), false, 'no server answers any more');
  });
});
