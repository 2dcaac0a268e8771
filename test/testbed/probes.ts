// Node one-liners the testbed test runs inside the namespaces (node is there; nc and iperf are
// not). Each prints one JSON line, so the test reads numbers, not logs.

/**
 * `listen|connect HOST PORT send N|recv|echo|ping N`: one TCP connection, either end.
 * recv's rate leaves out the first chunk (it arrives with the token bucket's burst) and spans
 * first to last byte, so neither connection setup nor the burst inflates it.
 */
const PROBE_JS = String.raw`
const net = require('net');
const { performance } = require('perf_hooks');
const [role, host, port, action, n] = process.argv.slice(1);
const out = (o) => console.log(JSON.stringify(o));
function act(s) {
  s.setNoDelay(true);
  if (action === 'send') {
    let left = Number(n);
    const chunk = Buffer.alloc(65536, 120);
    const pump = () => {
      while (left > 0) {
        const k = Math.min(left, chunk.length);
        left -= k;
        if (!s.write(chunk.subarray(0, k))) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
    s.resume();
  } else if (action === 'recv') {
    let bytes = 0, first = 0, t0 = 0, t1 = 0;
    s.on('data', (b) => {
      const t = performance.now();
      if (!t0) { t0 = t; first = b.length; }
      t1 = t;
      bytes += b.length;
    });
    s.on('end', () => { out({ bytes, ms: t1 - t0, mbps: ((bytes - first) * 8) / ((t1 - t0) * 1000) }); s.end(); });
  } else if (action === 'echo') {
    s.pipe(s);
  } else if (action === 'ping') {
    const rtts = [];
    let t = performance.now();
    s.on('data', () => {
      rtts.push(performance.now() - t);
      if (rtts.length === Number(n)) return void s.end();
      t = performance.now();
      s.write('p');
    });
    s.on('end', () => out({ rtts }));
    s.write('p');
  }
}
if (role === 'listen') {
  const server = net.createServer({ allowHalfOpen: true }, (s) => { server.close(); act(s); });
  server.listen(Number(port), host, () => console.log('listening'));
} else {
  const s = net.connect({ host, port: Number(port), allowHalfOpen: true });
  s.on('error', (e) => { console.error(e.message); process.exit(2); });
  act(s);
}
`;

export function probe(role: 'listen' | 'connect', host: string, port: number, action: 'send' | 'recv' | 'echo' | 'ping', n?: number): string[] {
  return [process.execPath, '-e', PROBE_JS, role, host, String(port), action, ...(n === undefined ? [] : [String(n)])];
}

/**
 * A single-threaded busy loop that reports its own wall and CPU time (node's startup left out):
 * cpuMs/ms is the share of a CPU it got, which a CPU cap bounds whatever else the machine runs.
 * The loop is a function optimised by warm-up calls before the clock starts: a top-level loop is
 * optimised on the fly (on-stack replacement), and whether that happened early or late once made
 * the same loop 5× slower per iteration in one run than in the next (1041 ms free, 193 ms of CPU
 * capped), whatever the cap.
 */
export function busyLoopCommand(iterations: number): string {
  const js = 'function spin(n){let x=0;for(let i=0;i<n;i++)x=(x+i)|0;return x}for(let k=0;k<200;k++)spin(1e5);' +
    `const w=performance.now(),c=process.cpuUsage();const x=spin(${iterations});` +
    'const u=process.cpuUsage(c);console.log(JSON.stringify({ms:performance.now()-w,cpuMs:(u.user+u.system)/1000,x}))';
  return `${process.execPath} -e '${js}'`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
