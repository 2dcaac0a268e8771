import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { inferShapes } from '../../../src/core/shapes/infer';
import { loadNodeCase, nodeCaseNames, TESTDATA_ROOT } from '../../helpers/onnxTestdata';
import { UNSUPPORTED_NODE_CASES } from './unsupportedNodeCases';

/** Node cases in the Debian package this suite was written against. */
const EXPECTED_CASE_COUNT = 932;

/**
 * Why a case fails, or undefined when inference (declared output shapes removed, the case's
 * inputs given as known values) yields every expected output's dims.
 */
function mismatch(name: string): string | undefined {
  const c = loadNodeCase(name);
  if (c.nonTensorOutputs.length) return `non-tensor outputs: ${c.nonTensorOutputs.join(', ')}`;
  const report = inferShapes(c.model, { inputValues: c.inputValues });
  for (const [output, dims] of c.expected) {
    const got = report.facts.get(output)?.shape;
    if (got?.join(',') !== dims.join(',')) {
      const why = [...report.unknownNodes.values()].join('; ');
      return `${output}: inferred [${got?.join(', ') ?? '?'}], expected [${dims.join(', ')}]${why ? ` (${why})` : ''}`;
    }
  }
  return undefined;
}

describe('shape inference on ONNX node test cases (libonnx-testdata)', function () {
  const present = existsSync(path.join(TESTDATA_ROOT, 'node'));
  const names = present ? nodeCaseNames() : [];

  before(function () {
    if (present) return;
    if (process.env.CI === 'true') throw new Error(`libonnx-testdata is required in CI: ${TESTDATA_ROOT} is missing`);
    console.log('      SKIPPED: libonnx-testdata not installed — fix: apt-get install libonnx-testdata');
    this.skip();
  });

  it(`holds ${EXPECTED_CASE_COUNT} node cases`, () => {
    assert.equal(names.length, EXPECTED_CASE_COUNT);
  });

  it('lists only existing cases as unsupported', () => {
    const known = new Set(names);
    assert.deepEqual(Object.keys(UNSUPPORTED_NODE_CASES).filter((n) => !known.has(n)), []);
  });

  for (const name of names) {
    const reason = UNSUPPORTED_NODE_CASES[name];
    if (reason === undefined) {
      it(name, () => assert.equal(mismatch(name), undefined));
    } else {
      it(`${name} still fails (unsupported: ${reason})`, () => {
        assert.notEqual(mismatch(name), undefined, `${name} now passes: remove it from UNSUPPORTED_NODE_CASES`);
      });
    }
  }
});
