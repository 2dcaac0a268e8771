import type { ModelView } from '../src/protocol';

/** Above this many layers, linear chains are drawn collapsed until expanded. */
export const COLLAPSE_ABOVE = 150;
const MIN_CHAIN = 3;

/** A run of layers with one way in and one way out, drawn as one box while collapsed. */
export interface LayerGroup {
  readonly id: string;
  readonly layers: readonly number[];
}

/** Maximal linear chains of at least MIN_CHAIN layers (none for small models). */
export function linearChains(model: ModelView): LayerGroup[] {
  if (model.layers.length <= COLLAPSE_ABOVE) return [];
  const preds = model.layers.map((): Set<number> => new Set());
  const succs = model.layers.map((): Set<number> => new Set());
  for (const e of model.edges) {
    preds[e.to]?.add(e.from);
    succs[e.from]?.add(e.to);
  }
  const linkedToPrev = (id: number): boolean => {
    const p = preds[id];
    if (!p || p.size !== 1) return false;
    const prev = [...p][0] as number;
    return succs[prev]?.size === 1;
  };
  const groups: LayerGroup[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length >= MIN_CHAIN) groups.push({ id: `g${run[0]}`, layers: run });
    run = [];
  };
  for (const l of model.layers) {
    const prev = run[run.length - 1];
    if (prev !== undefined && linkedToPrev(l.id) && preds[l.id]?.has(prev)) run.push(l.id);
    else {
      flush();
      run = [l.id];
    }
  }
  flush();
  return groups;
}
