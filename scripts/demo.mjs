// `npm run demo`: the main job on built-in defaults, no device needed.
// Step 1: inspect an example model (its layers, shapes and costs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (!existsSync(path.join(root, 'dist', 'cli.js')) && run(['scripts/build.mjs']) !== 0) process.exit(1);
const model = path.join('examples', 'googlenet.onnx');
console.log(`$ edgecut inspect ${model}\n`);
process.exitCode = run(['bin/edgecut.js', 'inspect', model]);
