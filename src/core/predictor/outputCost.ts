/**
 * A session's outputs are not free: onnxruntime-node copies each one into a fresh JavaScript
 * buffer when the run returns, outside every node's profiled time, and on the testbed VM, whose
 * page faults are slow (perf: the copy's memmove spends its time in exc_page_fault), that costs
 * ~3–4 ms per MB. PP-OCR rec's 1 MB of logits took 4.0 ms of a 30 ms run, det's 400 kB 1.6 ms,
 * SqueezeNet's 4 kB nothing (each timed fetching its output and fetching only a 4-byte sum of
 * it). Per-layer times miss it, so a session of large outputs (rec; a split model's head, whose
 * outputs are the cut tensors) runs longer than its layers add up to.
 *
 * How much depends on the process's allocator as much as on the device (a probe model in a
 * fresh process paid 2.7 ms per MB, the same probe in the profiling agent 0.13), so the cost is
 * learnt from the training models' own whole-model runs: what the sessions of large outputs
 * took beyond their layers, per MB of output (fitPredictor.ts's session model).
 */

/** Outputs below this many bytes teach nothing of the cost per MB: their share is within the noise. */
export const MIN_OUTPUT_BYTES = 100_000;

/** Handing back `bytes` of outputs at `perMB` ms per MB (10^6 bytes). */
export const outputMs = (bytes: number, perMB: number | undefined): number => (perMB && bytes > 0 ? (perMB * bytes) / 1e6 : 0);
