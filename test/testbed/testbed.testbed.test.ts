// The testbed itself: real sshd on both hosts, host keys checked against known_hosts, shaped
// bandwidth, delayed round trips, a CPU cap, a dropped link, and nothing left behind. Needs root.
import { strict as assert } from 'node:assert';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { netnsNames, rootLinkNames } from './cleanup';
import { layoutFor, prefixOf } from './layout';
import { busyLoopCommand, median, probe } from './probes';
import { type SshTarget, sshConnect, sshExec } from './sshClient';
import { type HostInfo, type Testbed, requireTestbed, startTestbed } from './testbed';

const OPTIONS = { upMbps: 10, downMbps: 40, delayMs: 40 };

/** stdout of a spawned probe: `ready` once it prints `listening`, `done` with all it printed. */
function watch(child: ChildProcess): { ready: Promise<void>; done: Promise<string> } {
  let out = '';
  let err = '';
  let markReady = (): void => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('listening\n')) markReady();
  });
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<string>((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`probe exited ${code}: ${err}`))));
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), done };
}

function lastJson<T>(text: string): T {
  const line = text.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}

describe('testbed: a device and a server in network namespaces', function () {
  let tb: Testbed | undefined;
  const bed = (): Testbed => {
    assert.ok(tb, 'testbed not started');
    return tb;
  };
  const target = (h: HostInfo, knownHostsFile = bed().knownHostsFile): SshTarget => ({
    host: h.host, port: h.port, username: bed().user, identityFile: bed().identityFile, knownHostsFile,
  });

  before(async function () {
    requireTestbed(this);
    const t0 = Date.now();
    tb = await startTestbed(OPTIONS);
    console.log(`      testbed ${tb.prefix} up in ${Date.now() - t0} ms`);
  });

  after(async () => tb?.stop());

  it('both hosts accept the client key and prove their host keys against known_hosts, plain and hashed', async () => {
    for (const host of [bed().device, bed().server]) {
      for (const file of [bed().knownHostsFile, bed().knownHostsHashedFile]) {
        const c = await sshConnect(target(host, file));
        const r = await sshExec(c, 'ip -4 -o addr show; echo "telemetry=$ORT_DISABLE_TELEMETRY"');
        c.end();
        assert.equal(r.code, 0);
        assert.match(r.stdout, new RegExp(`inet ${host.host.replace(/\./g, '\\.')}/`), 'session runs in the host namespace');
        assert.match(r.stdout, /telemetry=1/);
      }
    }
    assert.ok(readFileSync(bed().knownHostsHashedFile, 'utf8').startsWith('|1|'), 'hashed variant is hashed');
  });

  it('refuses a host whose key known_hosts lists for another host', async () => {
    const serverKey = readFileSync(path.join(bed().dir, 'server_host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const wrong = path.join(bed().dir, 'known_hosts_wrong');
    writeFileSync(wrong, `${bed().device.host} ${serverKey}\n`);
    await assert.rejects(sshConnect(target(bed().device, wrong)), /verification failed/i);
  });

  it('the device reaches the server over SSH through the delayed link (OpenSSH, hashed known_hosts)', async () => {
    const t = bed();
    const r = await t.run('device', ['ssh', '-F', '/dev/null', '-i', t.identityFile, '-p', String(t.server.port),
      '-o', `UserKnownHostsFile=${t.knownHostsHashedFile}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${t.user}@${t.server.peerAddressFromOther}`, 'ip -4 -o addr show']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`inet ${t.server.directAddress}/`), r.stdout);
  });

  /** Mbit/s of one bulk TCP transfer between device and server, through the delay proxy. */
  async function throughput(direction: 'up' | 'down', mbps: number, seconds: number): Promise<number> {
    const t = bed();
    const bytes = Math.round((mbps * 1e6 * seconds) / 8);
    const port = direction === 'up' ? 8100 : 8101;
    const server = watch(t.spawn('server', probe('listen', t.server.directAddress, port, direction === 'up' ? 'recv' : 'send', bytes)));
    await server.ready;
    const client = await t.run('device', probe('connect', t.server.peerAddressFromOther, port, direction === 'up' ? 'send' : 'recv', bytes));
    assert.equal(client.code, 0, client.stderr);
    const received = lastJson<{ bytes: number; mbps: number }>(direction === 'up' ? await server.done : client.stdout);
    assert.equal(received.bytes, bytes);
    return received.mbps;
  }

  it('device→server and server→device throughput are within 10% of upMbps and downMbps', async () => {
    const up = await throughput('up', OPTIONS.upMbps, 3);
    const down = await throughput('down', OPTIONS.downMbps, 2);
    console.log(`      up ${up.toFixed(2)} Mbit/s (shaped ${OPTIONS.upMbps}), down ${down.toFixed(2)} Mbit/s (shaped ${OPTIONS.downMbps})`);
    assert.ok(Math.abs(up / OPTIONS.upMbps - 1) <= 0.1, `up ${up} Mbit/s`);
    assert.ok(Math.abs(down / OPTIONS.downMbps - 1) <= 0.1, `down ${down} Mbit/s`);
  });

  it('a device↔server round trip takes delayMs (±30%)', async () => {
    const t = bed();
    const echo = watch(t.spawn('server', probe('listen', t.server.directAddress, 8102, 'echo')));
    await echo.ready;
    const r = await t.run('device', probe('connect', t.server.peerAddressFromOther, 8102, 'ping', 21));
    await echo.done;
    // The first round trip also waits for the proxy's upstream connect.
    const rtt = median(lastJson<{ rtts: number[] }>(r.stdout).rtts.slice(1));
    console.log(`      RTT ${rtt.toFixed(1)} ms (delayMs ${OPTIONS.delayMs})`);
    assert.ok(Math.abs(rtt / OPTIONS.delayMs - 1) <= 0.3, `RTT ${rtt} ms`);
  });

  it('setDeviceCpu(0.25) slows a busy loop in an SSH session about fourfold', async () => {
    const c = await sshConnect(target(bed().device));
    // The fastest of a few runs: other work on this machine can slow a run down, never speed it up.
    const fastest = async (runs: number): Promise<{ ms: number; cpuMs: number }> => {
      const all: { ms: number; cpuMs: number }[] = [];
      for (let i = 0; i < runs; i++) all.push(lastJson((await sshExec(c, busyLoopCommand(1e9))).stdout));
      return all.reduce((a, b) => (b.ms < a.ms ? b : a));
    };
    const throttled = (): number => Number(/nr_throttled (\d+)/.exec(readFileSync(path.join(layoutFor(bed().prefix).cgroup, 'cpu.stat'), 'utf8'))?.[1]);
    try {
      await bed().setDeviceCpu(undefined);
      const free = await fastest(3);
      await bed().setDeviceCpu(0.25);
      const before = throttled();
      const capped = await fastest(2);
      const share = capped.cpuMs / capped.ms;
      console.log(`      busy loop ${free.ms.toFixed(0)} ms uncapped, ${capped.ms.toFixed(0)} ms at 0.25 CPU (${share.toFixed(2)} of a CPU)`);
      assert.ok(throttled() > before, 'the kernel throttled the device cgroup');
      // The cap is an upper bound that load elsewhere cannot break; the 4× slowdown needs an idle machine.
      assert.ok(share <= 0.25 * 1.2, `the capped loop got ${share.toFixed(2)} of a CPU`);
      assert.ok(capped.ms / free.ms > 2.5, `only ${(capped.ms / free.ms).toFixed(2)}× slower (is something else loading this machine?)`);
    } finally {
      c.end();
      await bed().setDeviceCpu(undefined);
    }
  });

  it('cutDevice makes SSH to the device fail fast, and restoreDevice brings it back', async () => {
    const t = bed();
    const c = await sshConnect({ ...target(t.device), keepaliveInterval: 250, keepaliveCountMax: 2 });
    assert.equal((await sshExec(c, 'echo up')).stdout.trim(), 'up');
    await t.cutDevice();
    let t0 = Date.now();
    await assert.rejects(sshExec(c, 'echo still-up'));
    const sessionMs = Date.now() - t0;
    c.end();
    t0 = Date.now();
    await assert.rejects(sshConnect({ ...target(t.device), readyTimeout: 3000 }));
    const connectMs = Date.now() - t0;
    console.log(`      after the cut: open session failed in ${sessionMs} ms, new connection in ${connectMs} ms`);
    assert.ok(sessionMs < 3000 && connectMs < 1000, `${sessionMs} ms / ${connectMs} ms`);
    await t.restoreDevice();
    const again = await sshConnect(target(t.device));
    assert.equal((await sshExec(again, 'echo back')).stdout.trim(), 'back');
    again.end();
  });

  it('stop() leaves no namespace, link, cgroup, route or file behind', async () => {
    const t = bed();
    const block = readFileSync(path.join(t.dir, 'fenced-block'), 'utf8').trim();
    await t.stop();
    assert.deepEqual(netnsNames().filter((n) => prefixOf(n) === t.prefix), []);
    assert.deepEqual(rootLinkNames().filter((n) => prefixOf(n) === t.prefix), []);
    assert.ok(!existsSync(`/sys/fs/cgroup/cpu/${t.prefix}-dev`), 'cgroup removed');
    assert.ok(!existsSync(t.dir), 'temp dir removed');
    assert.ok(!execFileSync('ip', ['-4', 'route', 'show', 'type', 'unreachable'], { encoding: 'utf8' }).includes(block), 'route removed');
  });
});
