// Whole-process wall-clock timing of commands, as a user at a shell would see it.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Runs a command once with stdout discarded (like `> /dev/null`); returns ms, status and stderr. */
export function runOnce(command, args) {
  const start = performance.now();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  if (r.error) throw r.error;
  return { ms, status: r.status, stderr: r.stderr.toString() };
}

/**
 * Median wall time of `runs` runs after one warm-up run (which also fills the page cache).
 * Throws with the command's stderr if any run fails.
 */
export function medianMs(command, args, runs) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const r = runOnce(command, args);
    if (r.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
    }
    if (i > 0) times.push(r.ms);
  }
  return median(times);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
