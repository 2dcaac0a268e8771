// The pieces every real-VS-Code run needs: a run folder with a fresh workspace, code-server on a free
// loopback port with the .vsix installed, headless Debian chromium, and cleanup that always runs.
// Used by test/e2e/run.mjs and bench/vscodeUi.mjs. (Recipe: shared/recipes/vscode-e2e/README.md.)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { codeServerBin, e2eDir, e2eEnv, repoRoot } from '../../../scripts/e2eSetup.mjs';

export { repoRoot, e2eDir };
export const CHROMIUM = process.env.EDGECUT_E2E_CHROMIUM || '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'test-output/e2e');

/** Models copied into the workspace: [source (relative to the repo), required]. */
export const WORKSPACE_MODELS = [
  ['examples/resnet18.onnx', true],
  ['examples/googlenet.onnx', true],
  ['test/fixtures/densenet121.onnx', false],
];

const KEEP_RUNS = 3;
const cleanups = [];
let exitHooked = false;

/** Registers a synchronous cleanup that runs at exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught error. */
export function onCleanup(fn) {
  cleanups.push(fn);
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', runCleanups);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      runCleanups();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig] ?? 0));
    });
  }
}

export function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      fn();
    } catch {
      // best effort: keep cleaning up
    }
  }
}

/** A new .cache/e2e/run-<time>/ folder; older runs beyond the last few are removed. */
export function makeRunDir(prefix = 'run') {
  mkdirSync(e2eDir, { recursive: true });
  const old = readdirSync(e2eDir).filter((d) => /^(run|bench)-/.test(d)).sort();
  for (const d of old.slice(0, Math.max(0, old.length - KEEP_RUNS + 1))) {
    // a run killed with SIGKILL could not clean up: end what it left running before removing its folder
    for (const p of processesMentioning(path.join(e2eDir, d))) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(path.join(e2eDir, d), { recursive: true, force: true });
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const dir = path.join(e2eDir, `${prefix}-${stamp}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A model of the shared models folder ($EDGECUT_SHARED_DIR/models, or shared/models beside the checkout), if there. */
export function sharedModel(name) {
  const dirs = [process.env.EDGECUT_SHARED_DIR && path.join(process.env.EDGECUT_SHARED_DIR, 'models'), path.join(repoRoot, '..', 'shared', 'models'), '/work/shared/models'];
  return dirs.filter(Boolean).map((d) => path.join(d, name)).find((f) => existsSync(f));
}

/** Copies the models (and the EXTRA files, absolute paths) and a readme.txt into RUNDIR/ws; returns { ws, files, missing }. */
export function createWorkspace(runDir, { log = console.log, extra = [] } = {}) {
  const ws = path.join(runDir, 'ws');
  mkdirSync(ws, { recursive: true });
  const files = [];
  const missing = [];
  for (const [rel, required] of WORKSPACE_MODELS) {
    const src = path.join(repoRoot, rel);
    if (!existsSync(src)) {
      if (required) throw new Error(`workspace model ${rel} is missing`);
      log(`note: ${rel} does not exist (yet): its steps are skipped`);
      missing.push(path.basename(rel));
      continue;
    }
    copyFileSync(src, path.join(ws, path.basename(rel)));
    files.push(path.basename(rel));
  }
  for (const file of extra) {
    copyFileSync(file, path.join(ws, path.basename(file)));
    files.push(path.basename(file));
  }
  writeFileSync(path.join(ws, 'readme.txt'), 'EdgeCut end-to-end test workspace.\nThe EdgeCut commands must not be offered for this file.\n');
  files.push('readme.txt');
  return { ws, files, missing };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.editor.enablePreview': false,
};

/** Installs an extension (.vsix) into the run's extensions folder with code-server's CLI. */
export function installVsix(runDir, vsix, { log = console.log } = {}) {
  const t0 = Date.now();
  const { userDataDir, extensionsDir } = serverDirs(runDir);
  const r = spawnSync(codeServerBin(), ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    env: e2eEnv(),
    encoding: 'utf8',
    timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  log(`installed ${path.relative(repoRoot, vsix)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function serverDirs(runDir) {
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  return { userDataDir, extensionsDir };
}

/**
 * Starts code-server for RUNDIR on a free 127.0.0.1 port (own process group, killed at exit) and
 * waits for /healthz; ENV is added to its environment (e.g. HOME), SETTINGS to the user settings.
 * Returns { url, host, port, pid, logFile, stop() }.
 */
export async function startCodeServer(runDir, { workspace, log = console.log, timeoutMs = 30000, env = {}, settings = {} } = {}) {
  const { userDataDir, extensionsDir } = serverDirs(runDir);
  writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(runDir, 'code-server.yaml');
  writeFileSync(config, `bind-addr: ${host}\nauth: none\ncert: false\n`);
  const logFile = path.join(runDir, 'code-server.log');
  const fd = openSync(logFile, 'a');
  const args = [
    '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', ...(workspace ? [workspace] : []),
  ];
  const t0 = Date.now();
  const child = spawn(codeServerBin(), args, {
    cwd: runDir,
    detached: true, // its own process group, so stop() reaches the extension hosts it forks
    stdio: ['ignore', fd, fd],
    env: e2eEnv({ EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery' }), EDGECUT_E2E: '1', ...env }),
  });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const stop = () => killTree(child.pid, runDir);
  onCleanup(stop);
  const url = `http://${host}`;
  for (;;) {
    if (exited) throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it answered; log:\n${tail(logFile)}`);
    if (Date.now() - t0 > timeoutMs) {
      stop();
      throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s; log:\n${tail(logFile)}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  log(`code-server ${url} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${child.pid}, log ${path.relative(repoRoot, logFile)})`);
  return { url, host, port, pid: child.pid, logFile, userDataDir, extensionsDir, stop };
}

/** Kills a process group we started, then any process left whose command line names our run folder. */
export function killTree(pid, runDir) {
  const signalAll = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // group already gone
    }
    for (const p of processesMentioning(runDir)) {
      try {
        process.kill(p, sig);
      } catch {
        // already gone
      }
    }
  };
  signalAll('SIGTERM');
  const until = Date.now() + 3000;
  while (Date.now() < until && (groupAlive(pid) || processesMentioning(runDir).length)) spawnSync('sleep', ['0.1']);
  signalAll('SIGKILL');
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids (not ours) whose command line contains TEXT — used only with our unique run-folder path. */
export function processesMentioning(text) {
  if (!text || !existsSync('/proc')) return [];
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) found.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Debian chromium via playwright-core, with a profile inside RUNDIR (so cleanup can find it). */
export async function launchBrowser(runDir, { name = 'chrome-profile', viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = path.join(runDir, name);
  rmSync(profile, { recursive: true, force: true });
  mkdirSync(profile, { recursive: true });
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
    timeout: 60000,
    env: e2eEnv(),
  });
  let closed = false;
  const killLeft = () => {
    for (const p of processesMentioning(profile)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  onCleanup(killLeft);
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.race([ctx.close().catch(() => {}), sleep(10000)]);
    killLeft();
  };
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return { ctx, page, close, profile };
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function tail(file, n = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Rejects after MS with a message naming WHAT; otherwise resolves like PROMISE. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${(ms / 1000).toFixed(0)} s`)), ms);
    }),
  ]);
}
