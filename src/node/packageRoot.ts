import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The EdgeCut package folder (holding dist/ and node_modules/), from bundled or source code alike. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'edgecut') return dir;
  }
  return path.resolve(from, '..');
}
