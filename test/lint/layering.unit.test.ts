import { strict as assert } from 'node:assert';
import { ESLint } from 'eslint';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

/** The layering of DESIGN.md is enforced by lint: prove that a wrong import fails. */
describe('layering lint rules', function () {
  this.timeout(60000);
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const lint = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  for (const [file, code] of [
    ['src/core/bad.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"],
    ['src/core/bad.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['src/core/bad.ts', "import * as path from 'path';\nexport const p = path;\n"],
    ['src/core/bad.ts', "import { loadModelFile } from '../node/modelFile';\nexport const l = loadModelFile;\n"],
    ['src/node/bad.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"],
    ['webview/bad.ts', "import { activate } from '../src/host/extension';\nexport const a = activate;\n"],
  ] as const) {
    it(`refuses ${code.split('\n')[0]} in ${file}`, async () => {
      const messages = await lint(file, code);
      assert.equal(messages.length, 1, messages.join('; '));
    });
  }

  it('allows core to import core (../util is not the node builtin)', async () => {
    assert.deepEqual(await lint('src/core/shapes/ok.ts', "import { broadcast } from './util';\nexport const b = broadcast;\n"), []);
  });
});
