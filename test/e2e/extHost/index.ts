// Loaded by VS Code's extension host as extensionTestsPath (see test/e2e/lib/extHostTests.mjs): runs
// the *.exthost.js suites beside it with mocha 10 against the real `vscode` API, and writes the
// results to the file named in config.json (written next to this file by the runner).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { metrics } from './metrics';

interface RunConfig {
  readonly resultsFile: string;
  readonly grep?: string;
}

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  err?: string;
}

export function run(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as RunConfig;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  if (config.grep) mocha.grep(config.grep);
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.exthost.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const results: TestResult[] = [];
  const write = (failures: number, error?: string): void =>
    fs.writeFileSync(config.resultsFile, JSON.stringify({ failures, results, metrics, error }, null, 2));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        write(failures);
        if (failures) reject(new Error(`${failures} extension-host tests failed`));
        else resolve();
      });
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
      runner.on('fail', (t, err: unknown) => results.push({ title: t.fullTitle(), state: 'failed', err: (err instanceof Error ? err.message : String(err)).slice(0, 600) }));
      runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (e) {
      write(1, e instanceof Error ? e.stack : String(e));
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
