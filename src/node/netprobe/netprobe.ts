import type { SendCost } from '../../core/plan/network';
import { SshError } from '../ssh/sshError';
import { SshSession, type SessionOptions } from '../ssh/sshSession';
import { resolveTarget, type TargetOptions } from '../ssh/sshTarget';
import { q } from '../profile/provision';
import { PROBE_CLIENT, PROBE_SERVER } from './probeScripts';

export interface NetprobeOptions extends SessionOptions, TargetOptions {
  readonly device: string;
  readonly server: string;
  /** How the device reaches the server (default: the server's host name). */
  readonly serverAddress?: string;
  /** Port of the probe server (default 8765; it must be open between device and server). */
  readonly port?: number;
  /** Rough time budget per direction, ms. */
  readonly budgetMs?: number;
  readonly progress: (message: string) => void;
}

/** A network file as `plan --network FILE` reads it. */
export interface NetworkJson {
  readonly name: string;
  readonly upMbps: number;
  readonly downMbps: number;
  readonly rttMs: number;
  /** The device's CPU time to write one message: per message and per MB (10^6 bytes). */
  readonly deviceSend: SendCost;
  readonly measuredAt: string;
  readonly device: string;
  readonly server: string;
}

/**
 * Measures the link *between device and server* (not between this machine and them): a probe
 * server runs on the server, a probe client on the device; RTT by 1-byte echoes (median of 9),
 * throughput by growing transfers until one takes half the time budget, RTT/2 subtracted; and
 * the device's own send time per message (probeScripts.ts).
 */
export async function netprobe(o: NetprobeOptions): Promise<NetworkJson> {
  const serverTarget = resolveTarget(o.server, o);
  const deviceTarget = resolveTarget(o.device, o);
  o.progress(`starting the probe server on ${serverTarget.spec}`);
  const server = await SshSession.open(serverTarget, o);
  try {
    const port = await startProbeServer(server, o.port ?? 8765);
    o.progress(`probing from ${deviceTarget.spec} to ${o.serverAddress ?? serverTarget.hostname}:${port}`);
    const device = await SshSession.open(deviceTarget, o);
    try {
      const r = await device.exec(`node -e ${q(PROBE_CLIENT)} ${q(o.serverAddress ?? serverTarget.hostname)} ${port} ${o.budgetMs ?? 3000}`);
      const line = r.stdout.trim().split('\n').pop() ?? '';
      const result = JSON.parse(line || '{}') as { rttMs?: number; upMbps?: number; downMbps?: number; deviceSend?: SendCost; error?: string };
      if (result.error || !result.upMbps || !result.downMbps || result.rttMs === undefined || !result.deviceSend) {
        throw new SshError('remote-command', `the device could not reach the server at ${o.serverAddress ?? serverTarget.hostname}:${port}: ${result.error ?? r.stderr.trim()} (pass --server-address with the address the device uses)`);
      }
      const deviceSend = { perMessageMs: round(result.deviceSend.perMessageMs), perMBMs: round(result.deviceSend.perMBMs) };
      return { name: 'netprobe', upMbps: round(result.upMbps), downMbps: round(result.downMbps), rttMs: round(result.rttMs), deviceSend, measuredAt: new Date().toISOString(), device: o.device, server: o.server };
    } finally {
      device.close();
    }
  } finally {
    server.close();
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Starts the probe server and resolves with its port; it dies with the SSH session. */
function startProbeServer(ssh: SshSession, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    ssh.exec(`node -e ${q(PROBE_SERVER)} ${port} 0.0.0.0`, (chunk) => {
      out += chunk;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve(Number(m[1]));
    }).then(
      (r) => reject(new SshError('remote-command', `the probe server exited (${r.code}): ${r.stderr.trim()}`)),
      reject,
    );
  });
}
