// `npm run lint` step: ESLint covers the TypeScript; the plain .mjs scripts (bench, e2e, CI
// helpers) get at least a parse with `node --check`, so a typo fails the build, not a bench run.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const SKIP = new Set(['node_modules', 'dist', 'out', '.cache', '.git', 'test-output', '.work']);

function* scripts(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* scripts(p);
    else if (e.name.endsWith('.mjs')) yield p;
  }
}

let failed = 0;
for (const file of scripts('.')) {
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    failed++;
    process.stderr.write(`${file}: ${String(e.stderr ?? e.message).trim()}\n`);
  }
}
process.exit(failed ? 1 : 0);
