import { UsageError } from './args';

/** `--jobs 8` (for MODEL) or `--jobs a.onnx:4,b.onnx:2` (TMC'24 heterogeneous jobs). */
export function parseJobs(spec: string | undefined, model: string | undefined): { file: string; jobs: number }[] {
  if (spec === undefined || /^\d+$/.test(spec)) {
    if (!model) throw new UsageError('give a MODEL, or models with counts in --jobs a.onnx:4,b.onnx:2');
    const jobs = spec === undefined ? 1 : Number(spec);
    if (jobs < 1) throw new UsageError('--jobs must be at least 1');
    return [{ file: model, jobs }];
  }
  const entries = spec.split(',').map((part) => {
    const m = /^(.+):(\d+)$/.exec(part.trim());
    if (!m || Number(m[2]) < 1) throw new UsageError(`--jobs ${spec}: expected N or MODEL:N[,MODEL:N…] with N ≥ 1`);
    return { file: m[1] as string, jobs: Number(m[2]) };
  });
  if (model && !entries.some((e) => e.file === model)) {
    throw new UsageError(`MODEL ${model} is not in --jobs ${spec}: list every model there with its count`);
  }
  return entries;
}
