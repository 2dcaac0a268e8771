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

/** Median wall time of one command: `runs` runs after one warm-up run. */
export function medianMs(command, args, runs) {
  return medianEach({ only: [command, args] }, runs).only;
}

/**
 * Median wall times of several commands, given as { key: [command, args] }. Each gets one
 * warm-up run (which also fills the page cache); then the commands take turns, `runs` rounds,
 * so drift in machine load hits them all alike. Throws with stderr if any run fails.
 */
export function medianEach(commands, runs) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let round = 0; round <= runs; round++) {
    for (const [key, [command, args]] of Object.entries(commands)) {
      const r = runOnce(command, args);
      if (r.status !== 0) {
        throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
      }
      if (round > 0) times[key].push(r.ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
