import { controlRules } from './ops/control';
import { convRules } from './ops/conv';
import { dataDependentRules } from './ops/dataDependent';
import { elementwiseRules } from './ops/elementwise';
import { indexingRules } from './ops/indexing';
import { lossRules } from './ops/loss';
import { mathRules } from './ops/math';
import { miscRules } from './ops/misc';
import { nmsRules } from './ops/nms';
import { normRules } from './ops/norm';
import { quantizeRules } from './ops/quantize';
import { recurrentRules } from './ops/recurrent';
import { resizeRules } from './ops/resize';
import { signalRules } from './ops/signal';
import { tensorRules } from './ops/tensor';
import { trainingRules } from './ops/training';
import type { ShapeRule } from './types';

/** Shape rules of the default ONNX domain, by op type. */
const DEFAULT_DOMAIN: ReadonlyMap<string, ShapeRule> = new Map(
  Object.entries({
    ...elementwiseRules,
    ...convRules,
    ...mathRules,
    ...normRules,
    ...resizeRules,
    ...tensorRules,
    ...indexingRules,
    ...dataDependentRules,
    ...nmsRules,
    ...quantizeRules,
    ...recurrentRules,
    ...signalRules,
    ...lossRules,
    ...controlRules,
    ...miscRules,
  }),
);

/** Rules of other domains, keyed "domain:op". */
const OTHER_DOMAINS: ReadonlyMap<string, ShapeRule> = new Map([
  ...domainEntries('ai.onnx.preview.training', trainingRules),
]);

function domainEntries(domain: string, rules: Record<string, ShapeRule>): [string, ShapeRule][] {
  return Object.entries(rules).map(([op, rule]) => [`${domain}:${op}`, rule]);
}

export function findRule(domain: string, opType: string): ShapeRule | undefined {
  if (domain === '' || domain === 'ai.onnx') return DEFAULT_DOMAIN.get(opType);
  return OTHER_DOMAINS.get(`${domain}:${opType}`);
}

/** Every op type with a rule, for reports and tests. */
export function supportedOps(): string[] {
  return [...DEFAULT_DOMAIN.keys(), ...OTHER_DOMAINS.keys()].sort();
}
