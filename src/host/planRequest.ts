import type { ModelAnalysis } from '../core/analysis';
import { parseCustomLink, type NetworkLink } from '../core/plan/network';
import { planOffloading, type Plan } from '../core/plan/plan';
import { resolveNetwork, resolveProfile } from '../node/profileFiles';
import type { PlanSettings } from '../protocol';
import { customNetworks } from './settings';

/** Turns the webview's settings into a plan (all computing is core; this only resolves names). */
export function planFor(name: string, analysis: ModelAnalysis, s: PlanSettings): Plan {
  return planOffloading({
    models: [{ name, analysis, jobs: s.jobs }],
    device: resolveProfile('device', s.device),
    server: resolveProfile('server', s.server),
    link: linkFor(s),
  });
}

function linkFor(s: PlanSettings): NetworkLink {
  if (s.network === 'custom' && s.custom) {
    return parseCustomLink(`up=${s.custom.upMbps},down=${s.custom.downMbps},rtt=${s.custom.rttMs}`);
  }
  const custom = customNetworks()[s.network];
  if (custom) return { name: s.network, ...custom };
  return resolveNetwork(s.network);
}
