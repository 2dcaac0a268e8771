// A "Pi" and a "server" on this machine: two network namespaces with real sshd, shaped links, a
// user-space delay between them and a CPU cap on the device. What is shaped and delayed where is
// in README.md beside this file. Everything is named from one random prefix and removed by stop(),
// by a process exit/SIGINT hook, or by cleanup.ts after a crash.
import { type ChildProcess, spawn } from 'node:child_process';
import { requireOrSkip } from '../helpers/paths';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, userInfo } from 'node:os';
import * as path from 'node:path';
import { cleanupLeftovers, netnsNames, removeTestbed, rootLinkNames, testbedPrefixes } from './cleanup';
import { type Layout, layoutFor } from './layout';
import { type Addressing, cmd, createNetwork, pickAddressing, waitOperUp } from './network';
import { makeKey, startSshd, waitForLines, writeKnownHosts } from './sshHosts';

export interface HostInfo {
  /** Address reachable from the root namespace (over the root↔host link). */
  host: string;
  /** sshd's port: 22 on the device (like a Pi), 2222 on the server (so known_hosts has `[addr]:port`). */
  port: number;
  nsName: string;
  /** How the other namespace reaches this host through the delay proxy (shaped and delayed). */
  peerAddressFromOther: string;
  /** This host's address on the direct device↔server link (shaped, not delayed). */
  directAddress: string;
}

export type HostName = 'device' | 'server';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface TestbedOptions {
  /** device→server and device→root rate (tc tbf), Mbit/s */
  upMbps?: number;
  /** server→device and root→device rate, Mbit/s */
  downMbps?: number;
  /** round trip the delay proxies add between device and server (half each way), ms */
  delayMs?: number;
  /**
   * CPU cap of the device in CPUs (0.25 = a quarter of one core), a CFS quota; unset: no cap.
   * For a whole core use `deviceCores` instead: a 1-CPU quota throttles even a process pinned to
   * one core (squeezenet stalled 2 ms in every third run, `nr_throttled` climbing), which a
   * profile's medians hide and a makespan, a sum, does not.
   */
  deviceCpu?: number;
  /** CPU list (taskset) the device's processes are pinned to, e.g. '1': a dedicated core, so its
   *  threads time-share one core instead of being throttled in bursts by the quota; unset: any */
  deviceCores?: string;
  /** CPU list for the server's sshd (so everything started over it) and the delay proxies: with
   *  `deviceCores` disjoint from it, server work and the link never take the device's CPU, as on
   *  two machines; unset: any */
  serverCores?: string;
  /** server ports the device reaches through the delay proxy, besides the server's sshd */
  delayedPorts?: string;
  /** each host's sessions get their own HOME in the testbed's dir (two machines, not one user's
   *  home): what the hosts keep there (~/.edgecut: agents, deployments) is this testbed's alone,
   *  so another testbed running at the same time cannot touch it; unset: the user's HOME */
  privateHomes?: boolean;
}

export interface Testbed {
  prefix: string;
  device: HostInfo;
  server: HostInfo;
  options: Required<Omit<TestbedOptions, 'deviceCpu' | 'deviceCores' | 'serverCores' | 'privateHomes'>>;
  /** Both hosts' keys under every address and port they answer on. */
  knownHostsFile: string;
  /** The same entries, hashed (`ssh-keygen -H`), for tests of hashed known_hosts handling. */
  knownHostsHashedFile: string;
  /** Private key (ed25519, OpenSSH format) that both sshds accept for `user`. */
  identityFile: string;
  user: string;
  dir: string;
  /** Runs a command in a host's namespace (on the device: inside its CPU cap). */
  run(ns: HostName, cmd: string[]): Promise<RunResult>;
  /** Like run, for a long-running process (a model server): the caller owns it until stop(). */
  spawn(ns: HostName, cmd: string[]): ChildProcess;
  setDeviceCpu(fraction: number | undefined): Promise<void>;
  /** Takes the root↔device link down, as a dropped Wi-Fi would; the device↔server link stays. */
  cutDevice(): Promise<void>;
  restoreDevice(): Promise<void>;
  stop(): Promise<void>;
}

export class TestbedError extends Error {
  constructor(readonly reason: 'requirement-missing' | 'setup-failed', message: string) {
    super(message);
  }
}

const SERVER_SSH_PORT = 2222;
const DEFAULTS = { upMbps: 10, downMbps: 40, delayMs: 20, delayedPorts: '8000-9000' };

/**
 * For a suite's before hook: skips it (printing SKIPPED with the reason and the fix) when this
 * machine cannot run the testbed; under CI=true a missing requirement fails instead.
 */
export function requireTestbed(ctx: Mocha.Context): void {
  const req = testbedRequirement();
  requireOrSkip(ctx, req.ok, `what the testbed needs (${req.why ?? ''})`, req.fix ?? '');
}

/** What this machine lacks to run the testbed, with the fix; ok when nothing. */
export function testbedRequirement(): { ok: boolean; why?: string; fix?: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'the testbed needs Linux network namespaces', fix: 'run on Linux' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'the testbed needs root (network namespaces)', fix: 'run as root (CI does)' };
  const tools: [string, string][] = [
    ['/usr/sbin/sshd', 'apt-get install -y openssh-server'],
    ['/usr/bin/ssh-keygen', 'apt-get install -y openssh-client'],
    ['/usr/bin/unshare', 'apt-get install -y util-linux'],
  ];
  for (const [file, fix] of tools) if (!existsSync(file)) return { ok: false, why: `${file} is missing`, fix };
  for (const tool of ['ip', 'tc']) {
    if (!['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some((d) => existsSync(path.join(d, tool)))) {
      return { ok: false, why: `'${tool}' is missing`, fix: 'apt-get install -y iproute2' };
    }
  }
  try {
    accessSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us', constants.W_OK);
  } catch {
    return { ok: false, why: 'no writable cgroup v1 cpu controller at /sys/fs/cgroup/cpu', fix: 'run on a host (or privileged container) with cgroup v1 cpu mounted' };
  }
  return { ok: true };
}

// One exit hook for all live testbeds: a failed or interrupted run must leave nothing behind.
const live = new Set<string>();
const onExit = (): void => {
  for (const prefix of live) removeTestbed(prefix);
  live.clear();
};
const onSignal = (signal: NodeJS.Signals): void => {
  onExit();
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
function track(prefix: string): void {
  if (live.size === 0) {
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  live.add(prefix);
}
function untrack(prefix: string): void {
  live.delete(prefix);
  if (live.size > 0) return;
  process.off('exit', onExit);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

function freshPrefix(): string {
  const taken = new Set([...testbedPrefixes(), ...netnsNames(), ...rootLinkNames()]);
  for (;;) {
    const p = `ec${randomBytes(2).toString('hex')}`;
    if (!taken.has(p)) return p;
  }
}

export async function startTestbed(opts: TestbedOptions = {}): Promise<Testbed> {
  const req = testbedRequirement();
  if (!req.ok) throw new TestbedError('requirement-missing', `${req.why} — fix: ${req.fix}`);
  cleanupLeftovers();
  const l = layoutFor(freshPrefix());
  track(l.prefix);
  try {
    const { deviceCpu, deviceCores, serverCores, privateHomes, ...rest } = opts;
    return await build(l, { ...DEFAULTS, ...withoutUndefined(rest) }, { deviceCpu, deviceCores, serverCores }, privateHomes);
  } catch (e) {
    removeTestbed(l.prefix);
    untrack(l.prefix);
    throw new TestbedError('setup-failed', `testbed ${l.prefix} did not start: ${(e as Error).message}`);
  }
}

/**
 * A device on a core of its own, and the server and the link on the others: the nearest a shared
 * machine comes to two. Without it the server's and the proxies' work preempted the device in JPS
 * runs (its local jobs ran 6–30 % slower than the same jobs in an all-local run beside it). One
 * core: nothing to split.
 */
export function separateCores(cores = cpus().length): Pick<TestbedOptions, 'deviceCores' | 'serverCores'> {
  if (cores < 2) return {};
  return { deviceCores: String(cores - 1), serverCores: cores === 2 ? '0' : `0-${cores - 2}` };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The device's way in: join its cgroup, then (pinned) exec under taskset; the shell joins
 *  first, so the command is capped from its first instruction. */
export function deviceEntry(cgroup: string, cores: string | undefined, argv: string[]): string[] {
  return ['sh', '-c', 'echo $$ > "$0" && exec "$@"', path.join(cgroup, 'cgroup.procs'), ...pinned(cores, argv)];
}

/** argv under taskset on `cores`, or as it is. */
function pinned(cores: string | undefined, argv: string[]): string[] {
  return cores ? ['taskset', '-c', cores, ...argv] : argv;
}

/** Where each host's processes run. */
type Cpus = Pick<TestbedOptions, 'deviceCpu' | 'deviceCores' | 'serverCores'>;

/** In a namespace, on the host's cores; on the device, inside its cgroup first. */
function nsArgv(l: Layout, ns: HostName, argv: string[], cpu: Cpus): string[] {
  const inNs = ['ip', 'netns', 'exec', ns === 'device' ? l.nsDevice : l.nsServer, ...argv];
  return ns === 'server' ? pinned(cpu.serverCores, inNs) : deviceEntry(l.cgroup, cpu.deviceCores, inNs);
}

function spawnIn(l: Layout, ns: HostName, argv: string[], cpu: Cpus): ChildProcess {
  const full = nsArgv(l, ns, argv, cpu);
  return spawn(full[0] ?? 'false', full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
}

function runIn(l: Layout, ns: HostName, argv: string[], cpu: Cpus): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnIn(l, ns, argv, cpu);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
  });
}

/** cgroup v1 CFS quota. A 10 ms period keeps the throttling fine-grained (a capped device runs
 *  in 2.5 ms slices, not 25 ms ones); below 0.1 CPU the kernel's 1 ms minimum quota needs 100 ms. */
async function writeCpuCap(cgroup: string, fraction: number | undefined): Promise<void> {
  const capped = fraction !== undefined && fraction > 0 && Number.isFinite(fraction);
  const period = capped && fraction < 0.1 ? 100_000 : 10_000;
  await writeFile(path.join(cgroup, 'cpu.cfs_quota_us'), '-1');
  await writeFile(path.join(cgroup, 'cpu.cfs_period_us'), String(period));
  if (capped) await writeFile(path.join(cgroup, 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round(fraction * period))));
}

/**
 * The delay proxies' nice value: a raised CFS weight, so a link's delay does not wait long for a
 * busy server or device to yield the CPU. Not SCHED_FIFO: two real-time proxies were once seen
 * busy at 93 % CPU each with almost no syscalls, leaving the VM's other tasks the kernel's 5 %
 * (profiles ran 5–15× slower, an agent missed its heartbeat).
 */
const PROXY_NICE = -10;

/** Two proxies: on the device for the server's sshd and `delayedPorts`, on the server for the
 *  device's sshd (only: more would take ports a server app may want to bind on 0.0.0.0). */
async function startProxies(l: Layout, a: Addressing, o: Testbed['options'], cores: string | undefined): Promise<ChildProcess[]> {
  const script = path.join(__dirname, 'delayProxy.ts');
  const tsx = require.resolve('tsx/cjs');
  const oneWay = String(o.delayMs / 2);
  const specs: [string, string, string, string][] = [
    [l.nsDevice, a.serverSeenFromDevice, a.deviceServer.server, `${SERVER_SSH_PORT},${o.delayedPorts}`],
    [l.nsServer, a.deviceSeenFromServer, a.deviceServer.device, '22'],
  ];
  return Promise.all(specs.map(async ([ns, listen, target, ports]) => {
    const argv = pinned(cores, ['ip', 'netns', 'exec', ns, 'nice', '-n', String(PROXY_NICE), process.execPath, '-r', tsx, script,
      '--listen', listen, '--target', target, '--ports', ports, '--delay-ms', oneWay]);
    const child = spawn(argv[0] ?? 'ip', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForLines(child, /^ready$/gm, 1, `delay proxy in ${ns}`);
    return child;
  }));
}

async function build(l: Layout, o: Testbed['options'], cpu: Cpus, privateHomes = false): Promise<Testbed> {
  await mkdir(l.dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(l.dir, 'owner.pid'), String(process.pid));
  const a = await pickAddressing();
  await createNetwork(l, a, o);
  await mkdir(l.cgroup);
  await writeCpuCap(l.cgroup, cpu.deviceCpu);

  const identityFile = path.join(l.dir, 'client_ed25519');
  await writeFile(path.join(l.dir, 'authorized_keys'), `${await makeKey(identityFile, 'edgecut-testbed-client')}\n`);
  const deviceKey = await makeKey(path.join(l.dir, 'device_host_ed25519'), 'edgecut-testbed-device');
  const serverKey = await makeKey(path.join(l.dir, 'server_host_ed25519'), 'edgecut-testbed-server');
  const deviceListen = [a.rootDevice.device, a.deviceServer.device];
  const serverListen = [a.rootServer.server, a.deviceServer.server];
  const home = async (role: HostName): Promise<string | undefined> => {
    if (!privateHomes) return undefined;
    const dir = path.join(l.dir, `home-${role}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  };
  await startSshd(l.dir, { role: 'device', nsName: l.nsDevice, port: 22, listen: deviceListen, home: await home('device') }, (argv) => deviceEntry(l.cgroup, cpu.deviceCores, argv));
  await startSshd(l.dir, { role: 'server', nsName: l.nsServer, port: SERVER_SSH_PORT, listen: serverListen, home: await home('server') }, (argv) => pinned(cpu.serverCores, argv));
  await startProxies(l, a, o, cpu.serverCores);
  const known = await writeKnownHosts(l.dir, [
    ...[...deviceListen, a.deviceSeenFromServer].map((address) => ({ address, port: 22, publicKey: deviceKey })),
    ...[...serverListen, a.serverSeenFromDevice].map((address) => ({ address, port: SERVER_SSH_PORT, publicKey: serverKey })),
  ]);

  let stopped = false;
  return {
    prefix: l.prefix,
    device: { host: a.rootDevice.device, port: 22, nsName: l.nsDevice, peerAddressFromOther: a.deviceSeenFromServer, directAddress: a.deviceServer.device },
    server: { host: a.rootServer.server, port: SERVER_SSH_PORT, nsName: l.nsServer, peerAddressFromOther: a.serverSeenFromDevice, directAddress: a.deviceServer.server },
    options: o,
    knownHostsFile: known.plain,
    knownHostsHashedFile: known.hashed,
    identityFile,
    user: userInfo().username,
    dir: l.dir,
    run: (ns, argv) => runIn(l, ns, argv, cpu),
    spawn: (ns, argv) => spawnIn(l, ns, argv, cpu),
    setDeviceCpu: (fraction) => writeCpuCap(l.cgroup, fraction),
    cutDevice: async () => void (await cmd(['ip', 'link', 'set', l.rootDevice.a, 'down'])),
    restoreDevice: async () => {
      await cmd(['ip', 'link', 'set', l.rootDevice.a, 'up']);
      await waitOperUp(l.rootDevice.a);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      removeTestbed(l.prefix);
      untrack(l.prefix);
    },
  };
}
