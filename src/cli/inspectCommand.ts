import { analyzeModel } from '../core/analysis';
import { inspectJson, type InspectJson } from '../core/inspectReport';
import { loadModelFile } from '../node/modelFile';
import { checkKnown, parseArgs, parseDims, UsageError } from './args';
import { fmtCount } from '../core/format';
import { kilobytes, table } from '../core/format';
import type { Output } from './output';
import { INSPECT_USAGE } from './usage';

export async function inspectCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set(['dim']));
  checkKnown(args, ['json'], 'inspect');
  const [file, ...extra] = args.positional;
  if (!file || extra.length) throw new UsageError(`usage: ${INSPECT_USAGE}`);
  const loaded = await loadModelFile(file);
  const analysis = analyzeModel(loaded.model, { dims: parseDims(args.options.get('dim') ?? []) });
  const report = inspectJson(analysis, file, loaded.graphOnly, loaded.warnings);
  if (args.flags.has('json')) out.stdout(JSON.stringify(report) + '\n');
  else out.stdout(renderInspect(report) + '\n');
  for (const w of report.warnings) out.stderr(`warning: ${w}\n`);
  return 0;
}

export function renderInspect(r: InspectJson): string {
  const shapeOf = (tensor: string | undefined): string => {
    const s = tensor ? r.tensors[tensor]?.shape : null;
    return s ? s.join('×') || 'scalar' : '?';
  };
  const rows = r.layers.map((l) => [
    String(l.id),
    l.op,
    l.nodes.length > 1 ? `${l.name} +${l.nodes.length - 1}` : l.name,
    shapeOf(l.outputs[0]) + (l.outputs.length > 1 ? ` (+${l.outputs.length - 1})` : ''),
    fmtCount(l.macs),
    fmtCount(l.params),
    kilobytes(l.outputBytes),
  ]);
  const opsets = Object.entries(r.model.opsets).map(([d, v]) => `${d} ${v}`).join(', ');
  const head = [
    `${r.model.path}: IR ${r.model.irVersion}, opset ${opsets}, producer ${r.model.producer || '?'}${r.model.graphOnly ? ', graph only (no weights)' : ''}`,
    ...r.inputs.map((i) => `input  ${i.name}: ${i.dtype}[${i.shape?.join(', ') ?? '?'}]`),
    ...r.outputs.map((o) => `output ${o.name}: ${o.dtype}[${o.shape?.join(', ') ?? '?'}]`),
    '',
  ];
  const body = table(['layer', 'op', 'main node', 'output shape', 'MACs', 'params', 'output KB'], rows, [true, false, false, false, true, true, true]);
  const t = r.totals;
  const foot = `\n${r.nodes.length} nodes in ${r.layers.length} layers; ${fmtCount(t.macs)} MACs, ${fmtCount(t.params)} params (${(t.weightBytes / 1048576).toFixed(2)} MB of weights)`;
  return head.join('\n') + body + foot;
}
