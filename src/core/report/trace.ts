import { STAGES } from '../plan/flowShop';
import { STRATEGY_NAMES, type Plan } from '../plan/plan';

interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Record<string, unknown>;
}

/**
 * The planned timelines as Chrome Trace Event JSON (opens in Perfetto or chrome://tracing):
 * one process per strategy, one thread per resource, one slice per job stage (µs).
 */
export function planTrace(plan: Plan): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms' } {
  const events: TraceEvent[] = [];
  STRATEGY_NAMES.forEach((name, p) => {
    const pid = p + 1;
    const s = plan.strategies[name];
    events.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: `${name} (${s.makespanMs.toFixed(1)} ms)` } });
    events.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
    STAGES.forEach((stage, m) => events.push({ name: 'thread_name', ph: 'M', pid, tid: m + 1, args: { name: stage } }));
    s.jobs.forEach((job, j) => {
      const model = plan.models[job.model];
      job.stages.forEach((span, m) => {
        if (!span) return;
        events.push({
          name: `job ${j} (${model?.name ?? '?'})`,
          cat: STAGES[m] as string,
          ph: 'X',
          pid,
          tid: m + 1,
          ts: span[0] * 1000,
          dur: (span[1] - span[0]) * 1000,
          args: { model: model?.name, candidate: job.candidate, startMs: span[0], endMs: span[1] },
        });
      });
    });
  });
  return { traceEvents: events, displayTimeUnit: 'ms' };
}
