import { PlanError } from './planError';

/** The link between device and server. */
export interface NetworkLink {
  readonly name: string;
  readonly upMbps: number;
  readonly downMbps: number;
  readonly rttMs: number;
}

/**
 * DESIGN.md's transfer model: one message of B bytes costs rttMs/2 + 8·B/(Mbps·10^6)·1000 ms.
 * Nothing to send costs nothing.
 */
export function transferMs(bytes: number, mbps: number, rttMs: number): number {
  if (bytes <= 0) return 0;
  return rttMs / 2 + serializationMs(bytes, mbps);
}

/** The bandwidth part only: 8·B/(Mbps·10^6)·1000 ms. */
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
  return link;
}
