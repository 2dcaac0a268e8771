// The testbed (test/testbed/) as a child process of the e2e runner, which is plain JavaScript:
//   node --require tsx/cjs --import tsx/esm test/e2e/lib/testbedProcess.ts
// Prints one JSON line on stdout — {ok: true, device, user, identityFile, knownHostsFile, …} once
// it is up, or {ok: false, reason, why, fix} — and stops the testbed when its stdin closes (the
// runner ends it, or the runner died), on SIGTERM/SIGINT, or after MAX_LIFE_MS at the latest.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { startTestbed, testbedRequirement, TestbedError, type Testbed } from '../../testbed/testbed';

/** Longer than the suite's own watchdog: a testbed must never outlive a stuck run for long. */
const MAX_LIFE_MS = 15 * 60 * 1000;

function say(o: object): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

async function main(): Promise<void> {
  const req = testbedRequirement();
  if (!req.ok) return say({ ok: false, reason: 'requirement-missing', why: req.why, fix: req.fix });
  let tb: Testbed;
  try {
    // Fast links: the checks are about the extension, not the shaping (resnet18 with synthetic
    // weights is a 46 MB upload); no CPU cap, so the measurement takes seconds.
    // Private homes: what the hosts keep (~/.edgecut: agents, deployments) is this run's alone,
    // however many other testbeds (benchmarks, integration tests) run meanwhile.
    tb = await startTestbed({ upMbps: 100, downMbps: 400, delayMs: 2, privateHomes: true });
  } catch (e) {
    return say({ ok: false, reason: e instanceof TestbedError ? e.reason : 'setup-failed', why: e instanceof Error ? e.message : String(e) });
  }
  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`testbed ${tb.prefix}: stopping (${why})\n`);
    await tb.stop();
    process.exit(0);
  };
  const fingerprint = (role: string): string | undefined => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(tb.dir, `${role}_host_ed25519.pub`)], { encoding: 'utf8' }).split(/\s+/)[1];
  say({
    ok: true,
    prefix: tb.prefix,
    device: { host: tb.device.host, port: tb.device.port },
    // The deploy checks' server; the device reaches it (ports 8000–9000) at peerAddressFromOther.
    server: { host: tb.server.host, port: tb.server.port, peerAddressFromOther: tb.server.peerAddressFromOther },
    user: tb.user,
    identityFile: tb.identityFile,
    knownHostsFile: tb.knownHostsFile,
    deviceHostKeyFingerprint: fingerprint('device'),
    serverHostKeyFingerprint: fingerprint('server'),
    dir: tb.dir,
  });
  process.stdin.on('end', () => void stop('stdin closed'));
  process.stdin.on('error', () => void stop('stdin error'));
  process.stdin.resume();
  // startTestbed's own hooks remove the testbed on exit/SIGINT/SIGTERM; this one is for a runner that hangs.
  setTimeout(() => void stop(`still running after ${MAX_LIFE_MS / 60000} min`), MAX_LIFE_MS).unref();
}

main().catch((e: unknown) => {
  say({ ok: false, reason: 'setup-failed', why: e instanceof Error ? e.stack : String(e) });
  process.exit(1);
});
