// `npm run demo`: the main job on built-in defaults, no device needed: plan an example model
// on a Raspberry Pi 4 + GTX 1080 server over 4G for 8 jobs, print the strategies, write the report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (!existsSync(path.join(root, 'dist', 'cli.js')) && run(['scripts/build.mjs']) !== 0) process.exit(1);
mkdirSync(path.join(root, 'demo-output'), { recursive: true });
const model = path.join('examples', 'googlenet.onnx');
const args = ['plan', model, '--device', 'rpi4', '--server', 'gtx1080', '--network', '4g', '--jobs', '8',
  '--report', path.join('demo-output', 'plan.html'), '--trace', path.join('demo-output', 'plan.trace.json')];
console.log(`$ edgecut ${args.join(' ')}\n`);
process.exitCode = run(['bin/edgecut.js', ...args]);
if (process.exitCode === 0) console.log('\nOpen demo-output/plan.html in a browser; load demo-output/plan.trace.json in https://ui.perfetto.dev.');
