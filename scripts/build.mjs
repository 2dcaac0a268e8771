// Builds the three bundles: extension host (node/cjs, vscode external), webview (browser), CLI.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  legalComments: 'none',
  define: { EDGECUT_VERSION: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/host/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', '*.node', 'cpu-features', 'onnxruntime-node'],
  }),
  build({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }),
  build({
    ...common,
    entryPoints: ['webview/layoutWorker.ts'],
    outfile: 'dist/layoutWorker.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: false,
  }),
  build({
    ...common,
    entryPoints: ['src/cli/entry.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The device commands are their own bundle, loaded on first use (see src/cli/deviceCommands.ts).
    external: ['./deviceCommands', 'onnxruntime-node'],
  }),
  build({
    ...common,
    entryPoints: ['src/cli/deviceCommands.ts'],
    outfile: 'dist/deviceCommands.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // ssh2's optional native speed-ups are loaded in try/catch; the pure-JS paths work without them.
    external: ['*.node', 'cpu-features', 'onnxruntime-node'],
  }),
  build({
    ...common,
    entryPoints: ['src/node/agent/deviceAgent.ts'],
    outfile: 'dist/agent/edgecut-agent.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: false,
    external: ['onnxruntime-node'],
  }),
  // The two halves of a deployment bundle (edgecut bundle copies them into device/ and server/).
  ...[
    ['src/node/runtime/deviceMain.ts', 'dist/runtime/runner.js'],
    ['src/node/serve/serverMain.ts', 'dist/runtime/server.js'],
  ].map(([entry, outfile]) =>
    build({ ...common, entryPoints: [entry], outfile, platform: 'node', format: 'cjs', target: 'node18', sourcemap: false, external: ['onnxruntime-node'] }),
  ),
]);

// Codicons ship with the extension (no remote fonts in the webview).
mkdirSync('dist', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/${f}`);
