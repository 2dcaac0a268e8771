import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { ModelView } from '../../src/protocol';
import { linearChains, COLLAPSE_ABOVE } from '../../webview/collapse';
import { layeredLayout as fallbackLayout } from '../../src/core/view/layeredLayout';

const chainModel = (n: number, branchEvery = 0): ModelView => {
  const layers = Array.from({ length: n }, (_, id) => ({ id, name: `l${id}`, op: 'Conv', ops: ['Conv'], inputShapes: [], outputShape: '1', macs: 0, params: 0, outputBytes: 4 }));
  const edges = layers.slice(1).map((l) => ({ from: l.id - 1, to: l.id, tensor: `t${l.id}`, bytes: 4 }));
  if (branchEvery) for (let i = branchEvery; i + 2 < n; i += branchEvery) edges.push({ from: i, to: i + 2, tensor: `s${i}`, bytes: 4 });
  return { fileName: 'm', layers, edges, totals: { macs: 0, params: 0, nodes: n }, graphOnly: false, warnings: [] };
};

describe('webview layout helpers', () => {
  it('fallback layout never overlaps nodes and keeps edges pointing down (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (pairs, n) => {
        const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, width: 160, height: 40 }));
        const edges = pairs.map(([a, b], i) => ({ id: `e${i}`, source: `n${Math.min(a % n, b % n)}`, target: `n${Math.max(a % n, b % n)}` })).filter((e) => e.source !== e.target);
        const r = fallbackLayout({ nodes, edges });
        const boxes = nodes.map((node) => r.positions[node.id] as { x: number; y: number });
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i] as { x: number; y: number };
            const b = boxes[j] as { x: number; y: number };
            assert.ok(Math.abs(a.x - b.x) >= 160 || Math.abs(a.y - b.y) >= 40, `n${i} overlaps n${j}`);
          }
        }
        for (const e of edges) assert.ok((r.positions[e.target]?.y ?? 0) > (r.positions[e.source]?.y ?? 0));
      }),
    );
  });

  it('collapses only large models, into chains that never swallow a branch', () => {
    assert.deepEqual(linearChains(chainModel(COLLAPSE_ABOVE)), []);
    const big = chainModel(COLLAPSE_ABOVE + 50, 10);
    const groups = linearChains(big);
    assert.ok(groups.length > 5);
    const inGroup = new Set(groups.flatMap((g) => g.layers));
    for (const g of groups) {
      assert.ok(g.layers.length >= 3);
      // inside a chain, each layer is read only by the next and reads only the previous
      for (let i = 1; i < g.layers.length; i++) {
        const id = g.layers[i] as number;
        assert.deepEqual(big.edges.filter((e) => e.to === id).map((e) => e.from), [id - 1]);
        assert.deepEqual(big.edges.filter((e) => e.from === id - 1).map((e) => e.to), [id]);
      }
    }
    assert.ok(inGroup.size < big.layers.length);
  });
});
