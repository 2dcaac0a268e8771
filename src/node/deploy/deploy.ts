import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BundleManifest } from '../../core/bundle/manifest';
import { provisionAgent, q, type RemoteAgent } from '../profile/provision';
import type { SmokeTest } from '../../core/deploy/runReport';
import { MIN_TIMING_SECONDS, SMOKE_TEST_RUNS } from '../../core/profiles/timingWindow';
import { SshError } from '../ssh/sshError';
import { transferProgress } from '../ssh/transferProgress';
import { SshSession, type SessionOptions } from '../ssh/sshSession';
import { resolveTarget, type TargetOptions } from '../ssh/sshTarget';

/** Passwords by role, each sent only to its own host (asked for by the caller; never stored here). */
export interface HostPasswords {
  readonly passwords?: { readonly device?: string; readonly server?: string };
}

/** SSH options for one of the two hosts: its own password, never the other's. */
const sessionOptions = (o: SessionOptions & HostPasswords, role: 'device' | 'server'): SessionOptions => ({ ...o, password: o.passwords?.[role] ?? o.password });

export interface DeployOptions extends SessionOptions, TargetOptions, HostPasswords {
  /** A bundle written by writeBundle (device/, server/). */
  readonly bundle: string;
  readonly device: string;
  readonly server: string;
  /** The server's address as the device reaches it (default: the server's SSH host name). */
  readonly serverAddress?: string;
  readonly port?: number;
  /** Smoke-test jobs (default: the plan's count; 0 skips the run). */
  readonly jobs?: number;
  /** Where onnxruntime-node and dist/agent come from (provisioning, offline). */
  readonly extensionRoot: string;
  readonly progress?: (message: string) => void;
  readonly signal?: AbortSignal;
}

export interface DeployResult {
  readonly id: string;
  readonly serverUrl: string;
  /** The smoke test: the run with the median makespan of five, and all five makespans. */
  readonly report?: SmokeTest;
}

/** Where a deployment lives on both hosts: ~/.edgecut/deploy/ID, `current` names the live one. */
const ROOT = '.edgecut/deploy';

/**
 * Deploys a bundle: provisions Node's ONNX Runtime on both hosts (offline, as for profiling),
 * uploads each half to a fresh ~/.edgecut/deploy/ID/{device,server}, stops the previous server, starts the new
 * one with a pid file, checks its health from the device, and runs the smoke test there. Any
 * failure removes the new deployment from both hosts and restarts the previous server, so a
 * host is never left half-deployed; `current` moves only when everything passed.
 */
export async function deploy(o: DeployOptions): Promise<DeployResult> {
  const progress = o.progress ?? (() => undefined);
  const id = `d${Date.now().toString(36)}`;
  const port = o.port ?? 8000;
  const serverTarget = resolveTarget(o.server, o);
  const serverAddress = o.serverAddress ?? serverTarget.hostname;
  const serverUrl = `${serverAddress}:${port}`;
  const manifest = JSON.parse(readFileSync(path.join(o.bundle, 'server', 'bundle.json'), 'utf8')) as BundleManifest;
  // A schedule that keeps every job on the device (LO, or PO = LO) needs no server process.
  const needsServer = manifest.cuts.length > 0 || manifest.models.some((m) => m.remote);
  progress(`connecting to ${o.server} and ${o.device}`);
  const server = await SshSession.open(serverTarget, sessionOptions(o, 'server'));
  let device: SshSession | undefined;
  const stage = mkdtempSync(path.join(os.tmpdir(), 'edgecut-deploy-'));
  let previous: string | undefined;
  let started = false;
  try {
    device = await SshSession.open(resolveTarget(o.device, o), sessionOptions(o, 'device'));
    const agents = { server: await provisionAgent(server, o.extensionRoot, progress, o.signal), device: await provisionAgent(device, o.extensionRoot, progress, o.signal) };
    check(o.signal);
    await upload(server, path.join(o.bundle, 'server'), id, stage, o.signal, progress);
    check(o.signal);
    await upload(device, path.join(o.bundle, 'device'), id, stage, o.signal, progress);
    // Flush what the uploads wrote: the kernel's writeback would otherwise steal the CPU from
    // the smoke test seconds later (on a small device, tens of percent of a run).
    await Promise.all([server.exec('sync'), device.exec('sync')]);
    check(o.signal);
    previous = await currentId(server);
    if (previous) {
      progress(`stopping the previous server (${previous})`);
      await stopServer(server);
    }
    if (needsServer) {
      progress(`starting the server on port ${port}`);
      await startServer(server, agents.server, id, port);
      started = true;
      progress(`checking ${serverUrl} from the device`);
      await waitHealthy(device, serverUrl, o.signal);
    } else {
      progress('every job runs on the device: no server to start');
    }
    let report: DeployResult['report'];
    if (o.jobs !== 0) {
      progress(`running ${o.jobs ?? 'the planned'} job(s) on the device`);
      report = await smokeTest(device, agents.device, id, serverUrl, o.jobs, o.signal);
    }
    // Everything passed: this deployment becomes current on both hosts, older ones go.
    for (const ssh of [server, device]) await ssh.exec(`cd ~/${ROOT} && ln -sfn ${q(id)} current && for d in d*; do [ "$d" = ${q(id)} ] || rm -rf "$d"; done`);
    return { id, serverUrl, ...(report ? { report } : {}) };
  } catch (e) {
    progress(`deploy failed: ${e instanceof Error ? e.message : String(e)}; removing ${id} from both hosts`);
    if (started) await stopServer(server).catch(() => undefined);
    for (const ssh of [server, device]) await ssh?.exec(`rm -rf ~/${ROOT}/${q(id)}`).catch(() => undefined);
    if (previous) await server.exec(`sh ~/${ROOT}/${q(previous)}/server/start.sh`).catch(() => undefined);
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
    device?.close();
    server.close();
  }
}

/** Stops the server and removes every deployment from both hosts. */
export async function undeploy(o: SessionOptions & TargetOptions & HostPasswords & { device: string; server: string }): Promise<{ stopped: boolean }> {
  let stopped = false;
  for (const host of [o.server, o.device]) {
    const ssh = await SshSession.open(resolveTarget(host, o), sessionOptions(o, host === o.server ? 'server' : 'device'));
    try {
      if (host === o.server) stopped = await stopServer(ssh);
      await ssh.exec(`rm -rf ~/${ROOT}`);
    } finally {
      ssh.close();
    }
  }
  return { stopped };
}

/** Throws the cancelled error once the user has cancelled (between deploy's steps). */
export function check(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SshError('cancelled', 'deploy cancelled');
}

/** Uploads one half (device or server) to ~/.edgecut/deploy/ID/HALF as one tarball. */
async function upload(ssh: SshSession, folder: string, id: string, stage: string, signal: AbortSignal | undefined, progress: (line: string) => void): Promise<void> {
  const half = path.basename(folder);
  const tarball = path.join(stage, `${half}.tgz`);
  execFileSync('tar', ['czf', tarball, '-C', folder, '.']);
  await ssh.exec(`mkdir -p ~/${ROOT}/${q(id)}/${half}`);
  const home = (await ssh.exec('echo $HOME')).stdout.trim();
  await ssh.upload(tarball, `${home}/${ROOT}/${id}/${half}.tgz`, { signal, progress: transferProgress(`uploading the ${half} half`, progress) });
  const r = await ssh.exec(`cd ~/${ROOT}/${q(id)} && tar xzf ${half}.tgz -C ${half} && rm -f ${half}.tgz`);
  if (r.code !== 0) throw new SshError('remote-command', `unpacking the bundle on ${ssh.target.spec} failed: ${r.stderr.trim()}`);
}

async function currentId(ssh: SshSession): Promise<string | undefined> {
  const r = await ssh.exec(`readlink ~/${ROOT}/current 2>/dev/null`);
  return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Stops the server named by the pid file, if it still runs; true when one was stopped. */
async function stopServer(ssh: SshSession): Promise<boolean> {
  const r = await ssh.exec(
    `f=~/${ROOT}/server.pid; [ -f "$f" ] || exit 3; p=$(cat "$f"); rm -f "$f"; kill "$p" 2>/dev/null || exit 3; for i in $(seq 50); do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.1; done; kill -9 "$p"`,
  );
  return r.code === 0;
}

/** Writes start.sh (so a later failed deploy can restart this one) and runs it detached. */
async function startServer(ssh: SshSession, agent: RemoteAgent, id: string, port: number): Promise<void> {
  const dir = `~/${ROOT}/${id}/server`;
  const script = [
    '#!/bin/sh',
    `cd "$HOME/${ROOT}/${id}/server" || exit 1`,
    `NODE_PATH=${q(`${agent.dir}/node_modules`)} ORT_DISABLE_TELEMETRY=1 setsid nohup node server.js --host 0.0.0.0 --port ${port} > server.log 2>&1 < /dev/null &`,
    `echo $! > "$HOME/${ROOT}/server.pid"`,
  ].join('\n');
  const r = await ssh.exec(`cat > ${dir}/start.sh <<'EOF'\n${script}\nEOF\nsh ${dir}/start.sh`);
  if (r.code !== 0) throw new SshError('remote-command', `starting the server on ${ssh.target.spec} failed: ${r.stderr.trim()}`);
}

/** Polls /v2/health/ready from the device (Node's fetch: no curl needed) for up to 30 s. */
async function waitHealthy(device: SshSession, url: string, signal: AbortSignal | undefined): Promise<void> {
  const js = `fetch('http://${url}/v2/health/ready').then((r)=>process.exit(r.ok?0:1),()=>process.exit(2))`;
  for (let i = 0; i < 60; i++) {
    check(signal);
    const r = await device.exec(`node -e ${q(js)}`);
    if (r.code === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new SshError('unreachable', `the server at ${url} did not become ready within 30 s as seen from the device: check that the device can reach it on that port (see server.log on the server)`);
}

async function smokeTest(device: SshSession, agent: RemoteAgent, id: string, url: string, jobs: number | undefined, signal: AbortSignal | undefined): Promise<DeployResult['report']> {
  const cmd = `cd ~/${ROOT}/${q(id)}/device && NODE_PATH=${q(`${agent.dir}/node_modules`)} ORT_DISABLE_TELEMETRY=1 node runner.js --server ${q(url)} --repeat ${SMOKE_TEST_RUNS} --min-seconds ${MIN_TIMING_SECONDS} --verify${jobs ? ` --jobs ${jobs}` : ''}`;
  const r = await device.exec(cmd, undefined, signal);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as DeployResult['report'];
  } catch {
    throw new SshError('remote-command', `the smoke test on ${device.target.spec} failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
  }
}
