// Names of everything one testbed run creates, derived from its prefix alone, so that stop(),
// the exit hook and cleanup.ts (which only knows the names it finds) agree on what to remove.
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** `ec` + 4 hex digits: short enough for 15-character interface names, specific enough that
 *  cleanup never touches a namespace or link that some other tool named `ec…`. */
export const PREFIX_PATTERN = /^ec[0-9a-f]{4}$/;
/** A name this testbed gave: `<prefix>-<role>`. */
export const NAME_PATTERN = /^(ec[0-9a-f]{4})-[a-z]{2,3}$/;

export const CGROUP_CPU_ROOT = '/sys/fs/cgroup/cpu';
export const TESTBED_DIR_PREFIX = 'edgecut-testbed-';
/** In the run's dir: the 10.A.B.0/22 whose `unreachable` route the run added to the root namespace. */
export const ROUTE_FILE = 'fenced-block';

/** One veth pair: `a` lives in the first namespace named by the link, `b` in the second. */
export interface VethPair {
  a: string;
  b: string;
}

export interface Layout {
  prefix: string;
  /** Temp dir with keys, configs, logs and `owner.pid` (the PID of the Node process that owns the run). */
  dir: string;
  nsDevice: string;
  nsServer: string;
  /** cgroup v1 cpu controller directory that holds the device's sshd and commands. */
  cgroup: string;
  /** root↔device: `a` in the root namespace, `b` in the device. */
  rootDevice: VethPair;
  /** root↔server: `a` in the root namespace, `b` in the server. */
  rootServer: VethPair;
  /** device↔server, the direct link: `a` in the device, `b` in the server. */
  deviceServer: VethPair;
}

export function layoutFor(prefix: string): Layout {
  return {
    prefix,
    dir: path.join(tmpdir(), TESTBED_DIR_PREFIX + prefix),
    nsDevice: `${prefix}-dev`,
    nsServer: `${prefix}-srv`,
    cgroup: path.join(CGROUP_CPU_ROOT, `${prefix}-dev`),
    rootDevice: { a: `${prefix}-rd`, b: `${prefix}-dr` },
    rootServer: { a: `${prefix}-rs`, b: `${prefix}-sr` },
    deviceServer: { a: `${prefix}-ds`, b: `${prefix}-sd` },
  };
}

/** The prefix of a namespace, link, cgroup or temp-dir name this testbed made, else undefined. */
export function prefixOf(name: string): string | undefined {
  const base = name.startsWith(TESTBED_DIR_PREFIX) ? name.slice(TESTBED_DIR_PREFIX.length) : name;
  if (PREFIX_PATTERN.test(base)) return base;
  return NAME_PATTERN.exec(base)?.[1];
}
