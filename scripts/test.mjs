// `npm test`: every suite, then one summary line. A suite whose system requirement is missing
// is skipped with the reason and the fix; under CI=true a missing requirement fails instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

process.env.ORT_DISABLE_TELEMETRY = '1';
const root = path.resolve(new URL('..', import.meta.url).pathname);
const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const report = [];

function step(name, command, args) {
  const t0 = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  totals[ok ? 'passed' : 'failed']++;
  report.push(`${ok ? 'ok    ' : 'FAILED'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function mochaSuite(name, dir, suffix, { requires = [], timeout = 120000, reporter = 'spec' } = {}) {
  const missing = requires.find((r) => !r.present());
  if (missing) {
    const line = `${name}: SKIPPED — ${missing.what} is missing; fix: ${missing.fix}`;
    if (process.env.CI === 'true') {
      console.log(`${line}\n(CI=true: a missing requirement is a failure)`);
      totals.failed++;
      report.push(`FAILED ${name}: ${missing.what} missing under CI`);
    } else {
      console.log(line);
      totals.skipped++;
      report.push(`SKIP   ${line}`);
    }
    return;
  }
  runSuite(name, ['--import', 'tsx/esm', 'scripts/mochaSuite.cjs', dir, suffix, String(timeout)], { EDGECUT_REPORTER: reporter });
}

/**
 * A suite run by its own script (e.g. the real-VS-Code e2e suite). It writes its counts to
 * $EDGECUT_SUITE_STATS; exit status 3 means "requirement missing, skipped" (it printed why).
 */
function scriptSuite(name, script) {
  runSuite(name, [script], {}, (status) => status === 3 && process.env.CI !== 'true');
}

/** Runs one suite process, which writes {passes, failures, pending} to $EDGECUT_SUITE_STATS. */
function runSuite(name, args, env, skippedBy = () => false) {
  console.log(`\n=== ${name}`);
  const stats = path.join(mkdtempSync(path.join(tmpdir(), 'edgecut-test-')), 'stats.json');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...env, ...process.env, EDGECUT_SUITE_STATS: stats } });
  if (skippedBy(r.status)) {
    totals.skipped++;
    report.push(`SKIP   ${name} (requirement missing; see above)`);
    return;
  }
  const s = existsSync(stats) ? JSON.parse(readFileSync(stats, 'utf8')) : { passes: 0, failures: 1, pending: 0 };
  if (r.status !== 0 && s.failures === 0) s.failures = 1;
  totals.passed += s.passes;
  totals.failed += s.failures;
  totals.skipped += s.pending;
  report.push(`${s.failures ? 'FAILED' : 'ok    '} ${name}: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const want = (name) => only.length === 0 || only.includes(name);
const testdata = { what: "Debian's libonnx-testdata", fix: 'apt-get install -y libonnx-testdata', present: () => existsSync('/usr/share/libonnx-testdata/data/node') };

if (want('build')) step('build (lint, type-check, bundles)', 'npm', ['run', '--silent', 'build']);
if (want('unit')) mochaSuite('unit', 'test', '.unit.test.ts');
if (want('onnx-testdata')) mochaSuite('onnx-testdata', 'test', '.testdata.test.ts', { requires: [testdata], reporter: 'dot' });
const isRoot = { what: 'root (network namespaces, tc, cgroups)', fix: 'run npm test as root (CI does)', present: () => process.getuid?.() === 0 };
const sshd = { what: 'sshd and iproute2', fix: 'apt-get install -y openssh-server iproute2', present: () => existsSync('/usr/sbin/sshd') && ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((p) => existsSync(p)) };
if (want('testbed')) mochaSuite('testbed (device and server in network namespaces)', 'test', '.testbed.test.ts', { requires: [isRoot, sshd], timeout: 600000 });
if (want('vscode-e2e')) scriptSuite('vscode-e2e (code-server + Chromium)', 'test/e2e/run.mjs');

console.log(`\n${report.join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed ? 1 : 0;
