import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SendCost } from '../../src/core/plan/network';
import type { PlanJson } from '../../src/core/plan/planJson';
import type { DeviceProfileJson } from '../../src/node/profile/profileDevice';
import { REPO_ROOT, sharedModelsDir } from '../helpers/paths';
import { requireTestbed, startTestbed, type Testbed } from '../testbed/testbed';
import { runCli } from '../../src/cli/main';
import { cli } from '../helpers/cli';
import { SshSession } from '../../src/node/ssh/sshSession';
import { resolveTarget } from '../../src/node/ssh/sshTarget';

/** Step 4 against the real testbed: profile, netprobe, fit, and the refusals. */
describe('device measurement on the testbed (sshd in network namespaces)', function () {
  this.timeout(600_000);
  let tb: Testbed;
  const work = mkdtempSync(path.join(tmpdir(), 'edgecut-measure-'));
  const squeezenet = path.join(sharedModelsDir() ?? '', 'squeezenet1_1.onnx');
  const resnet = path.join(REPO_ROOT, 'examples', 'resnet18.onnx');
  const deviceSpec = (): string => `${tb.user}@${tb.device.host}:${tb.device.port}`;
  const ssh = (): string[] => ['--identity', tb.identityFile, '--known-hosts', tb.knownHostsFile];

  before(async function () {
    requireTestbed(this);
    if (!existsSync(path.join(REPO_ROOT, 'dist', 'agent', 'edgecut-agent.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: REPO_ROOT });
    tb = await startTestbed({ upMbps: 10, downMbps: 40, delayMs: 20 });
    // The namespaces share this machine's file system: start without an agent from earlier runs.
    await tb.run('device', ['sh', '-c', 'rm -rf "$HOME/.edgecut"']);
  });

  after(async () => {
    await tb?.stop();
  });

  it('profiles every layer of a model, provisions the agent once, and plans with the profile', async () => {
    const out = path.join(work, 'squeezenet.profile.json');
    const r = await cli('profile', squeezenet, '--host', deviceSpec(), ...ssh(), '--runs', '5', '--warmup', '2', '--load', '0,1', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /provisioning agent-v\d+-x64/);
    const p = JSON.parse(readFileSync(out, 'utf8')) as DeviceProfileJson;
    assert.equal(p.kind, 'measured');
    assert.equal(p.layers.length, p.layerCount);
    assert.ok(p.layers.filter((l) => l.ms > 0).length >= p.layerCount - 2, 'every computing layer was timed');
    assert.equal(p.loads.length, 2);
    assert.ok(p.wholeModelMs.median > 0 && p.facts.arch === 'x64' && p.facts.cores >= 1);
    // The profiler's bookkeeping per node, measured on the device (a few µs on this host).
    assert.ok(p.profilerNodeMs !== undefined && p.profilerNodeMs > 1e-4 && p.profilerNodeMs < 0.05, `profiler ${p.profilerNodeMs} ms per node`);
    assert.ok(p.layerFeatures.every((f) => f.nodes !== undefined));
    assert.equal(p.outputBytes, 4000, 'squeezenet hands back 1000 floats');
    const again = await cli('profile', squeezenet, '--host', deviceSpec(), ...ssh(), '--runs', '1', '--warmup', '0', '--out', path.join(work, 'again.json'));
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /already on/);
    const plan = await cli('plan', squeezenet, '--device', out, '--jobs', '4', '--json');
    assert.equal(plan.code, 0, plan.err);
    const j = JSON.parse(plan.out) as PlanJson;
    // Each layer: its measured median without the profiler's bookkeeping, plus its share of the
    // session's own time (whole − sum).
    const compute = p.layers.map((l) => Math.max(0.1 * l.ms, l.ms - (p.profilerNodeMs ?? 0) * (p.layerFeatures[l.id]?.nodes ?? 0)));
    const overhead = Math.max(0, p.wholeModelMs.median - compute.reduce((s, x) => s + x, 0)) / p.layers.length;
    j.layers.forEach((l, i) => assert.ok(Math.abs(l.deviceMs - ((compute[i] ?? 0) + overhead)) < 1e-9, `layer ${i}: ${l.deviceMs}`));
    const left = await tb.run('device', ['sh', '-c', 'ls ~/.edgecut | grep -c work- || true']);
    assert.equal(left.stdout.trim(), '0', 'the work folder is removed');
  });

  it('profiles a graph-only model with synthetic weights', async () => {
    const out = path.join(work, 'resnet.profile.json');
    const r = await cli('profile', resnet, '--host', deviceSpec(), ...ssh(), '--runs', '2', '--warmup', '1', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /synthetic weights/);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as DeviceProfileJson).layerCount, 31);
  });

  it('refuses an unknown host key (with its fingerprint) unless --accept-new-host-key, then remembers it', async () => {
    const kh = path.join(work, 'empty_known_hosts');
    writeFileSync(kh, '');
    const args = ['profile', squeezenet, '--host', deviceSpec(), '--identity', tb.identityFile, '--known-hosts', kh, '--runs', '1', '--warmup', '0', '--out', path.join(work, 'x.json')];
    const refused = await cli(...args);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /is not in .*SHA256:[A-Za-z0-9+/]{43}.*--accept-new-host-key/);
    const accepted = await cli(...args, '--accept-new-host-key');
    assert.equal(accepted.code, 0, accepted.err);
    assert.match(readFileSync(kh, 'utf8'), /ssh-ed25519/);
    assert.equal((await cli(...args)).code, 0, 'the recorded key is trusted next time');
  });

  it('always refuses a changed host key, showing both fingerprints', async () => {
    const kh = path.join(work, 'wrong_known_hosts');
    const other = path.join(work, 'otherkey');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const pub = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const token = tb.device.port === 22 ? tb.device.host : `[${tb.device.host}]:${tb.device.port}`;
    writeFileSync(kh, `${token} ${pub}\n`);
    const r = await cli('profile', squeezenet, '--host', deviceSpec(), '--identity', tb.identityFile, '--known-hosts', kh, '--accept-new-host-key', '--runs', '1', '--out', path.join(work, 'y.json'));
    assert.equal(r.code, 2);
    assert.match(r.err, /CHANGED.*SHA256:.*known_hosts has ssh-ed25519 SHA256:/);
  });

  it('reads hashed known_hosts entries', async () => {
    const r = await cli('profile', squeezenet, '--host', deviceSpec(), '--identity', tb.identityFile, '--known-hosts', tb.knownHostsHashedFile, '--runs', '1', '--warmup', '0', '--out', path.join(work, 'z.json'));
    assert.equal(r.code, 0, r.err);
  });

  it('reports a connection cut mid-profile clearly and leaves no agent running on the device', async () => {
    let cut = false;
    let messages = '';
    const running = runCli(['profile', squeezenet, '--host', deviceSpec(), ...ssh(), '--runs', '400', '--warmup', '0', '--out', path.join(work, 'cut.json')], {
      stdout: () => undefined,
      stderr: (t) => {
        messages += t;
        if (!cut && /run 5\//.test(t)) {
          cut = true;
          void tb.cutDevice();
        }
      },
    });
    const exit = await running;
    assert.equal(exit, 2, 'exit 2 with a message');
    assert.match(messages, /lost|cannot reach|timed out/i);
    await tb.restoreDevice();
    // The agent stops itself once the heartbeat is gone (10 s); give it that long.
    let left = '';
    for (let i = 0; i < 20; i++) {
      left = (await tb.run('device', ['sh', '-c', "pgrep -f 'edgecut-[a]gent.js' || true"])).stdout.trim();
      if (!left) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(left, '', `agent still running: ${left}`);
  });

  it('cancelling an upload stops the SFTP transfer at once; progress counts the bytes sent', async () => {
    const big = path.join(work, 'big.bin');
    writeFileSync(big, Buffer.alloc(256 << 20, 7));
    const session = await SshSession.open(resolveTarget(deviceSpec(), { identity: tb.identityFile }), { knownHosts: [tb.knownHostsFile] });
    const remote = `/tmp/edgecut-cancel-${process.pid}.bin`;
    try {
      const abort = new AbortController();
      const seen: number[] = [];
      let cancelledAt = 0;
      const t0 = Date.now();
      await assert.rejects(
        session.upload(big, remote, {
          signal: abort.signal,
          progress: (sent, total) => {
            assert.equal(total, 256 << 20);
            seen.push(sent);
            if (!cancelledAt && sent >= 1 << 20) {
              cancelledAt = Date.now();
              abort.abort();
            }
          },
        }),
        (e: Error) => e.name === 'SshError' && /cancelled/.test(e.message),
      );
      assert.ok(cancelledAt > 0, 'progress was reported');
      assert.ok(seen.every((x, i) => i === 0 || x >= (seen[i - 1] ?? 0)), 'progress only grows');
      const size = Number((await session.exec(`stat -c %s ${remote} 2>/dev/null || echo 0`)).stdout.trim());
      assert.ok(size < 256 << 20, `the transfer stopped short (${size} bytes of ${256 << 20}; ${Date.now() - t0} ms)`);
      // The session is still usable after a cancelled upload.
      assert.equal((await session.exec('echo ok')).stdout.trim(), 'ok');
      await assert.rejects(session.upload(big, remote, { signal: abort.signal }), /cancelled/);
    } finally {
      await session.exec(`rm -f ${remote}`).catch(() => undefined);
      session.close();
    }
  });

  it('netprobe measures the device↔server link (not this machine’s) within 10% of the shaping', async () => {
    const out = path.join(work, 'net.json');
    const r = await cli('netprobe', '--device', deviceSpec(), '--server', `${tb.user}@${tb.server.host}:${tb.server.port}`, '--server-address', tb.server.peerAddressFromOther, ...ssh(), '--out', out);
    assert.equal(r.code, 0, r.err);
    const net = JSON.parse(readFileSync(out, 'utf8')) as { upMbps: number; downMbps: number; rttMs: number; deviceSend: SendCost };
    assert.ok(Math.abs(net.upMbps - 10) / 10 < 0.1, `up ${net.upMbps}`);
    assert.ok(Math.abs(net.downMbps - 40) / 40 < 0.1, `down ${net.downMbps}`);
    assert.ok(net.rttMs > 20 * 0.7 && net.rttMs < 20 * 1.6, `rtt ${net.rttMs}`);
    // A write on the device takes some microseconds, and far less than the link's own time.
    console.log(`      device send: ${net.deviceSend.perMessageMs} ms per message + ${net.deviceSend.perMBMs} ms/MB`);
    assert.ok(net.deviceSend.perMessageMs > 0 && net.deviceSend.perMessageMs < 5, `per message ${net.deviceSend.perMessageMs} ms`);
    assert.ok(net.deviceSend.perMBMs >= 0 && net.deviceSend.perMBMs < 0.1 * 800, `per MB ${net.deviceSend.perMBMs} ms (the 10 Mbit/s link takes 800 ms/MB)`);
    const plan = await cli('plan', squeezenet, '--network', out, '--json');
    assert.equal(plan.code, 0, plan.err);
    // The plan charges it to the device: all on the server, the device still sends the input.
    const j = JSON.parse(plan.out) as PlanJson;
    assert.deepEqual(j.network.deviceSend, net.deviceSend);
    const cloud = j.candidates.find((c) => c.headLayers.length === 0);
    assert.ok(cloud, 'the all-server candidate');
    const input = 3 * 224 * 224 * 4;
    assert.ok(Math.abs(cloud.deviceMs - (net.deviceSend.perMessageMs + (net.deviceSend.perMBMs * input) / 1e6)) < 1e-6, `CO device stage ${cloud.deviceMs} ms`);
  });

  it('fits a load-aware predictor from profiles and plans an unprofiled model with it', async () => {
    const profiles = [path.join(work, 'squeezenet.profile.json'), path.join(work, 'resnet.profile.json')];
    const out = path.join(work, 'device.predictor.json');
    const r = await cli('fit', ...profiles, '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /op type\s+samples\s+form\s+R² idle\s+R² under load/);
    assert.match(r.out, /leave-one-model-out/);
    const plan = await cli('plan', path.join(REPO_ROOT, 'examples', 'googlenet.onnx'), '--device', out, '--json');
    assert.equal(plan.code, 0, plan.err);
    const j = JSON.parse(plan.out) as PlanJson;
    assert.ok(j.layers.every((l) => l.deviceMs >= 0) && j.strategies.LO.makespanMs > 0);
  });
});
