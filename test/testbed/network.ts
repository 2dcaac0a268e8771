// The testbed's links: root↔device, root↔server and a direct device↔server veth, each in its own
// /24 of 10.2xx.0.0/16 that this run checked nobody else here uses. No namespace gets a default
// route and forwarding stays off, so nothing can leave for an address outside these links.
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { type Layout, ROUTE_FILE } from './layout';

const exec = promisify(execFile);

/** Fails with the command and its stderr, so a setup error says which step broke. */
export async function cmd(argv: string[]): Promise<string> {
  try {
    return (await exec(argv[0] ?? 'false', argv.slice(1), { encoding: 'utf8' })).stdout;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new Error(`'${argv.join(' ')}' failed: ${stderr.trim() || String(e)}`);
  }
}

export interface Addressing {
  /** The run's 10.A.B.0/22, which holds all four /24s below. */
  block: string;
  /** root↔device /24: root is .1, device is .2 */
  rootDevice: { root: string; device: string };
  /** root↔server /24: root is .1, server is .2 */
  rootServer: { root: string; server: string };
  /** direct device↔server /24: device is .1, server is .2 */
  deviceServer: { device: string; server: string };
  /** /32 on the device's lo where the delay proxy stands in for the server. */
  serverSeenFromDevice: string;
  /** /32 on the server's lo where the delay proxy stands in for the device. */
  deviceSeenFromServer: string;
}

export interface Shaping {
  upMbps: number;
  downMbps: number;
}

/** Picks 10.A.B.0/22 (B a multiple of 4) that no address or route in the root namespace touches. */
export async function pickAddressing(): Promise<Addressing> {
  const inUse = (await cmd(['ip', '-4', '-o', 'addr'])) + (await cmd(['ip', '-4', 'route']));
  for (let attempt = 0; attempt < 100; attempt++) {
    const a = randomInt(200, 250);
    const b = randomInt(0, 64) * 4;
    const nets = [0, 1, 2, 3].map((i) => `10.${a}.${b + i}.`);
    if (nets.some((n) => inUse.includes(n))) continue;
    const [rd, rs, ds, lo] = nets as [string, string, string, string];
    return {
      block: `10.${a}.${b}.0/22`,
      rootDevice: { root: `${rd}1`, device: `${rd}2` },
      rootServer: { root: `${rs}1`, server: `${rs}2` },
      deviceServer: { device: `${ds}1`, server: `${ds}2` },
      serverSeenFromDevice: `${lo}2`,
      deviceSeenFromServer: `${lo}1`,
    };
  }
  throw new Error('no free 10.2xx.x.0/22 block for the testbed');
}

function inNs(ns: string | undefined, argv: string[]): string[] {
  return ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv;
}

/** Router solicitations and DAD would be the only IPv6 on these links: switch it off to keep the
 *  shaped links quiet (only where the kernel has IPv6 at all). */
async function noIpv6(ns: string | undefined, iface: string): Promise<void> {
  if (!existsSync('/proc/sys/net/ipv6')) return;
  await cmd(inNs(ns, ['sysctl', '-q', '-w', `net.ipv6.conf.${iface}.disable_ipv6=1`]));
}

async function addr(ns: string | undefined, iface: string, address: string, bits: number): Promise<void> {
  await noIpv6(ns, iface);
  await cmd(inNs(ns, ['ip', 'addr', 'add', `${address}/${bits}`, 'dev', iface]));
  await cmd(inNs(ns, ['ip', 'link', 'set', iface, 'up']));
}

/**
 * Token bucket on one interface's egress. burst: at least two full frames and 10 ms at the
 * rate (less can't reach the rate); latency 50 ms bounds the queue so a bulk transfer doesn't
 * add seconds of delay to a concurrent request. gso_max_segs 1 makes TCP hand the veth
 * MTU-sized packets, as a real NIC would: 64 KB GSO packets overflow that queue in bursts
 * (24 000 drops in 15 MB, and a first transfer at 89% of the rate instead of 96%).
 */
export async function shape(ns: string | undefined, iface: string, mbps: number): Promise<void> {
  const kbit = Math.max(8, Math.round(mbps * 1000));
  const burst = Math.max(2 * 1514, Math.round((kbit * 1000) / 8 / 100));
  await cmd(inNs(ns, ['ip', 'link', 'set', 'dev', iface, 'gso_max_segs', '1']));
  await cmd(inNs(ns, ['tc', 'qdisc', 'replace', 'dev', iface, 'root', 'tbf',
    'rate', `${kbit}kbit`, 'burst', String(burst), 'latency', '50ms']));
}

/**
 * The root namespace has a default route off this machine: were a testbed /24 ever missing (its
 * link down after cutDevice, or the proxies' /32s, which only exist inside the namespaces), a
 * packet for it would leave by that route. An `unreachable` route for the whole block catches
 * those (the /24s, being longer, win while they exist), and connects fail at once instead.
 * Recorded in the run's dir so that cleanup.ts removes it after a crash too.
 */
async function fenceBlock(l: Layout, a: Addressing): Promise<void> {
  await writeFile(path.join(l.dir, ROUTE_FILE), a.block);
  await cmd(['ip', 'route', 'add', 'unreachable', a.block]);
}

export async function createNetwork(l: Layout, a: Addressing, s: Shaping): Promise<void> {
  const dev = l.nsDevice;
  const srv = l.nsServer;
  await fenceBlock(l, a);
  for (const ns of [dev, srv]) {
    await cmd(['ip', 'netns', 'add', ns]);
    await cmd(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }
  await cmd(['ip', 'link', 'add', l.rootDevice.a, 'type', 'veth', 'peer', 'name', l.rootDevice.b, 'netns', dev]);
  await cmd(['ip', 'link', 'add', l.rootServer.a, 'type', 'veth', 'peer', 'name', l.rootServer.b, 'netns', srv]);
  await cmd(['ip', 'link', 'add', l.deviceServer.a, 'netns', dev, 'type', 'veth', 'peer', 'name', l.deviceServer.b, 'netns', srv]);
  await addr(undefined, l.rootDevice.a, a.rootDevice.root, 24);
  await addr(dev, l.rootDevice.b, a.rootDevice.device, 24);
  await addr(undefined, l.rootServer.a, a.rootServer.root, 24);
  await addr(srv, l.rootServer.b, a.rootServer.server, 24);
  await addr(dev, l.deviceServer.a, a.deviceServer.device, 24);
  await addr(srv, l.deviceServer.b, a.deviceServer.server, 24);
  await cmd(['ip', '-n', dev, 'addr', 'add', `${a.serverSeenFromDevice}/32`, 'dev', 'lo']);
  await cmd(['ip', '-n', srv, 'addr', 'add', `${a.deviceSeenFromServer}/32`, 'dev', 'lo']);
  // Egress shaping on each end: the device's egress is its uplink, the other end's its downlink.
  await shape(dev, l.deviceServer.a, s.upMbps);
  await shape(srv, l.deviceServer.b, s.downMbps);
  await shape(dev, l.rootDevice.b, s.upMbps);
  await shape(undefined, l.rootDevice.a, s.downMbps);
}

/** Waits until an interface in the root namespace reports carrier, so a restored link is usable. */
export async function waitOperUp(iface: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readFile(`/sys/class/net/${iface}/operstate`, 'utf8')).trim() === 'up') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${iface} did not come back up within ${timeoutMs} ms`);
}
