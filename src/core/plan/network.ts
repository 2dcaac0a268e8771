import { PlanError } from './planError';

/** The link between device and server. */
export interface NetworkLink {
  readonly name: string;
  readonly upMbps: number;
  readonly downMbps: number;
  readonly rttMs: number;
  /** The device's own time to send a message (absent: free, as in the papers' model). */
  readonly deviceSend?: SendCost;
  /**
   * The device session's time to hand the message's tensors back before it can send them, ms per
   * MB: the device profile's, set by the planner on the link it plans with (absent: free).
   */
  readonly deviceOutputMsPerMB?: number;
}

/**
 * CPU time the device spends handing one message to the socket (framing, copies, the send
 * call), measured by `edgecut netprobe`. It occupies the device, not the link: the next job's
 * head cannot start until the message is written, so it belongs to the device stage.
 */
export interface SendCost {
  readonly perMessageMs: number;
  readonly perMBMs: number;
}

/** The device's time to hand on one message of `bytes`: its session returning them, then the send (nothing to send costs nothing). */
export function deviceSendMs(bytes: number, link: NetworkLink): number {
  if (bytes <= 0) return 0;
  return (link.deviceSend?.perMessageMs ?? 0) + deviceSendBytesMs(bytes, link);
}

/** `, device send 0.1 ms + 0.3 ms/MB` for a link that has a measured send cost, else nothing. */
export function deviceSendText(link: Pick<NetworkLink, 'deviceSend'>): string {
  return link.deviceSend ? `, device send ${link.deviceSend.perMessageMs} ms + ${link.deviceSend.perMBMs} ms/MB` : '';
}

/** The part of the device's time to hand on a message that grows with its bytes. */
export function deviceSendBytesMs(bytes: number, link: NetworkLink): number {
  return (((link.deviceSend?.perMBMs ?? 0) + (link.deviceOutputMsPerMB ?? 0)) * bytes) / 1e6;
}

/**
 * The time a message of B bytes holds the link: 8·B/(Mbps·10^6)·1000 ms. DESIGN.md's transfer
 * model adds rttMs/2 of propagation per message (CutCandidate.propagationMs), which delays the
 * job but leaves the link free for the next message.
 */
export function serializationMs(bytes: number, mbps: number): number {
  return (8 * bytes) / (mbps * 1e6) * 1000;
}

/** Parses `up=8.8,down=29.1,rtt=40` (Mbit/s, Mbit/s, ms). */
export function parseCustomLink(spec: string): NetworkLink {
  const fields = new Map<string, number>();
  for (const part of spec.split(',')) {
    const m = /^\s*(up|down|rtt)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (!m) throw new PlanError('bad-network', `network '${spec}': expected up=MBPS,down=MBPS,rtt=MS (e.g. up=8.8,down=29.1,rtt=40)`);
    fields.set(m[1] as string, Number(m[2]));
  }
  const up = fields.get('up');
  const down = fields.get('down') ?? up;
  if (!up || !down || up <= 0 || down <= 0) {
    throw new PlanError('bad-network', `network '${spec}': up and down must be positive Mbit/s`);
  }
  return { name: 'custom', upMbps: up, downMbps: down, rttMs: fields.get('rtt') ?? 0 };
}

export function checkLink(link: NetworkLink, source: string): NetworkLink {
  const ok = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isFinite(v) && v >= min;
  if (!ok(link.upMbps, 1e-6) || !ok(link.downMbps, 1e-6) || !ok(link.rttMs, 0)) {
    throw new PlanError('bad-network', `${source}: a network needs positive upMbps and downMbps and a non-negative rttMs`);
  }
  const send = link.deviceSend;
  if (send !== undefined && (!ok(send.perMessageMs, 0) || !ok(send.perMBMs, 0))) {
    throw new PlanError('bad-network', `${source}: deviceSend needs non-negative perMessageMs and perMBMs (as edgecut netprobe writes them)`);
  }
  return link;
}
