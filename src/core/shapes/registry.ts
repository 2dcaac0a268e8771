import { convRules } from './ops/conv';
import { elementwiseRules } from './ops/elementwise';
import { mathRules } from './ops/math';
import { normRules } from './ops/norm';
import { resizeRules } from './ops/resize';
import { tensorRules } from './ops/tensor';
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
  }),
);

/** Rules of other domains, keyed "domain:op". */
const OTHER_DOMAINS: ReadonlyMap<string, ShapeRule> = new Map();

export function findRule(domain: string, opType: string): ShapeRule | undefined {
  if (domain === '' || domain === 'ai.onnx') return DEFAULT_DOMAIN.get(opType);
  return OTHER_DOMAINS.get(`${domain}:${opType}`);
}

/** Every op type with a rule, for reports and tests. */
export function supportedOps(): string[] {
  return [...DEFAULT_DOMAIN.keys(), ...OTHER_DOMAINS.keys()].sort();
}
