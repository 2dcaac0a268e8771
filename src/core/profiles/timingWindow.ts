/**
 * When to stop timing repeated runs: at least `runs` of them, and more until `minMs` have
 * passed, but never more than 10×`runs`. A device's speed drifts over seconds; a median over a
 * longer window is not decided by one burst. Used by the profiling agent and the smoke test.
 */
export function keepTiming(done: number, runs: number, elapsedMs: number, minMs: number): boolean {
  return done < runs || (done < 10 * runs && elapsedMs < minMs);
}

/** The window `profile` times each load level for, and the deploy smoke test its runs (seconds). */
export const MIN_TIMING_SECONDS = 2;
/** The smoke test's fewest timed runs. */
export const SMOKE_TEST_RUNS = 5;
