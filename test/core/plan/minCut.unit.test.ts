import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { candidateCuts } from '../../../src/core/plan/candidates';
import { evaluateCut, isClosedHead, latencyOf } from '../../../src/core/plan/cut';
import { bestSingleCut } from '../../../src/core/plan/minCut';
import { allClosedHeads, randomPlanGraph } from './randomPlanGraph';

// Links with and without the device's own send time (netprobe's deviceSend).
const link = fc.record(
  {
    name: fc.constant('t'),
    upMbps: fc.double({ min: 0.1, max: 50, noNaN: true }),
    downMbps: fc.double({ min: 0.5, max: 100, noNaN: true }),
    rttMs: fc.double({ min: 0, max: 100, noNaN: true }),
    deviceSend: fc.record({ perMessageMs: fc.double({ min: 0, max: 20, noNaN: true }), perMBMs: fc.double({ min: 0, max: 500, noNaN: true }) }),
  },
  { requiredKeys: ['name', 'upMbps', 'downMbps', 'rttMs'] },
);

describe('best single cut (DADS min-cut)', () => {
  it('equals brute force over all head sets on random DAGs (property)', () => {
    fc.assert(
      fc.property(randomPlanGraph(9), link, (g, l) => {
        const cut = bestSingleCut(g, l);
        assert.ok(isClosedHead(g, cut.head), 'the head is closed under predecessors');
        const brute = Math.min(...allClosedHeads(g).map((h) => latencyOf(evaluateCut(g, h, l))));
        assert.ok(Math.abs(latencyOf(cut) - brute) <= 1e-6 * Math.max(1, brute), `min-cut ${latencyOf(cut)} vs brute force ${brute}`);
      }),
      { numRuns: 300 },
    );
  });

  it('pays a tensor once however many server layers read it', () => {
    const g = {
      layers: [
        { id: 0, deviceMs: 1, serverMs: 50, inputs: [] },
        { id: 1, deviceMs: 100, serverMs: 1, inputs: [0] },
        { id: 2, deviceMs: 100, serverMs: 1, inputs: [0] },
      ],
      tensors: [
        { name: 'x', producer: undefined, consumers: [0], bytes: 1_000_000 },
        { name: 'a', producer: 0, consumers: [1, 2], bytes: 10_000 },
      ],
      outputs: [{ tensor: 'b', layer: 1, bytes: 10 }, { tensor: 'c', layer: 2, bytes: 10 }],
    };
    const l = { name: 't', upMbps: 8, downMbps: 8, rttMs: 0 };
    const cut = bestSingleCut(g, l);
    assert.deepEqual([...cut.head], [0]);
    assert.deepEqual(cut.cutTensors, ['a']);
    assert.equal(cut.uplinkMs, (8 * 10_000) / 8e6 * 1000);
  });

  it('charges the device its send time: once per message, and per byte in the min cut', () => {
    // Sending x (1 MB) costs the device more than computing layer 0, which shrinks it to 10 kB;
    // without that cost the server (x: 8 ms on the link) beats layer 0's 9 ms on the device.
    const g = {
      layers: [
        { id: 0, deviceMs: 9, serverMs: 1, inputs: [] },
        { id: 1, deviceMs: 100, serverMs: 1, inputs: [0] },
      ],
      tensors: [
        { name: 'x', producer: undefined, consumers: [0], bytes: 1_000_000 },
        { name: 'a', producer: 0, consumers: [1], bytes: 10_000 },
      ],
      outputs: [{ tensor: 'b', layer: 1, bytes: 10 }],
    };
    const fast = { name: 't', upMbps: 1000, downMbps: 1000, rttMs: 0 };
    assert.deepEqual([...bestSingleCut(g, fast).head], [], 'a free send: everything on the server');
    const l = { ...fast, deviceSend: { perMessageMs: 0.5, perMBMs: 20 } };
    const cut = bestSingleCut(g, l);
    assert.deepEqual([...cut.head], [0]);
    assert.ok(Math.abs(cut.deviceMs - (9 + 0.5 + 20 * 0.01)) < 1e-9, `device ${cut.deviceMs}`);
    assert.equal(evaluateCut(g, new Set([0, 1]), l).deviceMs, 109, 'all local sends nothing');
  });
});

describe('candidate cuts (Pareto frontier of device and uplink time)', () => {
  it('holds only closed, mutually non-dominated cuts, including LO, CO and the best single cut', () => {
    fc.assert(
      fc.property(randomPlanGraph(8), link, (g, l) => {
        const cands = candidateCuts(g, l);
        for (const c of cands) assert.ok(isClosedHead(g, c.head));
        const sizes = cands.map((c) => c.head.size);
        assert.ok(sizes.includes(g.layers.length), 'LO is always a candidate');
        // CO is kept unless another cut is no worse on both axes (e.g. LO when the device is free).
        const co = evaluateCut(g, new Set(), l);
        assert.ok(sizes.includes(0) || cands.some((c) => c.deviceMs <= co.deviceMs && c.uplinkMs <= co.uplinkMs), 'CO or a cut dominating it');
        const best = latencyOf(bestSingleCut(g, l));
        assert.ok(cands.some((c) => Math.abs(latencyOf(c) - best) < 1e-9));
        // The convex hull of all cuts' (device, uplink) points is covered by the candidates.
        const all = allClosedHeads(g).map((h) => evaluateCut(g, h, l));
        for (const lambda of [0.1, 0.5, 1, 2, 10]) {
          const opt = Math.min(...all.map((c) => c.deviceMs + lambda * c.uplinkMs));
          const got = Math.min(...cands.map((c) => c.deviceMs + lambda * c.uplinkMs));
          // The hull's min cut leaves out the per-message send constant, which only LO does not pay.
          assert.ok(got <= opt + 1e-6 * Math.max(1, opt) + (l.deviceSend?.perMessageMs ?? 0), `λ=${lambda}: ${got} vs ${opt}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
