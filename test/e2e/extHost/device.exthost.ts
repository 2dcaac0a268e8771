// "EdgeCut: Profile on Device…" against the testbed's device (sshd in a network namespace), called
// the scriptable way: edgecut.profileOnDevice(uri, host, options). The runner (test/e2e/run.mjs)
// starts the testbed and names it in config.json; without it (not root) the suite is skipped.
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeviceProfileJson } from '../../../src/node/profile/profileDevice';

interface TestbedInfo {
  readonly device: { readonly host: string; readonly port: number };
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
});
