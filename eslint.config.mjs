// Lint rules, including the layering of DESIGN.md written as import bans that say why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Bare builtin names are matched exactly (as `paths`), so a local '../util' stays allowed.
const BUILTIN_NAMES = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'util', 'worker_threads', 'zlib'];
const NODE_BUILTINS = ['node:*'];

const ban = (groups, message) => ({ group: groups, message });
const banNames = (message) => BUILTIN_NAMES.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'bench/.work/**', 'test-output/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md).' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: banNames('src/core is pure: reach files, processes and the network through an interface that src/node implements.'),
        patterns: [
          ban(['vscode'], 'src/core is pure: the vscode API belongs in src/host.'),
          ban(NODE_BUILTINS, 'src/core is pure: reach files, processes and the network through an interface that src/node implements.'),
          ban(['ssh2', 'onnxruntime-node', 'onnxruntime-*'], 'src/core is pure: ssh2 and onnxruntime live in src/node.'),
          ban(['**/node/*', '**/host/*', '**/cli/*', '**/webview/*'], 'src/core may import only src/core.'),
        ],
      }],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ban(['vscode'], 'only src/host imports vscode, so the CLI runs without VS Code.'),
          ban(['**/host/*', '**/webview/*'], 'src/node and src/cli must not depend on the extension host or the webview.'),
        ],
      }],
    },
  },
  {
    files: ['webview/**/*.ts', 'src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: banNames('the webview runs in a browser: no Node modules.'),
        patterns: [
          ban(['vscode'], 'the webview runs in a browser and talks to the host only through protocol messages.'),
          ban(NODE_BUILTINS, 'the webview runs in a browser: no Node modules.'),
          ban(['**/src/host/*', '**/src/node/*', '**/src/cli/*', '**/host/*', '**/node/*'], 'the webview never imports host or node code; use the protocol.'),
        ],
      }],
    },
  },
);
