import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PlanJson } from '../../src/core/plan/planJson';
import { REPO_ROOT } from '../helpers/paths';
import { cli } from '../helpers/cli';

const EX = (f: string): string => path.join(REPO_ROOT, 'examples', f);
/** The link's busy time for a message; its rttMs/2 in flight is the candidate's propagationMs. */
const serialization = (bytes: number, mbps: number): number => (bytes > 0 ? ((8 * bytes) / (mbps * 1e6)) * 1000 : 0);
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe('edgecut plan', () => {
  it('prints the strategy table and the chosen cuts', async () => {
    const r = await cli('plan', EX('resnet18.onnx'), '--jobs', '8', '--network', 'wifi');
    assert.equal(r.code, 0, r.err);
    for (const s of ['LO', 'CO', 'PO', 'JPS']) assert.match(r.out, new RegExp(`^${s}\\s+\\d+\\.\\d`, 'm'));
    assert.match(r.out, /JPS \((exact|two-stage-exact|search)\) uses:/);
  });

  // A netprobe file: the device's own send time joins the device stage of every cut that sends.
  const netprobed = path.join(mkdtempSync(path.join(tmpdir(), 'edgecut-net-')), 'net.json');
  writeFileSync(netprobed, JSON.stringify({ name: 'netprobe', upMbps: 40, downMbps: 80, rttMs: 4, deviceSend: { perMessageMs: 0.4, perMBMs: 30 } }));
  for (const network of ['3g', '4g', 'wifi', 'cat1', 'up=8.8,down=29.1,rtt=40', netprobed]) {
    it(`--json numbers are reproducible from layers and the transfer model (${path.basename(network)})`, async () => {
      const r = await cli('plan', EX('googlenet.onnx'), '--jobs', '4', '--network', network, '--json');
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as PlanJson;
      const { upMbps, downMbps, rttMs, deviceSend } = j.network;
      assert.equal(deviceSend?.perMBMs, network === netprobed ? 30 : undefined);
      if (network === netprobed) assert.match((await cli('plan', EX('googlenet.onnx'), '--network', network)).out, /RTT 4 ms, device send 0\.4 ms \+ 30 ms\/MB\)/);
      const send = (bytes: number): number => (bytes > 0 && deviceSend ? deviceSend.perMessageMs + (deviceSend.perMBMs * bytes) / 1e6 : 0);
      const m = j.models[0] as PlanJson['models'][number];
      const outputsOnServer = (head: Set<number>) => m.outputs.filter((o) => o.layer !== null && !head.has(o.layer));
      for (const c of j.candidates) {
        const head = new Set(c.headLayers);
        const upBytes = c.cutTensors.reduce((s, t) => s + (m.tensors[t] ?? NaN), 0);
        const dev = j.layers.filter((l) => head.has(l.id)).reduce((s, l) => s + l.deviceMs, 0) + send(upBytes);
        const srv = j.layers.filter((l) => !head.has(l.id)).reduce((s, l) => s + l.serverMs, 0);
        const downBytes = outputsOnServer(head).reduce((s, o) => s + (m.tensors[o.tensor] ?? NaN), 0);
        const up = serialization(upBytes, upMbps);
        const down = serialization(downBytes, downMbps);
        assert.ok(close(c.deviceMs, dev) && close(c.serverMs, srv) && close(c.uplinkMs, up) && close(c.downlinkMs, down), `candidate ${c.id}`);
        assert.equal(c.propagationMs, upBytes > 0 || downBytes > 0 ? rttMs / 2 : 0, `candidate ${c.id} in flight`);
      }
      assert.equal(j.schedule.length, 4);
      let makespan = 0;
      for (const s of j.schedule) {
        const c = j.candidates[s.candidate] as PlanJson['candidates'][number];
        const stages = [[s.device, c.deviceMs], [s.uplink, c.uplinkMs], [s.server, c.serverMs], [s.downlink, c.downlinkMs]] as const;
        // A message's bytes hold the link; the job goes on rttMs/2 later, when they have arrived.
        const lag = [0, c.propagationMs, 0, c.propagationMs];
        let ready = 0;
        stages.forEach(([span, ms], k) => {
          if (ms === 0) return assert.equal(span, null);
          assert.ok(span && close(span[1] - span[0], ms) && span[0] >= ready - 1e-9, `job ${s.job} stage ${k}`);
          ready = span[1] + (lag[k] as number);
        });
        makespan = Math.max(makespan, ready);
      }
      assert.ok(close(j.makespanMs, makespan));
      assert.ok(j.strategies.JPS.makespanMs <= j.strategies.PO.makespanMs + 1e-9, 'JPS never loses to PO');
      assert.ok(j.strategies.PO.makespanMs <= j.strategies.LO.makespanMs + 1e-9, 'PO never loses to LO');
    });
  }

  it('records the threads a measured profile was taken with, for the deployment to run with', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-plan-'));
    const layerCount = (JSON.parse((await cli('inspect', EX('resnet18.onnx'), '--json')).out) as { layers: unknown[] }).layers.length;
    const measured = path.join(dir, 'device.json');
    writeFileSync(measured, JSON.stringify({ kind: 'measured', name: 'pi', layerCount, threads: 3, layers: Array.from({ length: layerCount }, (_, id) => ({ id, ms: 2 })) }));
    const j = JSON.parse((await cli('plan', EX('resnet18.onnx'), '--device', measured, '--json')).out) as PlanJson;
    assert.deepEqual(j.threads, { device: 3 });
    const builtIn = JSON.parse((await cli('plan', EX('resnet18.onnx'), '--json')).out) as PlanJson;
    assert.equal(builtIn.threads, undefined);
  });

  it('plans heterogeneous jobs (TMC’24) with each model choosing its own cuts', async () => {
    const r = await cli('plan', '--jobs', `${EX('resnet18.onnx')}:3,${EX('googlenet.onnx')}:2`, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as PlanJson;
    assert.deepEqual(j.models.map((m) => [m.name, m.jobs]), [['resnet18.onnx', 3], ['googlenet.onnx', 2]]);
    assert.equal(j.schedule.filter((s) => s.model === 'googlenet.onnx').length, 2);
  });

  it('writes a self-contained HTML report and a Chrome trace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-plan-'));
    const html = path.join(dir, 'plan.html');
    const trace = path.join(dir, 'plan.trace.json');
    const r = await cli('plan', EX('resnet18.onnx'), '--jobs', '4', '--report', html, '--trace', trace);
    assert.equal(r.code, 0, r.err);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<svg[^>]*>.*class="layer (device|server)"/s);
    assert.match(page, /class="edge cut"/);
    assert.doesNotMatch(page, /<script|https?:\/\/(?!www\.w3\.org)/);
    const events = (JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; dur?: number }[] }).traceEvents;
    assert.ok(events.filter((e) => e.ph === 'X').length >= 4 * 4);
  });

  it('refuses bad input with one line and exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-plan-'));
    const badProfile = path.join(dir, 'bad.json');
    writeFileSync(badProfile, JSON.stringify({ kind: 'roofline', peakGmacs: -1 }));
    const notJson = path.join(dir, 'x.json');
    writeFileSync(notJson, '{nope');
    const badSend = path.join(dir, 'net.json');
    writeFileSync(badSend, JSON.stringify({ upMbps: 10, downMbps: 10, rttMs: 1, deviceSend: { perMessageMs: -1, perMBMs: 2 } }));
    const measured = path.join(dir, 'measured.json');
    writeFileSync(measured, JSON.stringify({ kind: 'measured', name: 'pi', layerCount: 3, layers: [{ id: 0, ms: 1 }] }));
    const cases: [string[], RegExp][] = [
      [['--device', 'pi5'], /unknown device 'pi5': use one of rpi4/],
      [['--server', 'tpu'], /unknown server 'tpu'/],
      [['--network', '5g'], /unknown network '5g'/],
      [['--network', 'up=0,down=1'], /positive/],
      [['--network', badSend], /deviceSend needs non-negative perMessageMs and perMBMs/],
      [['--device', badProfile], /'peakGmacs' must be a number/],
      [['--device', notJson], /not valid JSON/],
      [['--device', measured], /measured on a model with 3 layers/],
      [['--jobs', '0'], /--jobs must be at least 1/],
      [['--jobs', 'a.onnx:x'], /expected N or MODEL:N/],
    ];
    for (const [extra, message] of cases) {
      const r = await cli('plan', EX('resnet18.onnx'), ...extra);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').filter((l) => !l.startsWith('warning:')).length, 1);
    }
  });
});
