import * as net from 'node:net';
import { epochMs } from '../serve/kserveCodec';

export interface PipelinedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Device clock (epoch ms) when the request's bytes were handed to the socket. */
  readonly writtenAt: number;
  /** Device clock when the whole response had arrived. */
  readonly receivedAt: number;
}

export class ServerGone extends Error {
  override readonly name = 'ServerGone';
}

interface Pending {
  readonly resolve: (r: PipelinedResponse) => void;
  readonly reject: (e: Error) => void;
  readonly writtenAt: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * HTTP/1.1 requests pipelined on one TCP connection: the uplink is a FIFO, as the flow shop
 * models it (job i+1's tensors follow job i's on the wire while the server computes job i),
 * and responses come back in request order. Node's own client waits for each response before
 * reusing a socket, which would serialise upload and server compute. Responses must carry a
 * Content-Length (EdgeCut's server always sends one).
 */
export class PipelinedClient {
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly host: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new ServerGone(`connection to ${host} failed: ${e.message}`)));
    socket.on('close', () => this.fail(new ServerGone(`${host} closed the connection`)));
  }

  static connect(host: string, port: number, timeoutMs = 5000): Promise<PipelinedClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ServerGone(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new PipelinedClient(socket, `${host}:${port}`));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new ServerGone(`cannot connect to ${host}:${port}: ${e.message}`));
      });
    });
  }

  /** Queues one request; its response (or the connection's failure, or a timeout) settles it. */
  request(method: 'GET' | 'POST', path: string, headers: Readonly<Record<string, string | number>>, body: Buffer | undefined, timeoutMs: number): Promise<PipelinedResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const lines = [`${method} ${path} HTTP/1.1`, `Host: ${this.host}`, 'Connection: keep-alive', `Content-Length: ${body?.length ?? 0}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
    return new Promise((resolve, reject) => {
      const writtenAt = epochMs();
      // A timed-out request poisons the connection (later responses would be misattributed).
      const timer = setTimeout(() => this.fail(new ServerGone(`${this.host} did not answer ${path} within ${timeoutMs} ms`)), timeoutMs);
      this.pending.push({ resolve, reject, writtenAt, timer });
      this.socket.write(body ? Buffer.concat([head, body]) : head);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...headerLines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const h of headerLines) {
        const i = h.indexOf(':');
        if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
      }
      const length = Number(headers['content-length'] ?? NaN);
      if (!Number.isInteger(length)) return this.fail(new ServerGone(`${this.host} sent a response without Content-Length`));
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length);
      this.buffer = this.buffer.subarray(end + 4 + length);
      const p = this.pending.shift();
      if (!p) return this.fail(new ServerGone(`${this.host} sent a response nobody asked for`));
      clearTimeout(p.timer);
      p.resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(body), writtenAt: p.writtenAt, receivedAt: epochMs() });
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.socket.destroy();
  }
}
