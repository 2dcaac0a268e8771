// Sets up what the real-VS-Code end-to-end tests need, offline, under .cache/e2e/ (gitignored):
//   - code-server (= VS Code in a browser) installed once into .cache/e2e/cs/ (a stamp file skips it later);
//   - the extension built and packaged as .cache/e2e/edgecut.vsix.
// usage: node scripts/e2eSetup.mjs [--bundle-only] [--no-package]
//   --bundle-only: `node scripts/build.mjs` instead of `npm run build` (skips lint and type-check)
//   --no-package:  only install code-server
// Also imported by test/e2e/ and bench/vscodeUi.mjs.
//
// Pitfalls (shared/recipes/vscode-e2e/README.md): code-server 4.100.3 is the newest that runs on
// Node 20; @vscode/ripgrep's postinstall downloads rg from GitHub, so its cache is pre-seeded with
// Debian's /usr/bin/rg; as root npm needs unsafe-perm, and node-pty's postinstall runs `npx
// node-gyp`, refused unless npm_config_yes=true; kerberos needs libkrb5-dev (gssapi headers).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const e2eDir = path.join(repoRoot, '.cache/e2e');
export const csDir = path.join(e2eDir, 'cs');
export const vsixPath = path.join(e2eDir, 'edgecut.vsix');
const stampPath = path.join(csDir, '.edgecut-e2e-installed');

/** System programs the suite needs, with the apt command that installs them. */
export const SYSTEM_REQUIREMENTS = [
  { what: 'chromium', path: '/usr/bin/chromium' },
  { what: 'ripgrep', path: '/usr/bin/rg' },
  { what: 'libkrb5-dev (gssapi headers)', path: '/usr/include/gssapi/gssapi.h' },
];
export const APT_FIX = 'apt-get install -y chromium ripgrep libkrb5-dev';

/** The first missing system requirement, or undefined. (libkrb5-dev only matters before code-server is installed.) */
export function missingRequirement() {
  return SYSTEM_REQUIREMENTS.find((r) => !existsSync(r.path) && !(r.what.startsWith('libkrb5') && codeServerInstalled()));
}

/** Environment that keeps temp files, npm's cache and XDG folders inside .cache/e2e/. */
export function e2eEnv(extra = {}) {
  const dirs = {
    TMPDIR: path.join(e2eDir, 'tmp'),
    npm_config_cache: path.join(e2eDir, 'npm-cache'),
    XDG_CONFIG_HOME: path.join(e2eDir, 'xdg/config'),
    XDG_DATA_HOME: path.join(e2eDir, 'xdg/data'),
    XDG_CACHE_HOME: path.join(e2eDir, 'xdg/cache'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return { ...process.env, ...dirs, ...extra };
}

export function codeServerBin() {
  return path.join(csDir, 'node_modules/.bin/code-server');
}

export function codeServerInstalled() {
  return existsSync(codeServerBin()) && existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === stampText();
}

function stampText() {
  return `code-server@${CODE_SERVER_VERSION} node-abi=${process.versions.modules}`;
}

function run(command, args, { cwd = repoRoot, env = process.env, logFile, what } = {}) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (logFile) writeFileSync(logFile, output);
  if (r.error || r.status !== 0) {
    const where = logFile ? ` (full log: ${path.relative(repoRoot, logFile)})` : '';
    throw new Error(`${what ?? command} failed with status ${r.status}${where}:\n${output.slice(-3000)}${r.error ? `\n${r.error}` : ''}`);
  }
  return output;
}

/** Installs code-server into .cache/e2e/cs/ unless the stamp says it is there. Returns the seconds spent. */
export function installCodeServer({ log = console.log } = {}) {
  const t0 = Date.now();
  if (codeServerInstalled()) {
    log(`e2e setup: code-server ${CODE_SERVER_VERSION} already installed (${path.relative(repoRoot, csDir)})`);
    return 0;
  }
  const env = e2eEnv({ npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' });
  // Pre-seed @vscode/ripgrep's download cache (it lives under os.tmpdir()) with Debian's rg.
  const rgCache = path.join(env.TMPDIR, RIPGREP_CACHE);
  const rgStage = path.join(env.TMPDIR, 'rg-stage');
  mkdirSync(rgCache, { recursive: true });
  mkdirSync(rgStage, { recursive: true });
  copyFileSync('/usr/bin/rg', path.join(rgStage, 'rg'));
  run('tar', ['czf', path.join(rgCache, RIPGREP_TARBALL), '-C', rgStage, 'rg'], { what: 'packing /usr/bin/rg for @vscode/ripgrep' });
  rmSync(csDir, { recursive: true, force: true });
  mkdirSync(csDir, { recursive: true });
  writeFileSync(path.join(csDir, 'package.json'), JSON.stringify({ name: 'edgecut-e2e-code-server', private: true }, null, 2));
  log(`e2e setup: installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, csDir)} (about a minute)…`);
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: csDir,
    env,
    logFile: path.join(e2eDir, 'install.log'),
    what: `npm install code-server@${CODE_SERVER_VERSION}`,
  });
  if (!existsSync(codeServerBin())) throw new Error(`npm install finished but ${codeServerBin()} is missing`);
  writeFileSync(stampPath, stampText());
  const s = (Date.now() - t0) / 1000;
  log(`e2e setup: code-server installed in ${s.toFixed(1)} s`);
  return s;
}

/** Builds the extension (`npm run build`, or only the bundles) and packages it as .cache/e2e/edgecut.vsix. */
export function packageExtension({ log = console.log, bundleOnly = false } = {}) {
  const t0 = Date.now();
  mkdirSync(e2eDir, { recursive: true });
  if (bundleOnly) run(process.execPath, ['scripts/build.mjs'], { what: 'node scripts/build.mjs' });
  else run('npm', ['run', '--silent', 'build'], { what: 'npm run build' });
  const t1 = Date.now();
  rmSync(vsixPath, { force: true });
  run(path.join(repoRoot, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--skip-license', '-o', vsixPath], {
    env: e2eEnv(),
    what: 'vsce package',
  });
  const mb = statSync(vsixPath).size / 2 ** 20;
  log(`e2e setup: built in ${((t1 - t0) / 1000).toFixed(1)} s, packaged ${path.relative(repoRoot, vsixPath)} (${mb.toFixed(2)} MiB) in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  return vsixPath;
}

/** Everything: code-server, then the .vsix. */
export function e2eSetup({ log = console.log, bundleOnly = false, packageVsix = true } = {}) {
  const t0 = Date.now();
  const missing = missingRequirement();
  if (missing) throw new Error(`${missing.what} is missing (${missing.path}) — fix: ${APT_FIX}`);
  installCodeServer({ log });
  if (packageVsix) packageExtension({ log, bundleOnly });
  log(`e2e setup: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    e2eSetup({ bundleOnly: args.includes('--bundle-only'), packageVsix: !args.includes('--no-package') });
  } catch (e) {
    console.error(`e2e setup: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
