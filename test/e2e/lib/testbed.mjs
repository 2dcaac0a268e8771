// The device-profiling checks' "Pi": the testbed (test/testbed/, sshd in network namespaces) run by
// lib/testbedProcess.ts in a child process, and a HOME for code-server whose ~/.ssh holds what a
// user's would: a config Host for the device, the client key as id_ed25519, and no known_hosts yet
// (so the first connection shows the trust prompt).
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { onCleanup, repoRoot, withTimeout } from './harness.mjs';

/** The ~/.ssh/config Host that stands for the testbed's device. */
export const SSH_CONFIG_HOST = 'edgecut-testbed';
/** The ~/.ssh/config Host that stands for the testbed's server (the deploy checks). */
export const SSH_CONFIG_SERVER = 'edgecut-testbed-server';

/**
 * Starts the testbed unless this machine cannot run it. Resolves to { info, stop } when it is up,
 * { skip: why } when a requirement is missing (not root, no sshd, …), { error } when it failed.
 */
export async function startE2eTestbed(runDir, { log = console.log, timeoutMs = 60000 } = {}) {
  if (process.platform !== 'linux') return { skip: 'the testbed needs Linux network namespaces' };
  if (process.getuid?.() !== 0) return { skip: 'the testbed needs root (network namespaces) — run as root (CI does)' };
  const t0 = Date.now();
  const logFile = path.join(runDir, 'testbed.log');
  const logStream = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '--import', 'tsx/esm', path.join(repoRoot, 'test/e2e/lib/testbedProcess.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.pipe(logStream);
  let exited = false;
  const gone = new Promise((resolve) => child.on('exit', () => resolve((exited = true))));
  // At exit (also on a signal): closing stdin is the request; SIGTERM makes sure (both remove it).
  const kill = () => {
    if (exited) return;
    try {
      child.stdin.end();
      child.kill('SIGTERM');
    } catch {
      // already gone
    }
  };
  onCleanup(kill);
  const firstLine = new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code, signal) => reject(new Error(`the testbed process exited (${code ?? signal}) before it reported; log ${path.relative(repoRoot, logFile)}`)));
  });
  let info;
  try {
    info = JSON.parse(await withTimeout(firstLine, timeoutMs, 'starting the testbed'));
  } catch (e) {
    kill();
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (!info.ok) {
    await withTimeout(gone, 10000, 'testbed process exit').catch(() => kill());
    return info.reason === 'requirement-missing' ? { skip: `${info.why} — fix: ${info.fix}` } : { error: info.why };
  }
  log(`testbed ${info.prefix} up in ${((Date.now() - t0) / 1000).toFixed(1)} s: device ${info.user}@${info.device.host}:${info.device.port} (log ${path.relative(repoRoot, logFile)})`);
  const stop = async () => {
    if (exited) return;
    child.stdin.end();
    await withTimeout(gone, 20000, 'stopping the testbed').catch((e) => {
      log(`  ${e.message}: SIGTERM`);
      kill();
    });
  };
  return { info, stop };
}

/**
 * RUNDIR/home, code-server's HOME: ~/.ssh/config names the testbed's device and server (when INFO is given),
 * ~/.ssh/id_ed25519 is the testbed's client key. Returns { home, knownHosts }.
 */
export function makeHome(runDir, info) {
  const home = path.join(runDir, 'home');
  const ssh = path.join(home, '.ssh');
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  if (info) {
    copyFileSync(info.identityFile, path.join(ssh, 'id_ed25519'));
    chmodSync(path.join(ssh, 'id_ed25519'), 0o600);
    const host = (alias, { host: hostName, port }) => [`Host ${alias}`, `  HostName ${hostName}`, `  User ${info.user}`, `  Port ${port}`, `  IdentityFile ${info.identityFile}`, ''];
    const config = [...host(SSH_CONFIG_HOST, info.device), ...host(SSH_CONFIG_SERVER, info.server)].join('\n');
    writeFileSync(path.join(ssh, 'config'), config, { mode: 0o600 });
  }
  return { home, knownHosts: path.join(ssh, 'known_hosts') };
}
