import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyzeModel } from '../../../src/core/analysis';
import type { OnnxNode } from '../../../src/core/onnx/model';
import { topologicalOrder } from '../../../src/core/onnx/topology';
import { model, node, tensorInput, weight } from '../../helpers/modelBuilder';

const UNARY = ['Relu', 'Sigmoid', 'MaxPool', 'Conv', 'Softmax', 'Transpose'] as const;

/** A random DAG of ops on [1,4,8,8] tensors: each node reads one or two earlier tensors. */
const randomDag = fc
  .array(fc.record({ op: fc.constantFrom(...UNARY, 'Add', 'Concat'), a: fc.nat(), b: fc.nat() }), { minLength: 1, maxLength: 14 })
  .map((specs) => {
    const tensors = ['x'];
    const nodes: OnnxNode[] = [];
    specs.forEach((s, i) => {
      const a = tensors[s.a % tensors.length] as string;
      const b = tensors[s.b % tensors.length] as string;
      const out = `t${i}`;
      if (s.op === 'Conv') nodes.push(node('Conv', [a, 'w'], [out], undefined, { pads: { kind: 'ints', value: [1, 1, 1, 1] } }));
      else if (s.op === 'MaxPool') {
        nodes.push(node('MaxPool', [a], [out], undefined, { kernel_shape: { kind: 'ints', value: [3, 3] }, pads: { kind: 'ints', value: [1, 1, 1, 1] } }));
      } else if (s.op === 'Transpose') nodes.push(node('Transpose', [a], [out], undefined, { perm: { kind: 'ints', value: [0, 1, 3, 2] } }));
      else if (s.op === 'Add') nodes.push(node('Add', [a, b], [out]));
      else if (s.op === 'Concat') {
        // Concat then Slice back to 4 channels keeps every tensor [1,4,8,8].
        nodes.push(node('Concat', [a, b], [`${out}c`], `${out}c`, { axis: { kind: 'int', value: 1 } }));
        nodes.push(node('Slice', [`${out}c`, 'zero', 'four', 'one'], [out]));
      } else nodes.push(node(s.op, [a], [out]));
      tensors.push(out);
    });
    const consts = [weight('w', [4, 4, 3, 3]), int64('zero', 0), int64('four', 4), int64('one', 1)];
    return model(nodes, [tensorInput('x', [1, 4, 8, 8])], [tensors[tensors.length - 1] as string], consts);
  });

function int64(name: string, v: number) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(v), true);
  return { name, dtype: 7, dims: [1], storage: { kind: 'raw' as const, bytes } };
}

describe('layer graph (property tests on random DAGs)', () => {
  it('puts each node in one layer, keeps the layer DAG acyclic and conserves work', () => {
    fc.assert(
      fc.property(randomDag, (m) => {
        const a = analyzeModel(m);
        const owner = new Map<string, number>();
        for (const l of a.layers.layers) {
          for (const n of l.nodes) {
            assert.ok(!owner.has(n));
            owner.set(n, l.id);
          }
          for (const p of l.inputs) assert.ok(p < l.id, 'predecessors come first');
        }
        assert.equal(owner.size, m.graph.nodes.length);
        const macs = a.layers.layers.reduce((s, l) => s + l.macs, 0);
        assert.equal(macs, a.totals.macs);
        // Every tensor between two layers is an output of its producing layer: a possible cut point.
        for (const l of a.layers.layers) {
          for (const t of l.inputTensors) {
            const producer = m.graph.nodes.find((n) => n.outputs.includes(t));
            if (!producer) continue;
            const from = a.layers.layers[owner.get(producer.name) as number];
            assert.ok(from?.outputs.includes(t), `${t} leaves layer ${from?.id}`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('orders a shuffled graph topologically', () => {
    fc.assert(
      fc.property(randomDag, fc.nat(), (m, seed) => {
        const nodes = [...m.graph.nodes];
        for (let i = nodes.length - 1; i > 0; i--) {
          const j = (seed + i * 7919) % (i + 1);
          [nodes[i], nodes[j]] = [nodes[j] as OnnxNode, nodes[i] as OnnxNode];
        }
        const order = topologicalOrder({ ...m.graph, nodes });
        const seen = new Set(['x', ...m.graph.initializers.keys()]);
        for (const n of order) {
          for (const i of n.inputs) assert.ok(seen.has(i), `${n.name} reads ${i} before it exists`);
          n.outputs.forEach((o) => seen.add(o));
        }
      }),
    );
  });

  it('fuses Conv+BatchNormalization+Relu and keeps the pooled output as a cut point', () => {
    const m = model(
      [
        node('Conv', ['x', 'w'], ['c'], 'conv'),
        node('BatchNormalization', ['c', 's', 'b', 'mu', 'var'], ['bn'], 'bn'),
        node('Relu', ['bn'], ['r'], 'relu'),
        node('MaxPool', ['r'], ['p'], 'pool', { kernel_shape: { kind: 'ints', value: [2, 2] }, strides: { kind: 'ints', value: [2, 2] } }),
      ],
      [tensorInput('x', [1, 4, 8, 8])],
      ['p'],
      [weight('w', [4, 4, 3, 3]), weight('s', [4]), weight('b', [4]), weight('mu', [4]), weight('var', [4])],
    );
    const layers = analyzeModel(m).layers.layers;
    assert.deepEqual(layers.map((l) => l.nodes), [['conv', 'bn', 'relu'], ['pool']]);
    assert.deepEqual(layers.map((l) => l.outputs), [['r'], ['p']]);
    assert.equal(layers[0]?.params, 4 * 4 * 9 + 16);
    assert.equal(layers[1]?.outputBytes, 4 * 3 * 3 * 4, "[1,4,3,3] float32 after a 6×6 conv output");
  });
});
