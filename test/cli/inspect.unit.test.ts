import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { InspectJson } from '../../src/core/inspectReport';
import { REPO_ROOT } from '../helpers/paths';
import { cli } from '../helpers/cli';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'resnet18.onnx');
const CORPUS = path.join(REPO_ROOT, 'test', 'corpus', 'models');

describe('edgecut inspect', () => {
  it('prints a layer table with totals', async () => {
    const r = await cli('inspect', EXAMPLE);
    assert.equal(r.code, 0);
    assert.match(r.out, /layer\s+op\s+main node\s+output shape\s+MACs\s+params\s+output KB/);
    assert.match(r.out, /1×64×112×112/);
    assert.match(r.out, /65 nodes in \d+ layers; 1\.8\d G MACs, 11\.68 M params/);
    assert.match(r.err, /graph only/);
  });

  it('--json gives the documented document', async () => {
    const r = await cli('inspect', EXAMPLE, '--json');
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as InspectJson;
    assert.deepEqual(Object.keys(j.model).sort(), ['graphOnly', 'irVersion', 'opsets', 'path', 'producer']);
    assert.equal(j.model.graphOnly, true);
    assert.deepEqual(j.model.opsets, { 'ai.onnx': 13 });
    assert.deepEqual(j.inputs, [{ name: 'input', dtype: 'float32', shape: [1, 3, 224, 224] }]);
    assert.deepEqual(j.outputs, [{ name: 'output', dtype: 'float32', shape: [1, 1000] }]);
    assert.equal(j.nodes.length, 65);
    for (const n of j.nodes) {
      for (const k of ['name', 'op', 'inputs', 'outputs', 'macs', 'params']) assert.ok(k in n, `node field ${k}`);
      for (const t of [...n.inputs, ...n.outputs]) assert.ok(j.tensors[t], `tensor ${t} listed`);
    }
    assert.deepEqual(j.tensors['input'], { dtype: 'float32', shape: [1, 3, 224, 224], bytes: 602112 });
    for (const l of j.layers) for (const k of ['id', 'nodes', 'op', 'macs', 'params', 'outputBytes', 'inputs']) assert.ok(k in l);
    assert.equal(j.totals.params, 11680872);
    assert.equal(j.totals.macs, j.nodes.reduce((s, n) => s + n.macs, 0));
    assert.equal(j.totals.weightBytes, 4 * 11680872, "all float32 weights");
  });

  it('binds symbolic dims with --dim', async () => {
    const r = await cli('inspect', path.join(CORPUS, 'symbolic-dims.onnx'), '--dim', 'height=32', '--dim=width=16', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as InspectJson).outputs[0]?.shape, [1, 3, 32, 16]);
  });

  for (const [argv, message] of [
    [['inspect'], /usage: edgecut inspect MODEL/],
    [['inspect', EXAMPLE, '--dim', 'x'], /expected NAME=VALUE/],
    [['inspect', EXAMPLE, '--dim', 'nope=3'], /no symbolic dim 'nope'/],
    [['inspect', EXAMPLE, '--fast'], /unknown option --fast/],
    [['inspect', path.join(CORPUS, 'nope.onnx')], /model file not found/],
    [['inspect', path.join(CORPUS, 'truncated.onnx')], /truncated/],
    [['inspect', CORPUS], /is a folder/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ] as const) {
    it(`exits 2 with one line for: ${argv.slice(1).map((a) => path.basename(a)).join(' ') || argv[0]}`, async () => {
      const r = await cli(...argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.out, argv[0] === 'frobnicate' ? '' : r.out);
    });
  }
});

describe('bin/edgecut.js (built CLI)', function () {
  before(function () {
    if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: REPO_ROOT });
  });

  it('exits 0 on a model and 2 with a one-line message and no stack trace on bad input', () => {
    const ok = spawnSync('node', ['bin/edgecut.js', 'inspect', 'examples/googlenet.onnx', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).layers.length > 20, true);
    const bad = spawnSync('node', ['bin/edgecut.js', 'inspect', 'test/corpus/models/random.onnx'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(bad.stderr, /\bat .*\.js:\d+/);
  });
});
