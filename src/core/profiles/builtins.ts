import { PlanError } from '../plan/planError';
import type { NetworkLink } from '../plan/network';
import gtx1080 from './builtin/gtx1080.json';
import ideal from './builtin/ideal.json';
import networks from './builtin/networks.json';
import rpi4 from './builtin/rpi4.json';
import { parseComputeProfile, parseNetwork } from './parseProfile';
import type { ComputeProfile } from './types';

export const BUILTIN_DEVICES: Readonly<Record<string, ComputeProfile>> = {
  rpi4: parseComputeProfile(rpi4, 'built-in rpi4'),
};

export const BUILTIN_SERVERS: Readonly<Record<string, ComputeProfile>> = {
  gtx1080: parseComputeProfile(gtx1080, 'built-in gtx1080'),
  ideal: parseComputeProfile(ideal, 'built-in ideal'),
};

export const BUILTIN_NETWORKS: Readonly<Record<string, NetworkLink & { readonly rttWhy: string }>> = Object.fromEntries(
  Object.entries(networks.presets).map(([name, p]) => [name, { ...parseNetwork({ ...p, name }, `built-in ${name}`), rttWhy: p.rttWhy }]),
);

export function builtinProfile(kind: 'device' | 'server', name: string): ComputeProfile | undefined {
  return (kind === 'device' ? BUILTIN_DEVICES : BUILTIN_SERVERS)[name];
}

export function unknownPreset(kind: 'device' | 'server' | 'network', name: string): PlanError {
  const names = Object.keys(kind === 'device' ? BUILTIN_DEVICES : kind === 'server' ? BUILTIN_SERVERS : BUILTIN_NETWORKS);
  const extra = kind === 'network' ? ', up=MBPS,down=MBPS,rtt=MS' : '';
  return new PlanError('unknown-preset', `unknown ${kind} '${name}': use one of ${names.join(', ')}${extra}, or a JSON file`);
}
