// A TCP proxy that holds every chunk for a fixed one-way delay in each direction: this kernel has
// no netem, so delay lives in user space (recipe: +30 ms each way gave a 61 ms echo RTT). It
// listens on each port of a list on one address and forwards to the same port on the target.
// Connection setup is not delayed (the accept is local); every byte afterwards is.
//   node -r tsx/cjs delayProxy.ts --listen ADDR --target ADDR --ports 2222,8000-9000 --delay-ms 10
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface DelayProxyOptions {
  listenHost: string;
  targetHost: string;
  ports: number[];
  oneWayDelayMs: number;
}

interface Held {
  due: number;
  /** null marks the sender's end-of-stream, forwarded after the data before it. */
  chunk: Buffer | null;
}

/** Copies src to dst with every chunk held `delayMs`, in order, honouring dst's back-pressure. */
function pipeDelayed(src: net.Socket, dst: net.Socket, delayMs: number): void {
  const queue: Held[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const now = performance.now();
    for (let head = queue[0]; head && head.due <= now; head = queue[0]) {
      queue.shift();
      if (head.chunk === null) {
        dst.end();
        return;
      }
      if (!dst.write(head.chunk) && !src.isPaused()) {
        src.pause();
        dst.once('drain', () => src.resume());
      }
    }
    if (queue[0]) timer = setTimeout(flush, queue[0].due - now);
  };
  const hold = (chunk: Buffer | null): void => {
    queue.push({ due: performance.now() + delayMs, chunk });
    timer ??= setTimeout(flush, delayMs);
  };
  src.on('data', (chunk: Buffer) => hold(chunk));
  src.on('end', () => hold(null));
}

function relay(client: net.Socket, targetHost: string, port: number, delayMs: number): void {
  const upstream = net.connect({ host: targetHost, port, allowHalfOpen: true });
  for (const s of [client, upstream]) s.setNoDelay(true);
  // A reset on one side resets the other, as a router would pass it on. A clean close needs
  // nothing here: its FIN travels through the delay queue behind the last data.
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  pipeDelayed(client, upstream, delayMs);
  pipeDelayed(upstream, client, delayMs);
}

/** Listens on every port; resolves once all listen, rejects on the first that cannot. */
export async function startDelayProxy(o: DelayProxyOptions): Promise<net.Server[]> {
  return Promise.all(o.ports.map((port) => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true }, (c) => relay(c, o.targetHost, port, o.oneWayDelayMs));
    server.once('error', reject);
    server.listen({ host: o.listenHost, port }, () => resolve(server));
  })));
}

/** "22,8000-8002" → [22, 8000, 8001, 8002] */
export function parsePorts(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [lo, hi = lo] = part.split('-').map(Number);
    if (lo === undefined || hi === undefined || !(lo > 0 && hi >= lo && hi < 65536)) throw new Error(`bad port range '${part}'`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  });
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`delayProxy: --${name} is required`);
  return v;
}

if (require.main === module) {
  const options: DelayProxyOptions = {
    listenHost: arg('listen'),
    targetHost: arg('target'),
    ports: parsePorts(arg('ports')),
    oneWayDelayMs: Number(arg('delay-ms')),
  };
  startDelayProxy(options).then(
    () => console.log('ready'),
    (e: Error) => {
      console.error(`delayProxy: ${e.message}`);
      process.exit(1);
    },
  );
}
