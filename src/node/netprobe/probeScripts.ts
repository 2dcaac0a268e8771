/**
 * The two ends of `edgecut netprobe`, run with `node -e` on the server and on the device (both
 * need Node, which the agent needs anyway). Each exits when its SSH session ends.
 * Wire: the client sends one command byte — 'P' ping (echo 1 byte), 'U'+size (receive size bytes,
 * then answer 1 byte), 'D'+size (send size bytes).
 * The client also times its own write of one framed message on the idle connection (median of
 * 15, at 1 KB and 64 KB, after the rate probes have grown the send buffer): the device's CPU time
 * per message that a deployed runner pays before its next job can start.
 */
export const PROBE_SERVER = `
const net = require('net');
process.stdin.resume(); process.stdin.on('end', () => process.exit(0));
const srv = net.createServer((c) => {
  c.setNoDelay(true);
  let buf = Buffer.alloc(0), want = -1, got = 0, mode = '';
  c.on('data', (d) => {
    if (mode === 'U') { got += d.length; if (got >= want) { c.write('k'); mode = ''; got = 0; } return; }
    buf = Buffer.concat([buf, d]);
    while (buf.length) {
      const cmd = String.fromCharCode(buf[0]);
      if (cmd === 'P') { c.write('p'); buf = buf.subarray(1); continue; }
      if (buf.length < 5) return;
      const size = buf.readUInt32BE(1); const rest = buf.subarray(5); buf = Buffer.alloc(0);
      if (cmd === 'U') { mode = 'U'; want = size; got = rest.length; if (got >= want) { c.write('k'); mode = ''; got = 0; } }
      if (cmd === 'D') { const chunk = Buffer.alloc(65536, 7); let left = size; const pump = () => { while (left > 0) { const n = Math.min(left, chunk.length); left -= n; if (!c.write(chunk.subarray(0, n))) return c.once('drain', pump); } }; pump(); }
      return;
    }
  });
  c.on('error', () => {});
});
srv.listen(Number(process.argv[1] || 0), process.argv[2] || '0.0.0.0', () => console.log(JSON.stringify({ port: srv.address().port })));
`;

export const PROBE_CLIENT = `
const net = require('net');
process.stdin.resume(); process.stdin.on('end', () => process.exit(0));
const [host, port, budgetMs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3] || 3000)];
const c = net.connect(port, host); c.setNoDelay(true);
let waiters = [];
c.on('data', (d) => { if (downWait) return downWait(d.length); for (const b of d) { const w = waiters.shift(); if (w) w(b); } });
let downWait = null;
const byte = () => new Promise((r) => waiters.push(r));
const now = () => Number(process.hrtime.bigint()) / 1e6;
async function ping() { const t = now(); c.write('P'); await byte(); return now() - t; }
async function up(size) { const h = Buffer.alloc(5); h.write('U'); h.writeUInt32BE(size, 1); const t = now(); c.write(h); const chunk = Buffer.alloc(65536, 3); let left = size; while (left > 0) { const n = Math.min(left, chunk.length); left -= n; if (!c.write(chunk.subarray(0, n))) await new Promise((r) => c.once('drain', r)); } await byte(); return now() - t; }
async function down(size) { const h = Buffer.alloc(5); h.write('D'); h.writeUInt32BE(size, 1); let got = 0; const t = now(); const done = new Promise((r) => { downWait = (n) => { got += n; if (got >= size) { downWait = null; r(); } }; }); c.write(h); await done; return now() - t; }
async function rate(fn, rtt) { let size = 64 * 1024, ms = 0; for (;;) { ms = await fn(size); if (ms >= budgetMs / 2 || size >= 64 * 1024 * 1024) break; size = Math.min(64 * 1024 * 1024, size * Math.max(2, Math.ceil(budgetMs / Math.max(ms, 1)))); } return (8 * size) / (1e3 * Math.max(ms - rtt, 1e-3)); }
async function writeMs(size) { const payload = Buffer.alloc(size, 5); const ms = []; for (let i = 0; i < 15; i++) { const t = now(); const h = Buffer.alloc(5); h.write('U'); h.writeUInt32BE(size, 1); c.write(Buffer.concat([h, payload])); ms.push(now() - t); await byte(); } ms.sort((a, b) => a - b); return ms[7]; }
async function sendCost() { const [small, large] = [1024, 65536]; const a = await writeMs(small); const b = await writeMs(large); const perMBMs = Math.max(0, (b - a) / ((large - small) / 1e6)); return { perMessageMs: Math.max(0, a - (perMBMs * small) / 1e6), perMBMs }; }
c.on('connect', async () => {
  const pings = []; for (let i = 0; i < 9; i++) pings.push(await ping());
  pings.sort((a, b) => a - b); const rtt = pings[4];
  const upMbps = await rate(up, rtt / 2); const downMbps = await rate(down, rtt / 2);
  const deviceSend = await sendCost();
  console.log(JSON.stringify({ rttMs: rtt, upMbps, downMbps, deviceSend })); process.exit(0);
});
c.on('error', (e) => { console.log(JSON.stringify({ error: e.message })); process.exit(1); });
`;
