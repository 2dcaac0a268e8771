import { deviceSendMs, serializationMs, type NetworkLink } from './network';
import type { PlanGraph } from './planGraph';

/**
 * One way to split a job: the head set H (layers on the device, closed under predecessors)
 * and what each stage then costs. The rest runs on the server.
 */
export interface CutCandidate {
  readonly head: ReadonlySet<number>;
  /** Tensors sent up: produced on the device (or graph inputs) and read on the server. */
  readonly cutTensors: readonly string[];
  readonly deviceMs: number;
  /** Time the uplink is busy with the message: its bytes at the link's rate. */
  readonly uplinkMs: number;
  readonly serverMs: number;
  readonly downlinkMs: number;
  /**
   * Each message's propagation delay after its last byte is sent (rttMs/2): it delays the job
   * but not the next message, which follows on the wire at once.
   */
  readonly propagationMs: number;
}

/** One job alone: DESIGN.md's transfer model, rttMs/2 + bytes at the link's rate per message. */
export function latencyOf(c: CutCandidate): number {
  return c.deviceMs + c.uplinkMs + c.serverMs + c.downlinkMs + inFlight(c).ms;
}

/** The job's messages (one up, one down, as it uses the links) and their time in flight. */
export function inFlight(c: CutCandidate): { messages: number; ms: number } {
  const messages = (c.uplinkMs > 0 ? 1 : 0) + (c.downlinkMs > 0 ? 1 : 0);
  return { messages, ms: messages * c.propagationMs };
}

/** Evaluates a head set with the transfer model: every crossing tensor once, one message each way. */
export function evaluateCut(g: PlanGraph, head: ReadonlySet<number>, link: NetworkLink): CutCandidate {
  let deviceMs = 0;
  let serverMs = 0;
  for (const l of g.layers) {
    if (head.has(l.id)) deviceMs += l.deviceMs;
    else serverMs += l.serverMs;
  }
  const cutTensors: string[] = [];
  let upBytes = 0;
  for (const t of g.tensors) {
    const onDevice = t.producer === undefined || head.has(t.producer);
    if (onDevice && t.consumers.some((c) => !head.has(c))) {
      cutTensors.push(t.name);
      upBytes += t.bytes;
    }
  }
  let downBytes = 0;
  for (const o of g.outputs) if (o.layer !== undefined && !head.has(o.layer)) downBytes += o.bytes;
  return {
    head,
    cutTensors,
    // The device writes the message before its next job starts (netprobe's send cost).
    deviceMs: deviceMs + deviceSendMs(upBytes, link),
    uplinkMs: upBytes > 0 ? serializationMs(upBytes, link.upMbps) : 0,
    serverMs,
    downlinkMs: downBytes > 0 ? serializationMs(downBytes, link.downMbps) : 0,
    propagationMs: upBytes > 0 || downBytes > 0 ? link.rttMs / 2 : 0,
  };
}

/** Uplink time without the per-message RTT share: the part that grows with the cut's bytes. */
export function uplinkBytesMs(g: PlanGraph, tensor: number, link: NetworkLink): number {
  return serializationMs(g.tensors[tensor]?.bytes ?? 0, link.upMbps);
}

export function isClosedHead(g: PlanGraph, head: ReadonlySet<number>): boolean {
  return g.layers.every((l) => !head.has(l.id) || l.inputs.every((p) => head.has(p)));
}
