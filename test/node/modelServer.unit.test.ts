import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel } from '../../src/core/analysis';
import { decodeModel } from '../../src/core/onnx/decode';
import { withSyntheticWeights } from '../../src/core/onnx/syntheticWeights';
import { splitModel, tensorTypes } from '../../src/core/split/splitModel';
import { decodeRequest, encodeTensors, HEADER_LENGTH } from '../../src/node/serve/kserveCodec';
import { startModelServer, type RunningServer } from '../../src/node/serve/modelServer';
import { REPO_ROOT } from '../helpers/paths';

describe('embedded KServe v2 server', function () {
  this.timeout(120_000);
  let server: RunningServer;
  let cutName = '';
  let cutTensor: ort.Tensor;
  let expected: ort.Tensor;
  const base = (): string => `http://127.0.0.1:${server.port}`;

  before(async () => {
    const bytes = withSyntheticWeights(readFileSync(path.join(REPO_ROOT, 'examples', 'resnet18.onnx')));
    const a = analyzeModel(decodeModel(bytes));
    // The output of a residual block's Add separates the model in two.
    const layer = a.layers.layers.filter((l) => l.op === 'Add')[5];
    cutName = layer?.outputs[0] ?? '';
    const s = splitModel(bytes, [cutName], tensorTypes(a));
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-serve-'));
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'models', 'tail.onnx'), s.tail);
    const x = new ort.Tensor('float32', Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.cos(i)), [1, 3, 224, 224]);
    const head = await ort.InferenceSession.create(s.head);
    cutTensor = (await head.run({ input: x }))[cutName] as ort.Tensor;
    const tail = await ort.InferenceSession.create(s.tail);
    expected = (await tail.run({ [cutName]: cutTensor })).output as ort.Tensor;
    server = await startModelServer({ dir, port: 0, maxBodyBytes: 4 * 1024 * 1024 });
  });

  after(async () => server?.close());

  it('answers health, readiness and metadata', async () => {
    assert.equal((await fetch(`${base()}/v2/health/ready`)).status, 200);
    assert.equal((await fetch(`${base()}/v2/models/tail/ready`)).status, 200);
    const meta = (await (await fetch(`${base()}/v2/models/tail`)).json()) as { inputs: { name: string }[] };
    assert.deepEqual(meta.inputs.map((i) => i.name), [cutName]);
  });

  it('infers with the binary tensor extension, equal to ONNX Runtime in-process', async () => {
    const data = cutTensor.data as Float32Array;
    const enc = encodeTensors('inputs', [{ name: cutName, datatype: 'FP32', shape: cutTensor.dims, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }], true, { parameters: { binary_data_output: true } });
    const r = await fetch(`${base()}/v2/models/tail/infer`, { method: 'POST', body: new Uint8Array(enc.body), headers: { [HEADER_LENGTH]: String(enc.headerLength), 'content-type': 'application/octet-stream' } });
    assert.equal(r.status, 200);
    const body = Buffer.from(await r.arrayBuffer());
    const parsed = decodeRequest(body, Number(r.headers.get(HEADER_LENGTH)), 'outputs');
    const got = new Float32Array(new Uint8Array(parsed.inputs[0]?.bytes ?? new Uint8Array()).buffer);
    assert.deepEqual([...got].slice(0, 10), [...(expected.data as Float32Array)].slice(0, 10));
    assert.equal(got.length, 1000);
  });

  it('infers with JSON tensors', async () => {
    const small = await fetch(`${base()}/v2/models/tail/infer`, {
      method: 'POST',
      body: JSON.stringify({ inputs: [{ name: cutName, datatype: 'FP32', shape: cutTensor.dims, data: [...(cutTensor.data as Float32Array)] }] }),
    });
    assert.equal(small.status, 200);
    const j = (await small.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    assert.deepEqual(j.outputs[0]?.shape, [1, 1000]);
    assert.ok(Math.abs((j.outputs[0]?.data[0] ?? 0) - ((expected.data as Float32Array)[0] as number)) < 1e-5);
  });

  for (const [what, init, status] of [
    ['malformed JSON', { method: 'POST', body: '{nope' }, 400],
    ['no inputs', { method: 'POST', body: '{"inputs":[]}' }, 400],
    ['a wrong shape', { method: 'POST', body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [2], data: [1] }] }) }, 400],
    ['an unknown input', { method: 'POST', body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }] }) }, 400],
    ['a bad datatype', { method: 'POST', body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'STRINGY', shape: [1], data: [1] }] }) }, 400],
    ['GET on infer', { method: 'GET' }, 405],
    ['an oversized body', { method: 'POST', body: new Uint8Array(5 * 1024 * 1024) }, 413],
  ] as const) {
    it(`answers ${status} for ${what}`, async () => {
      const r = await fetch(`${base()}/v2/models/tail/infer`, init as RequestInit);
      assert.equal(r.status, status);
      assert.ok(((await r.json()) as { error: string }).error.length > 0);
    });
  }

  it('answers 404 for an unknown model', async () => {
    assert.equal((await fetch(`${base()}/v2/models/nope/ready`)).status, 404);
  });
});
