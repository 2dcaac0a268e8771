import { writeFileSync } from 'node:fs';
import { netprobe } from '../node/netprobe/netprobe';
import { checkKnown, parseArgs, UsageError } from './args';
import type { Output } from './output';
import { sshArgs } from './sshArgs';
import { NETPROBE_USAGE } from './usage';

export async function netprobeCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, new Set(['device', 'server', 'server-address', 'identity', 'known-hosts', 'out', 'budget-ms', 'port']));
  checkKnown(args, ['accept-new-host-key'], 'netprobe');
  const opt = (k: string): string | undefined => args.options.get(k)?.at(-1);
  const device = opt('device');
  const server = opt('server');
  if (!device || !server || args.positional.length) throw new UsageError(`usage: ${NETPROBE_USAGE}`);
  const net = await netprobe({
    device,
    server,
    serverAddress: opt('server-address'),
    ...sshArgs(args),
    budgetMs: opt('budget-ms') ? Number(opt('budget-ms')) : undefined,
    port: opt('port') ? Number(opt('port')) : undefined,
    progress: (m) => out.stderr(`${m}\n`),
    log: (l) => out.stderr(`${l}\n`),
  });
  const text = JSON.stringify(net, null, 2);
  const file = opt('out');
  if (file) writeFileSync(file, text + '\n');
  out.stdout(`${device} → ${server}: ${net.upMbps} Mbit/s up, ${net.downMbps} Mbit/s down, RTT ${net.rttMs} ms; the device writes a message in ${net.deviceSend.perMessageMs} ms + ${net.deviceSend.perMBMs} ms/MB${file ? `\nwrote ${file} (use: edgecut plan MODEL --network ${file})` : ''}\n`);
  return 0;
}
