// Mocha tests inside code-server's real extension host: compile test/e2e/extHost/*.ts to
// .cache/e2e/ext-tests/, then load the workbench with the URL payload extensionDevelopmentPath
// (the repo) + extensionTestsPath (the compiled index); VS Code reports the exit code through
// window.codeAutomationExit and the index writes per-test results to a JSON file.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { e2eDir, launchBrowser, repoRoot, withTimeout } from './harness.mjs';
import { screenshot } from './workbench.mjs';

export const extTestsDir = path.join(e2eDir, 'ext-tests');
const srcDir = path.join(repoRoot, 'test/e2e/extHost');

export async function compileExtHostTests() {
  const { build } = await import('esbuild');
  rmSync(extTestsDir, { recursive: true, force: true });
  mkdirSync(extTestsDir, { recursive: true });
  const entryPoints = readdirSync(srcDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(srcDir, f));
  // Not bundled: each file stays a module (so ./metrics is shared) and `mocha` resolves from the repo's node_modules.
  await build({ entryPoints, outdir: extTestsDir, bundle: false, format: 'cjs', platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'warning' });
  return extTestsDir;
}

/**
 * Runs the compiled suites (those whose full title matches GREP, if given) in a fresh browser window.
 * DEVICE ({ testbed, sshConfigHost } or { skip }) goes to the device suite through config.json.
 * Returns { code, results: [{title, state, ms, err}], metrics, error, logFile }.
 */
export async function runExtHostTests({ server, runDir, workspace, grep, device, screenshotDir, log = console.log, timeoutMs = 120000 }) {
  if (!existsSync(path.join(extTestsDir, 'index.js'))) await compileExtHostTests();
  const resultsFile = path.join(runDir, `ext-tests-results-${Date.now()}.json`);
  writeFileSync(path.join(extTestsDir, 'config.json'), JSON.stringify({ resultsFile, grep, device: device ?? { skip: 'no testbed was started for this run' } }));
  const logFile = path.join(runDir, 'ext-tests.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const browser = await launchBrowser(runDir, { name: 'chrome-ext-tests' });
  const { page } = browser;
  let code;
  try {
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      logStream.write(`[${type}] ${format(...(Array.isArray(args) ? args : [args]))}\n`);
    });
    const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (c) => resolve(c)));
    const remote = (p) => `vscode-remote://${server.host}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(path.join(extTestsDir, 'index'))],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { timeout: 60000 });
    code = await withTimeout(exit, timeoutMs, 'extension-host tests').catch((e) => {
      log(`  ${e.message}`);
      return 'timeout';
    });
    if (screenshotDir) await screenshot(page, screenshotDir, 'ext-host-tests');
  } finally {
    await browser.close();
    await new Promise((r) => logStream.end(r));
  }
  let parsed = { results: [], metrics: {}, error: undefined };
  if (existsSync(resultsFile)) parsed = JSON.parse(readFileSync(resultsFile, 'utf8'));
  else parsed.error = `no results file: the test index did not run or did not finish (exit code ${code}); see ${path.relative(repoRoot, logFile)}`;
  return { code, ...parsed, logFile };
}
