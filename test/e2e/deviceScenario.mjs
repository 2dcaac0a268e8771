// Device profiling in the real workbench, against the testbed's device (lib/testbed.mjs): the
// palette → host quick pick ("Add a device…" or a Host of ~/.ssh/config) → the modal trust prompt
// with the key's fingerprint → progress → the measured numbers in the open graph (Device control,
// hover) → the Devices view → a second run cancelled from its notification.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import { DEP } from './deployScenario.mjs';
import { assert } from './lib/checks.mjs';
import { sleep } from './lib/harness.mjs';
import { activeTabLabel, explorerRow, focusWorkbench, quickInputState, runPaletteCommand, toastTexts, toastWith, waitForQuickPick, webview } from './lib/workbench.mjs';

export const PROFILE_LABEL = 'EdgeCut: Profile on Device…';

export const D = {
  graph: 'device: resnet18.onnx open in the EdgeCut graph again',
  pick: `device: "${PROFILE_LABEL}" asks for the host: the ~/.ssh/config Host and "Add a device…"`,
  trust: 'device: "Add a device…" user@host → modal trust prompt with the key\'s SHA256 fingerprint',
  profile: 'device: "Trust and Connect" → progress → "… takes N ms on" notification; key recorded in known_hosts',
  control: 'device: the open graph re-planned: Device control lists and selects the measured profile',
  hover: 'device: hovering a layer shows a "measured" row (ms on device)',
  view: 'device: Devices view lists user@host (architecture, last profile, reachable) and the ~/.ssh/config Host',
  cancel: 'device: profiling again (host from the quick pick) and pressing Cancel stops it',
};

/** The title of the extension-host suite for the same feature (extHost/device.exthost.ts). */
export const DEVICE_SUITE = 'EdgeCut device profiling in the extension host (testbed)';

/** Marks every device and deploy check skipped (no testbed), or failed (CI=true). */
export function skipDeviceScenario(checks, why, { fail = false } = {}) {
  for (const name of [...Object.values(D), ...Object.values(DEP)]) {
    if (fail) checks.record({ name, state: 'failed', detail: `not run under CI=true: ${why}` });
    else checks.skip(name, why);
  }
}

/** The rows of the Devices view (its pane must be open). */
async function deviceRows(page) {
  // The EdgeCut container has one view, so its pane header is merged into the side bar's title.
  const list = page.locator('.part.sidebar .pane-body .monaco-list-row');
  await list.first().waitFor({ timeout: 10000 });
  return (await list.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The first layer box inside the viewport. */
async function layerOnScreen(view) {
  const layers = view.locator('[data-testid=layer]');
  const n = await layers.count();
  for (let i = 0; i < Math.min(n, 60); i++) {
    const box = await layers.nth(i).boundingBox();
    if (box && box.width > 4 && box.height > 4 && box.y > 0 && box.x > 0) return layers.nth(i);
  }
  throw new Error(`no layer on screen among ${n}`);
}

/**
 * Runs the device checks. TB: the testbed info (lib/testbedProcess.ts), HOME: { home, knownHosts }
 * of code-server, SSH_HOST: the ~/.ssh/config Host naming the device.
 */
export async function runDeviceScenario({ page, tb, home, sshHost, checks, needs = [] }) {
  const view = webview(page);
  const graph = view.locator('[data-testid=graph]').first();
  const target = `${tb.user}@${tb.device.host}`; // port 22: typed the way a user would
  const shot = (name) => checks.screenshot?.(name);
  let versionBefore = '';

  await checks.check(D.graph, async () => {
    await focusWorkbench(page);
    await runPaletteCommand(page, 'View: Close All Editors');
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 10000 }).catch(() => {});
    const row = explorerRow(page, 'resnet18.onnx');
    await row.waitFor({ timeout: 10000 });
    await row.dblclick({ timeout: 5000 });
    await view.locator('[data-testid=graph][data-painted="true"]').first().waitFor({ state: 'attached', timeout: 30000 });
    await view.locator('[data-testid=layer][data-placement]').first().waitFor({ state: 'attached', timeout: 10000 });
    const tab = await activeTabLabel(page);
    assert(/resnet18\.onnx/.test(tab), `active tab is "${tab}"`);
    versionBefore = (await graph.getAttribute('data-plan-version')) ?? '';
    const device = view.locator('[data-testid=control-device]').first();
    const options = await device.locator('option').allInnerTexts();
    assert(!options.some((o) => /measured/.test(o)), `a measured device is offered before any profile: ${JSON.stringify(options)}`);
    return `tab "${tab}", plan version ${versionBefore}, Device control: ${JSON.stringify(options)}`;
  }, { needs });

  await checks.check(D.pick, async () => {
    await focusWorkbench(page);
    await runPaletteCommand(page, PROFILE_LABEL);
    const s = await waitForQuickPick(page, /Add a device/);
    assert(s.items.some((i) => i.includes(sshHost) && i.includes('~/.ssh/config')), `no "${sshHost} ~/.ssh/config" row in ${JSON.stringify(s.items)}`);
    return `[${s.title || s.placeholder}] ${JSON.stringify(s.items)}`;
  }, { needs: [D.graph] });

  await checks.check(D.trust, async () => {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('Add a device');
    await page.waitForFunction(() => /Add a device/.test(document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused')?.textContent ?? ''), null, { timeout: 5000 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Add Device/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''), null, { timeout: 10000 });
    const box = await quickInputState(page);
    await input.fill(target);
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ state: 'visible', timeout: 30000 });
    const message = (await dialog.locator('.dialog-message-text').innerText()).trim();
    const detail = (await dialog.locator('.dialog-message-detail').innerText()).replace(/\s+/g, ' ').trim();
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim());
    assert(message.includes(target) && /not a known host/.test(message), `dialog message "${message}"`);
    assert(detail.includes(tb.deviceHostKeyFingerprint), `dialog detail "${detail}" lacks the device's key ${tb.deviceHostKeyFingerprint}`);
    assert(buttons.includes('Trust and Connect'), `dialog buttons ${JSON.stringify(buttons)}`);
    assert(!existsSync(home.knownHosts) || !readFileSync(home.knownHosts, 'utf8').trim(), 'known_hosts has an entry before the user trusted the key');
    return `input box [${box.title}]; dialog "${message}" — "${detail}" — buttons ${JSON.stringify(buttons)}`;
  }, { needs: [D.pick] });

  await checks.check(D.profile, async () => {
    const t0 = Date.now();
    await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: 'Trust and Connect' }).first().click({ timeout: 5000 });
    const progress = toastWith(page, /profiling resnet18\.onnx/);
    let progressText = '';
    try {
      await progress.waitFor({ state: 'visible', timeout: 15000 });
      progressText = (await progress.innerText()).replace(/\s+/g, ' ').trim();
      await shot('device-progress');
    } catch {
      progressText = '(no progress notification seen: it may have finished first)';
    }
    const done = toastWith(page, /takes [\d.]+ ms on/);
    await done.waitFor({ state: 'visible', timeout: 120000 }).catch(async () => {
      throw new Error(`no "takes … ms on" notification within 120 s; notifications: ${JSON.stringify(await toastTexts(page))}`);
    });
    const text = (await done.innerText()).replace(/\s+/g, ' ').trim();
    const known = existsSync(home.knownHosts) ? readFileSync(home.knownHosts, 'utf8') : '';
    assert(known.startsWith(`${tb.device.host} ssh-ed25519 `), `~/.ssh/known_hosts after trusting: ${JSON.stringify(known)}`);
    return `${((Date.now() - t0) / 1000).toFixed(1)} s; progress "${progressText.slice(0, 120)}"; "${text.slice(0, 160)}"`;
  }, { needs: [D.trust] });

  await checks.check(D.control, async () => {
    const device = view.locator('[data-testid=control-device]').first();
    let selected = '';
    let options = [];
    for (const t0 = Date.now(); Date.now() - t0 < 10000; await sleep(100)) {
      options = await device.locator('option').allInnerTexts();
      selected = await device.evaluate((s) => s.selectedOptions[0]?.textContent ?? '').catch(() => '');
      if (/measured/.test(selected)) break;
    }
    const measured = options.filter((o) => /measured/.test(o));
    assert(measured.length === 1, `Device control options ${JSON.stringify(options)}: want one "measured" option`);
    assert(measured[0].includes(target) && measured[0].includes('resnet18.onnx'), `measured option "${measured[0]}"`);
    assert(selected === measured[0], `Device control shows "${selected}", not the measured profile`);
    const version = await graph.getAttribute('data-plan-version');
    assert(version !== versionBefore, `plan version still ${version}: the graph did not re-plan`);
    return `options ${JSON.stringify(options)}, selected "${selected}", plan version ${versionBefore} → ${version}`;
  }, { needs: [D.profile] });

  await checks.check(D.hover, async () => {
    await page.mouse.move(2, 2);
    const layer = await layerOnScreen(view);
    const id = await layer.getAttribute('data-layer-id');
    await layer.hover({ timeout: 5000 });
    const tip = view.locator('[data-testid=tooltip]').first();
    await tip.waitFor({ state: 'visible', timeout: 5000 });
    const rows = (await tip.locator('.tooltip-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    const measured = rows.find((r) => /^measured\b/.test(r));
    assert(measured && /\d ms on device/.test(measured), `tooltip rows ${JSON.stringify(rows)} have no "measured … ms on device"`);
    return `layer ${id}: ${JSON.stringify(rows)}`;
  }, { needs: [D.profile] });

  await checks.check(D.view, async () => {
    await focusWorkbench(page);
    await runPaletteCommand(page, 'EdgeCut: Focus on Devices View');
    let rows = [];
    for (const t0 = Date.now(); Date.now() - t0 < 10000; await sleep(200)) {
      rows = await deviceRows(page);
      if (rows.some((r) => r.includes(target) && r.includes('reachable'))) break;
    }
    const mine = rows.find((r) => r.startsWith(target));
    assert(mine, `no row for ${target} in ${JSON.stringify(rows)}`);
    assert(mine.includes(os.arch()) && /resnet18\.onnx \d+(\.\d+)? ms/.test(mine) && mine.includes('reachable'), `row "${mine}" lacks the architecture, the last profile or the status`);
    assert(rows.some((r) => r.startsWith(sshHost)), `no row for the ~/.ssh/config Host ${sshHost} in ${JSON.stringify(rows)}`);
    return JSON.stringify(rows);
  }, { needs: [D.profile] });

  await checks.check(D.cancel, async () => {
    await focusWorkbench(page);
    await runPaletteCommand(page, PROFILE_LABEL);
    const s = await waitForQuickPick(page, new RegExp(target.replace(/\./g, '\\.')));
    assert(s.items.some((i) => i.startsWith(target) && /added/.test(i)), `the added host is not offered: ${JSON.stringify(s.items)}`);
    await page.locator('.quick-input-widget .quick-input-box input').fill(target);
    await page.waitForFunction((t) => (document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused')?.textContent ?? '').includes(t), target, { timeout: 5000 });
    await page.keyboard.press('Enter');
    // The key is known now: no prompt. Wait until the agent is timing runs, then cancel.
    const progress = toastWith(page, /profiling resnet18\.onnx/);
    await progress.waitFor({ state: 'visible', timeout: 20000 });
    await toastWith(page, /run \d+\/\d+/).waitFor({ state: 'visible', timeout: 60000 });
    const before = (await progress.innerText()).replace(/\s+/g, ' ').trim();
    await progress.hover().catch(() => {});
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).first().click({ timeout: 5000 });
    await progress.waitFor({ state: 'hidden', timeout: 15000 });
    const texts = await toastTexts(page);
    assert(!texts.some((t) => /failed/.test(t)), `an error was shown for a cancel: ${JSON.stringify(texts)}`);
    let rows = [];
    for (const t0 = Date.now(); Date.now() - t0 < 5000; await sleep(200)) {
      rows = await deviceRows(page);
      if (rows.some((r) => r.startsWith(target) && /cancelled/.test(r))) break;
    }
    const row = rows.find((r) => r.startsWith(target)) ?? '';
    assert(/cancelled/.test(row), `Devices view row after cancel: "${row}"`);
    // The agent on the device stops once the session is gone (its heartbeat stops; 10 s at most).
    let left = '';
    for (let i = 0; i < 30; i++) {
      left = spawnSync('pgrep', ['-f', 'edgecut-[a]gent.js profile'], { encoding: 'utf8' }).stdout.trim();
      if (!left) break;
      await sleep(500);
    }
    assert(!left, `agent still running on the device 15 s after cancel: pids ${left}`);
    return `cancelled at "${before.slice(0, 100)}"; row "${row}"`;
  }, { needs: [D.profile] });
}
