/** What the device agent prints, one JSON object per line (host ⇄ agent over SSH stdout). */
import type { CalibrationRun } from '../../core/predictor/profilerCalibration';
import type { InputSpec } from '../runtime/syntheticInputs';

export const AGENT_VERSION = '7';

/** A model input the agent feeds synthetic data (ORT tensor type: 'float32', 'int64', …). */
export type AgentInput = InputSpec;

export interface DeviceFacts {
  readonly cpuModel: string;
  readonly cores: number;
  readonly arch: string;
  readonly memoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly loadAverage: readonly number[];
  readonly platform: string;
  readonly node: string;
  readonly ort: string;
}

/** One measured configuration: per-node kernel times (µs) for every timed run. */
export interface LoadRun {
  readonly load: number;
  /** CPU utilisation (0–1, all cores) and free memory while it ran: the predictor's dynamic features. */
  readonly cpuUtilisation: number;
  readonly freeMemoryBytes: number;
  /** Whole-model latency of each timed run, from a session without the profiler (what a deployed runner sees). */
  readonly wholeMs: readonly number[];
  readonly nodeUs: Readonly<Record<string, readonly number[]>>;
}

export type AgentEvent =
  | { readonly event: 'facts'; readonly facts: DeviceFacts }
  | { readonly event: 'progress'; readonly load: number; readonly run: number; readonly of: number }
  | { readonly event: 'result'; readonly facts: DeviceFacts; readonly runs: readonly LoadRun[]; readonly calibration?: CalibrationRun }
  | { readonly event: 'error'; readonly message: string };
