import { ModelError } from '../errors';
import type { OnnxGraph, OnnxModel, OnnxNode } from '../onnx/model';
import { topologicalOrder } from '../onnx/topology';
import { elementCount, readTensorValues, type ConstTensor } from '../onnx/tensorValues';
import { NodeContext } from './context';
import { bindGraphInputs, checkDeclared, type DimBindings } from './bindInputs';
import { findRule } from './registry';
import { ShapeConflict, ShapeUnknown, type Shape, type TensorFact } from './types';

export interface ShapeOptions {
  /** Values for symbolic dims (`--dim name=value`). */
  readonly dims?: Readonly<Record<string, number>>;
  /** Known values of graph inputs (treated like initializers while folding). */
  readonly inputValues?: ReadonlyMap<string, ConstTensor>;
}

export interface ShapeReport {
  readonly facts: ReadonlyMap<string, TensorFact>;
  /** Main-graph nodes in topological order. */
  readonly order: readonly OnnxNode[];
  readonly warnings: readonly string[];
  /** Op types without a shape rule ("domain:op" for custom domains), with node counts. */
  readonly unsupportedOps: ReadonlyMap<string, number>;
  /** Nodes whose outputs could not all be inferred, with the reason. */
  readonly unknownNodes: ReadonlyMap<string, string>;
  /** Every symbolic dim and the value it took. */
  readonly dims: Readonly<Record<string, number>>;
}

/** Upper bound on elements of one tensor: beyond 2^53 sizes stop being exact doubles. */
const MAX_ELEMENTS = Number.MAX_SAFE_INTEGER;

/**
 * Infers the dtype and shape of every value in the model, folding small integer tensors so
 * exporters' shape arithmetic (Shape → Gather → Concat → Reshape) resolves to numbers.
 */
export function inferShapes(model: OnnxModel, options: ShapeOptions = {}): ShapeReport {
  const run = new InferenceRun(model, options);
  return run.report();
}

class InferenceRun {
  private readonly warnings: string[] = [];
  private readonly unsupported = new Map<string, number>();
  private readonly unknownNodes = new Map<string, string>();
  private readonly bindings: DimBindings;
  private readonly facts = new Map<string, TensorFact>();
  private readonly order: OnnxNode[];

  constructor(
    private readonly model: OnnxModel,
    private readonly options: ShapeOptions,
  ) {
    const graph = model.graph;
    this.order = topologicalOrder(graph);
    this.bindings = bindGraphInputs(graph, options.dims ?? {}, this.warnings);
    for (const input of graph.inputs) {
      const shape = this.bindings.shapes.get(input.name);
      const value = options.inputValues?.get(input.name);
      if (shape) checkDims(input.name, shape);
      this.facts.set(input.name, { dtype: input.dtype, shape: value ? value.dims : shape, value, kind: input.kind });
    }
    this.addInitializers(graph, this.facts);
    this.runNodes(this.order, (name) => this.facts.get(name), this.facts);
    checkDeclared(graph, this.facts, this.bindings, this.warnings);
  }

  report(): ShapeReport {
    return {
      facts: this.facts,
      order: this.order,
      warnings: this.warnings,
      unsupportedOps: this.unsupported,
      unknownNodes: this.unknownNodes,
      dims: Object.fromEntries(this.bindings.dims),
    };
  }

  private addInitializers(graph: OnnxGraph, into: Map<string, TensorFact>): void {
    for (const t of graph.initializers.values()) {
      checkDims(t.name, t.dims);
      const value = t.storage.kind === 'sparse' ? undefined : readTensorValues(t);
      into.set(t.name, { dtype: t.dtype, shape: t.dims, value });
    }
  }

  private runNodes(
    nodes: readonly OnnxNode[],
    lookup: (name: string) => TensorFact | undefined,
    into: Map<string, TensorFact>,
  ): void {
    for (const node of nodes) {
      const outputs = this.inferNode(node, lookup);
      node.outputs.forEach((name, i) => {
        if (name === '') return;
        const fact = outputs[i];
        if (fact?.shape) checkDims(name, fact.shape);
        into.set(name, fact ?? { dtype: 0, shape: undefined });
      });
    }
  }

  private inferNode(node: OnnxNode, lookup: (name: string) => TensorFact | undefined): readonly (TensorFact | undefined)[] {
    const opset = this.model.opsets[node.domain] ?? this.model.opsets[''] ?? 0;
    const rule = findRule(node.domain, node.opType);
    if (!rule) {
      const key = node.domain ? `${node.domain}:${node.opType}` : node.opType;
      if (!this.unsupported.has(key) && node.domain) {
        this.warnings.push(`custom op ${key} is kept as an opaque node: its output shapes come from value_info if the file has them`);
      }
      this.unsupported.set(key, (this.unsupported.get(key) ?? 0) + 1);
      this.unknownNodes.set(node.name, `no shape rule for ${key}`);
      return [];
    }
    const ctx = new NodeContext(node, opset, lookup, (g, inputs) => this.inferSubgraph(g, inputs, lookup), this.warnings);
    try {
      const outputs = rule(ctx);
      if (outputs.length < node.outputs.filter((o) => o !== '').length || outputs.some((o) => !o?.shape)) {
        this.unknownNodes.set(node.name, 'some outputs are data-dependent or unknown');
      }
      return outputs;
    } catch (e) {
      if (e instanceof ShapeUnknown) {
        this.unknownNodes.set(node.name, e.message);
        return [];
      }
      if (e instanceof ShapeConflict) {
        this.warnings.push(`${node.name} (${node.opType}): ${e.message}`);
        this.unknownNodes.set(node.name, e.message);
        return [];
      }
      throw e;
    }
  }

  /** Infers a nested graph in its own scope, seeing the enclosing scope's values. */
  private inferSubgraph(
    graph: OnnxGraph,
    inputs: readonly (TensorFact | undefined)[],
    outer: (name: string) => TensorFact | undefined,
  ): (TensorFact | undefined)[] {
    const local = new Map<string, TensorFact>();
    graph.inputs.forEach((v, i) => {
      const given = inputs[i];
      const declared = v.dims?.every((d) => typeof d === 'number') ? (v.dims as number[]) : undefined;
      local.set(v.name, given ?? { dtype: v.dtype, shape: declared, kind: v.kind });
    });
    this.addInitializers(graph, local);
    const lookup = (name: string): TensorFact | undefined => local.get(name) ?? outer(name);
    const outerNames = new Set<string>();
    for (const node of graph.nodes) for (const i of node.inputs) if (i && outer(i)) outerNames.add(i);
    this.runNodes(topologicalOrder(graph, outerNames), lookup, local);
    return graph.outputs.map((o) => lookup(o.name));
  }
}

function checkDims(name: string, dims: Shape): void {
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ModelError('dim-overflow', `tensor '${name}' has an invalid dimension ${d} in [${dims.join(', ')}]`);
    }
  }
  if (elementCount(dims) > MAX_ELEMENTS) {
    throw new ModelError(
      'dim-overflow',
      `tensor '${name}' has dims [${dims.join(', ')}] whose product overflows (more than 2^53 elements)`,
    );
  }
}
