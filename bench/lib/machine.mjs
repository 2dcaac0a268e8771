// The machine description that heads BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export const PYTHON = '/usr/bin/python3';

export function machineLines(repoRoot) {
  return [
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- CPU: ${cpuModel()}, ${os.availableParallelism()} cores available`,
    `- RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; OS: ${os.type()} ${os.release()}`,
    `- Node ${process.version}; python3-onnx ${pythonOnnxVersion()} (${PYTHON})`,
    `- EdgeCut commit: ${commit(repoRoot)}`,
  ];
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: fall through to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

function pythonOnnxVersion() {
  const deb = tryRun('dpkg-query', ['-W', '-f=${Version}', 'python3-onnx']);
  const py = tryRun(PYTHON, ['-c', 'import onnx; print(onnx.__version__)']);
  if (!py) return 'not installed';
  return deb ? `${py} (Debian ${deb})` : py;
}

function commit(repoRoot) {
  const head = tryRun('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']);
  if (!head) return 'unknown';
  const dirty = tryRun('git', ['-C', repoRoot, '--no-optional-locks', 'status', '--porcelain', '--', 'src']);
  return dirty ? `${head} + uncommitted changes in src/` : head;
}

function tryRun(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}
