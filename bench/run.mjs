// `npm run bench`: runs every benchmark module in bench/ and rewrites BENCHMARKS.md from them.
//
// A benchmark module is any bench/*.mjs file other than this one that exports
// `title` (string) and `benchmark(context)` (async, returns a markdown section starting with `## `).
// Modules run in file-name order; helpers live in bench/lib/ and are not run.
// `npm run bench -- NAME...` runs only the modules whose file names contain one of the NAMEs,
// and then prints the sections instead of rewriting BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineLines } from './lib/machine.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const log = (line) => process.stderr.write(`bench: ${line}\n`);

async function main() {
  const only = process.argv.slice(2);
  ensureBuilt();
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
    .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
    .sort();
  const sections = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(benchDir, file)).href);
    if (typeof mod.benchmark !== 'function') continue;
    log(`running ${file}: ${mod.title}`);
    sections.push(await mod.benchmark({ repoRoot, log }));
  }
  const report = render(sections);
  if (only.length) {
    process.stdout.write(report);
    return;
  }
  writeFileSync(path.join(repoRoot, 'BENCHMARKS.md'), report);
  log('wrote BENCHMARKS.md');
}

function ensureBuilt() {
  if (existsSync(path.join(repoRoot, 'dist/cli.js'))) return;
  log('dist/cli.js missing: running npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}

function render(sections) {
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.mjs); edit the bench modules, not this file.',
    '',
    ...machineLines(repoRoot),
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
