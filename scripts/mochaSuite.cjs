// Runs one mocha suite in this process and writes its counts to $EDGECUT_SUITE_STATS.
// usage: node scripts/mochaSuite.cjs DIR SUFFIX [TIMEOUT_MS]
require('tsx/cjs');
// Dynamic import() of .ts files (lazy CLI commands) goes through the ESM loader.
// The ESM loader (for dynamic import() of .ts) comes from `node --import tsx/esm` (scripts/test.mjs).
const Mocha = require('mocha');
// Property tests use a fixed seed (override with FC_SEED) so a CI run is reproducible.
require('fast-check').configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
const { readdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

function find(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return find(p, suffix);
    return e.name.endsWith(suffix) ? [p] : [];
  });
}

const [dir, suffix, timeout] = process.argv.slice(2);
const mocha = new Mocha({ reporter: process.env.EDGECUT_REPORTER || 'spec', timeout: Number(timeout || 120000) });
for (const file of find(dir, suffix).sort()) mocha.addFile(path.resolve(file));
const runner = mocha.run((failures) => {
  const s = runner.stats;
  if (process.env.EDGECUT_SUITE_STATS) {
    writeFileSync(process.env.EDGECUT_SUITE_STATS, JSON.stringify({ passes: s.passes, failures: s.failures, pending: s.pending }));
  }
  process.exitCode = failures ? 1 : 0;
});
