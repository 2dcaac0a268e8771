import { ModelError } from '../errors';
import type { OnnxGraph } from '../onnx/model';
import type { Shape, TensorFact } from './types';

export interface DimBindings {
  /** Concrete shape per graph input; undefined when a dim stays unbound. */
  readonly shapes: ReadonlyMap<string, Shape | undefined>;
  /** Every symbolic dim and its value. */
  readonly dims: ReadonlyMap<string, number>;
}

const BATCH_NAMES = /^(n|b|bs|batch|batch_?size|.*batch.*|.*DynamicDimension\.0)$/i;

/**
 * Gives every graph input concrete dims: named dims from `--dim`, batch-like dims (the first
 * axis, or a name that says batch) default to 1 with a warning, others stay unknown with a
 * warning that says how to bind them.
 */
export function bindGraphInputs(
  graph: OnnxGraph,
  given: Readonly<Record<string, number>>,
  warnings: string[],
): DimBindings {
  const dims = new Map<string, number>();
  const known = symbolicDims(graph);
  for (const [name, value] of Object.entries(given)) {
    if (!known.has(name)) {
      const list = known.size ? `its symbolic dims are ${[...known].map((k) => `'${k}'`).join(', ')}` : 'it has none';
      throw new ModelError('bad-dim-binding', `--dim ${name}=${value}: the model has no symbolic dim '${name}' (${list})`);
    }
    dims.set(name, value);
  }
  const shapes = new Map<string, Shape | undefined>();
  for (const input of graph.inputs) {
    if (graph.initializers.has(input.name) || input.kind !== 'tensor' || !input.dims) {
      shapes.set(input.name, undefined);
      continue;
    }
    const shape: number[] = [];
    let complete = true;
    input.dims.forEach((d, axis) => {
      if (typeof d === 'number' && d >= 0) return shape.push(d);
      const name = typeof d === 'string' ? d : undefined;
      const bound = name !== undefined ? dims.get(name) : undefined;
      if (bound !== undefined) return shape.push(bound);
      if (axis === 0 || (name !== undefined && BATCH_NAMES.test(name))) {
        if (name !== undefined) dims.set(name, 1);
        warnings.push(
          `input '${input.name}': dim ${name ? `'${name}'` : axis} is unbound; assuming batch size 1 (pass --dim ${name ?? 'NAME'}=N to change)`,
        );
        return shape.push(1);
      }
      complete = false;
      warnings.push(
        `input '${input.name}': dim ${name ? `'${name}'` : `${axis}`} is unbound, so shapes that depend on it are unknown; pass --dim ${name ?? 'NAME'}=VALUE`,
      );
      return shape.push(-1);
    });
    shapes.set(input.name, complete ? shape : undefined);
  }
  return { shapes, dims };
}

/** The symbolic dim names of a graph's inputs. */
export function symbolicDims(graph: OnnxGraph): Set<string> {
  return new Set(graph.inputs.flatMap((i) => (i.dims ?? []).filter((d): d is string => typeof d === 'string')));
}

/** The bindings that name one of this graph's symbolic dims (one `--dim` list serves several models). */
export function dimsKnownTo(graph: OnnxGraph, dims: Readonly<Record<string, number>>): Record<string, number> {
  const known = symbolicDims(graph);
  return Object.fromEntries(Object.entries(dims).filter(([k]) => known.has(k)));
}

/**
 * Compares value_info and graph outputs the file declares with what was inferred. A declared
 * shape fills in an unknown one (e.g. after an opaque custom op); a disagreement is reported.
 */
export function checkDeclared(
  graph: OnnxGraph,
  facts: Map<string, TensorFact>,
  bindings: DimBindings,
  warnings: string[],
): void {
  for (const info of [...graph.valueInfo, ...graph.outputs]) {
    if (!info.dims || info.kind !== 'tensor') continue;
    const declared = info.dims.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? bindings.dims.get(d) : undefined));
    const fact = facts.get(info.name);
    if (!fact) continue;
    if (!fact.shape) {
      if (declared.every((d) => d !== undefined)) facts.set(info.name, { ...fact, dtype: fact.dtype || info.dtype, shape: declared as number[] });
      continue;
    }
    const inferred = fact.shape;
    const disagrees =
      declared.length !== inferred.length || declared.some((d, i) => d !== undefined && d !== inferred[i]);
    if (disagrees) {
      const show = info.dims.map((d) => (d === null ? '?' : String(d))).join(', ');
      warnings.push(`value_info disagrees for '${info.name}': the file says [${show}], inferred [${inferred.join(', ')}]`);
    }
  }
}
