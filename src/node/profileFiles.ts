import { existsSync, readFileSync } from 'node:fs';
import { builtinProfile, BUILTIN_NETWORKS, unknownPreset } from '../core/profiles/builtins';
import { parseComputeProfile, parseNetwork } from '../core/profiles/parseProfile';
import type { ComputeProfile } from '../core/profiles/types';
import { parseCustomLink, type NetworkLink } from '../core/plan/network';
import { PlanError } from '../core/plan/planError';

/** A built-in device/server name, or a JSON profile file. */
export function resolveProfile(kind: 'device' | 'server', arg: string): ComputeProfile {
  const builtin = builtinProfile(kind, arg);
  if (builtin) return builtin;
  if (!existsSync(arg)) throw unknownPreset(kind, arg);
  return parseComputeProfile(readJson(arg), arg);
}

/** A preset name, `up=…,down=…,rtt=…`, or a JSON file such as `edgecut netprobe` writes. */
export function resolveNetwork(arg: string): NetworkLink {
  const preset = BUILTIN_NETWORKS[arg];
  if (preset) return { name: arg, upMbps: preset.upMbps, downMbps: preset.downMbps, rttMs: preset.rttMs };
  if (/^\s*(up|down|rtt)\s*=/.test(arg)) return parseCustomLink(arg);
  if (!existsSync(arg)) throw unknownPreset('network', arg);
  return parseNetwork(readJson(arg), arg);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PlanError('bad-profile', `${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
