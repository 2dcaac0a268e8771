import { checkLink, type NetworkLink, type SendCost } from '../plan/network';
import { PlanError } from '../plan/planError';
import type { LayerFeatures } from '../predictor/features';
import { FEATURE_SET } from '../predictor/predictor';
import { computeMs } from '../predictor/profileSamples';
import { OP_CLASSES, type ComputeProfile, type OpClass } from './types';

type Json = Record<string, unknown>;

/** Validates a device or server profile read from JSON; `source` names the file in errors. */
export function parseComputeProfile(value: unknown, source: string): ComputeProfile {
  const bad = (why: string): never => {
    throw new PlanError('bad-profile', `${source}: ${why}`);
  };
  if (!isObject(value)) return bad('a profile is a JSON object');
  const name = typeof value.name === 'string' ? value.name : source;
  const description = typeof value.description === 'string' ? value.description : '';
  switch (value.kind) {
    case 'ideal':
      return { kind: 'ideal', name, description };
    case 'roofline': {
      const num = (key: string, min: number): number => {
        const v = value[key];
        if (typeof v !== 'number' || !Number.isFinite(v) || v < min) return bad(`'${key}' must be a number ≥ ${min}`);
        return v;
      };
      const peakGmacs = num('peakGmacs', 1e-6);
      const memoryGBs = num('memoryGBs', 1e-6);
      const layerOverheadMs = num('layerOverheadMs', 0);
      const eff = value.efficiency;
      if (!isObject(eff)) return bad("'efficiency' must map op classes to fractions of peak");
      const efficiency = {} as Record<OpClass, number>;
      for (const c of OP_CLASSES) {
        const v = eff[c] ?? eff.other ?? 0.1;
        if (typeof v !== 'number' || !(v > 0 && v <= 1)) return bad(`efficiency.${c} must be in (0, 1]`);
        efficiency[c] = v;
      }
      return {
        kind: 'roofline',
        name,
        description,
        sources: Array.isArray(value.sources) ? value.sources.map(String) : [],
        peakGmacs,
        efficiency,
        memoryGBs,
        layerOverheadMs,
      };
    }
    case 'measured': {
      const layers = value.layers;
      if (!Array.isArray(layers)) return bad("'layers' must be a list of {id, ms}");
      // The profiler's bookkeeping, where the profile measured it, is not the layer's time.
      const bookkeeping = typeof value.profilerNodeMs === 'number' && value.profilerNodeMs >= 0 ? value.profilerNodeMs : undefined;
      const features = Array.isArray(value.layerFeatures) ? (value.layerFeatures as LayerFeatures[]) : [];
      const parsed = layers.map((l, i) => {
        if (!isObject(l) || typeof l.id !== 'number' || typeof l.ms !== 'number' || l.ms < 0) return bad(`layers[${i}] must be {id, ms ≥ 0}`);
        return { id: l.id, ms: computeMs(l.ms, isObject(features[l.id]) ? features[l.id] : undefined, bookkeeping) };
      });
      const layerCount = typeof value.layerCount === 'number' ? value.layerCount : parsed.length;
      const whole = isObject(value.wholeModelMs) && typeof value.wholeModelMs.median === 'number' ? value.wholeModelMs.median : undefined;
      const layerSum = parsed.reduce((s, l) => s + l.ms, 0);
      const overheadPerLayerMs = whole !== undefined && parsed.length > 0 ? Math.max(0, whole - layerSum) / parsed.length : 0;
      const threads = typeof value.threads === 'number' && Number.isInteger(value.threads) && value.threads > 0 ? { threads: value.threads } : {};
      return { kind: 'measured', name, description, layerCount, layers: parsed, overheadPerLayerMs, ...threads };
    }
    case 'predictor': {
      const classes = value.classes;
      const fallback = value.fallback;
      const baseline = value.baseline;
      if (!isObject(classes) || !isObject(fallback) || !isObject(baseline)) return bad("a predictor needs 'classes', 'fallback' and 'baseline' (write it with edgecut fit)");
      const features = typeof value.features === 'number' ? value.features : 1;
      if (features !== FEATURE_SET) {
        return bad(`this predictor was fitted on feature set ${features}, and this EdgeCut predicts with set ${FEATURE_SET}: fit it again from its profiles (edgecut fit PROFILE… --out FILE)`);
      }
      return value as unknown as ComputeProfile;
    }
    default:
      return bad(`unknown profile kind ${JSON.stringify(value.kind)} (expected "roofline", "ideal", "measured" or "predictor")`);
  }
}

/** A network file: {upMbps, downMbps, rttMs, deviceSend?} (as `edgecut netprobe` writes it). */
export function parseNetwork(value: unknown, source: string): NetworkLink {
  if (!isObject(value)) throw new PlanError('bad-network', `${source}: a network is a JSON object {upMbps, downMbps, rttMs}`);
  const link = {
    name: typeof value.name === 'string' ? value.name : source,
    upMbps: value.upMbps as number,
    downMbps: value.downMbps as number,
    rttMs: (value.rttMs ?? 0) as number,
    ...(value.deviceSend === undefined ? {} : { deviceSend: parseSendCost(value.deviceSend, source) }),
  };
  return checkLink(link, source);
}

function parseSendCost(v: unknown, source: string): SendCost {
  if (!isObject(v)) throw new PlanError('bad-network', `${source}: deviceSend is an object {perMessageMs, perMBMs} (as edgecut netprobe writes it)`);
  return { perMessageMs: v.perMessageMs as number, perMBMs: v.perMBMs as number };
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
