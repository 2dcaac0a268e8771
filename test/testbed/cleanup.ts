// Tears a testbed down, synchronously so it also works from a process 'exit' hook, and finds the
// leftovers of crashed runs. Safe to run anytime: a run whose owner process is still alive is left
// alone unless --force is given.
//   npx tsx test/testbed/cleanup.ts [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CGROUP_CPU_ROOT, ROUTE_FILE, layoutFor, prefixOf } from './layout';

function sh(cmd: string[]): { code: number; stdout: string } {
  const r = spawnSync(cmd[0] ?? 'false', cmd.slice(1), { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '' };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A process that has exited but not been reaped is gone for our purposes. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/s.test(stat);
  } catch {
    return false;
  }
}

export function netnsNames(): string[] {
  return sh(['ip', 'netns', 'list']).stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);
}

/** Interface names in the root namespace (`ip -o link` prints `3: name@peer: <...>`). */
export function rootLinkNames(): string[] {
  return sh(['ip', '-o', 'link', 'show']).stdout.split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1] ?? '')
    .filter(Boolean);
}

function pidsToKill(prefix: string, namespaces: string[]): number[] {
  const l = layoutFor(prefix);
  const pids = new Set<number>();
  for (const ns of namespaces.filter((n) => n === l.nsDevice || n === l.nsServer)) {
    for (const p of sh(['ip', 'netns', 'pids', ns]).stdout.split('\n')) if (p) pids.add(Number(p));
  }
  const procs = path.join(l.cgroup, 'cgroup.procs');
  if (existsSync(procs)) for (const p of readFileSync(procs, 'utf8').split('\n')) if (p) pids.add(Number(p));
  pids.delete(process.pid);
  return [...pids];
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 3000;
  while (pids.some(isRunning) && Date.now() < deadline) sleepSync(20);
}

function removeCgroup(dir: string): void {
  // rmdir fails with EBUSY for a moment after its last task exits.
  for (let i = 0; i < 50 && existsSync(dir); i++) {
    try {
      rmdirSync(dir);
    } catch {
      sleepSync(20);
    }
  }
}

/** The run's `unreachable` route, if it recorded one (network.ts, fenceBlock). */
function removeFence(routeFile: string): void {
  if (!existsSync(routeFile)) return;
  const block = readFileSync(routeFile, 'utf8').trim();
  if (/^10\.2\d\d\.\d+\.0\/22$/.test(block)) sh(['ip', 'route', 'del', 'unreachable', block]);
}

/** Removes every process, namespace, link, cgroup and file of one run. Idempotent. */
export function removeTestbed(prefix: string): void {
  const l = layoutFor(prefix);
  const namespaces = netnsNames();
  killAll(pidsToKill(prefix, namespaces));
  // Deleting the root-side end of a veth deletes its peer inside the namespace at once; a
  // deleted namespace would free them too, but in a kernel work queue, later.
  const links = rootLinkNames().filter((n) => prefixOf(n) === prefix);
  for (const link of links) sh(['ip', 'link', 'del', link]);
  for (const ns of [l.nsDevice, l.nsServer]) if (namespaces.includes(ns)) sh(['ip', 'netns', 'del', ns]);
  removeCgroup(l.cgroup);
  removeFence(path.join(l.dir, ROUTE_FILE));
  rmSync(l.dir, { recursive: true, force: true });
}

function ownerAlive(prefix: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(layoutFor(prefix).dir, 'owner.pid'), 'utf8'));
    return pid > 0 && pid !== process.pid && isRunning(pid);
  } catch {
    return false;
  }
}

/** Prefixes of all runs that left something here: namespaces, root links, cgroups, temp dirs. */
export function testbedPrefixes(): string[] {
  const names = [
    ...netnsNames(),
    ...rootLinkNames(),
    ...(existsSync(CGROUP_CPU_ROOT) ? readdirSync(CGROUP_CPU_ROOT) : []),
    ...readdirSync(tmpdir()),
  ];
  return [...new Set(names.map(prefixOf).filter((p): p is string => p !== undefined))];
}

/** Removes the leftovers of runs whose owner process is gone (all runs with `force`). */
export function cleanupLeftovers(opts: { force?: boolean } = {}): string[] {
  const removed = testbedPrefixes().filter((p) => opts.force || !ownerAlive(p));
  for (const p of removed) removeTestbed(p);
  return removed;
}

if (require.main === module) {
  if (process.getuid?.() !== 0) {
    console.error('cleanup needs root (it deletes network namespaces)');
    process.exit(1);
  }
  const removed = cleanupLeftovers({ force: process.argv.includes('--force') });
  console.log(removed.length ? `removed testbeds: ${removed.join(', ')}` : 'nothing to clean up');
}
