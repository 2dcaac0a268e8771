// Deploying from the real workbench onto the testbed (lib/testbed.mjs), after the device checks
// (deviceScenario.mjs) added the device: squeezenet (a model with its weights) open in the graph →
// the palette → strategy, device and server quick picks → the server's trust prompt → progress,
// cancelled once (the hosts stay as they were) → a full run: the "measured … vs predicted"
// notification, "Show Timeline", measured bars over the predicted ones → "Stop Deployment".
import { spawnSync } from 'node:child_process';
import { assert } from './lib/checks.mjs';
import { sleep } from './lib/harness.mjs';
import { SSH_CONFIG_SERVER } from './lib/testbed.mjs';
import {
  activeTabLabel, chooseQuickPickRow, explorerRow, focusWorkbench, quickInputState, runPaletteCommand, toastTexts, toastWith, waitForQuickInputTitle, waitForQuickPick, webview,
} from './lib/workbench.mjs';

export const DEPLOY_LABEL = 'EdgeCut: Deploy…';
export const STOP_LABEL = 'EdgeCut: Stop Deployment';

export const DEP = {
  open: 'deploy: squeezenet1_1.onnx open in the graph, planned for rpi4 over Wi-Fi from the toolbar',
  cancel: `deploy: "${DEPLOY_LABEL}" → JPS, the device, ${SSH_CONFIG_SERVER} (trust prompt) → progress → Cancel: "Deploy cancelled", no new deployment on the hosts`,
  run: 'deploy: a full run → "Deployed JPS to … measured … vs predicted …" → Show Timeline: measured bars over the predicted ones',
  hover: 'deploy: hovering a measured bar compares it with the prediction',
  stop: `deploy: "${STOP_LABEL}" offers the last deployment's hosts → confirm → no deployment left`,
};

const COMPARISON = /measured [\d.]+ ms vs predicted [\d.]+ ms \([+−][\d.]+ %\)/;
/** The smoke test's speed check, appended to the comparison: how device and server ran against their profiles. */
const SPEED_CHECK = / · (device|server) (as planned|\d+ % (slower|faster) than planned)[^:]*: [\d.]+ ms predicted at that speed/;

/** A shell command on the testbed's server over the OpenSSH client (not EdgeCut's own SSH). */
function onServer(tb, script) {
  const args = ['-F', '/dev/null', '-i', tb.identityFile, '-p', String(tb.server.port), '-o', `UserKnownHostsFile=${tb.knownHostsFile}`, '-o', 'BatchMode=yes'];
  const r = spawnSync('ssh', [...args, `${tb.user}@${tb.server.host}`, script], { encoding: 'utf8', timeout: 20000 });
  if (r.status !== 0) throw new Error(`ssh to the testbed's server failed (${r.status ?? r.error}): ${r.stderr}`);
  return r.stdout.trim();
}

/** What ~/.edgecut/deploy holds on the server (deployments, `current`, the pid file). */
const deployDir = (tb) => onServer(tb, 'ls "$HOME/.edgecut/deploy" 2>/dev/null || true').split('\n').filter(Boolean).sort();

/** Palette → strategy JPS → DEVICE → the server Host; returns what the three pickers offered. */
async function startDeploy(page, device) {
  await focusWorkbench(page);
  await runPaletteCommand(page, DEPLOY_LABEL);
  await waitForQuickInputTitle(page, /Deploy \(1\/3\)/);
  const strategies = await waitForQuickPick(page, /JPS/);
  await chooseQuickPickRow(page, 'JPS');
  await waitForQuickInputTitle(page, /Deploy \(2\/3\)/);
  const devices = await waitForQuickPick(page, /Add a device/);
  await chooseQuickPickRow(page, device);
  await waitForQuickInputTitle(page, /Deploy \(3\/3\)/);
  const servers = await waitForQuickPick(page, /Add a device/);
  await chooseQuickPickRow(page, SSH_CONFIG_SERVER);
  return { strategies: strategies.items, devices: devices.items, servers: servers.items };
}

/**
 * Runs the deploy checks. TB: the testbed info; MODEL: a workspace model with its weights; NEEDS:
 * the device check that added the device.
 */
export async function runDeployScenario({ page, tb, model, checks, needs = [] }) {
  const view = webview(page);
  const device = `${tb.user}@${tb.device.host}`; // added by the device checks
  const shot = (name) => checks.screenshot?.(name);
  const progress = toastWith(page, new RegExp(`deploying JPS of ${model.replace(/\./g, '\\.')}`));

  await checks.check(DEP.open, async () => {
    await focusWorkbench(page);
    await runPaletteCommand(page, 'View: Close All Editors');
    await runPaletteCommand(page, 'View: Show Explorer'); // the device checks left the Devices view open
    const row = explorerRow(page, model);
    await row.waitFor({ timeout: 10000 });
    await row.dblclick({ timeout: 5000 });
    const graph = view.locator('[data-testid=graph][data-painted="true"]').first();
    await graph.waitFor({ state: 'attached', timeout: 30000 });
    const tab = await activeTabLabel(page);
    assert(tab.includes(model), `active tab is "${tab}"`);
    // The workspace's last settings name resnet18's measured profile, which does not fit this
    // model: the toolbar's built-in rpi4 does (a user would do the same).
    const choose = async (testid, label) => {
      const control = view.locator(`[data-testid=${testid}]`).first();
      if ((await control.evaluate((sel) => sel.selectedOptions[0]?.textContent ?? '')) === label) return;
      const before = await graph.getAttribute('data-plan-version');
      await control.selectOption({ label });
      for (let i = 0; i < 100 && (await graph.getAttribute('data-plan-version')) === before; i++) await sleep(100);
    };
    await choose('control-device', 'rpi4');
    await choose('control-network', 'wifi');
    const title = (await view.locator('[data-testid=timeline-title]').first().innerText()).trim();
    assert(/^JPS pipeline · \d+ jobs · [\d.]+ ms$/.test(title), `timeline title "${title}"`);
    await runPaletteCommand(page, 'Notifications: Clear All Notifications');
    return `tab "${tab}", timeline "${title}"`;
  }, { needs });

  await checks.check(DEP.cancel, async () => {
    const before = deployDir(tb);
    const offered = await startDeploy(page, device);
    assert(offered.strategies.length === 4 && offered.strategies.every((i) => /ms predicted/.test(i)), `strategy picker: ${JSON.stringify(offered.strategies)}`);
    // The server's key is not in ~/.ssh/known_hosts yet: the prompt names it, with its fingerprint.
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ state: 'visible', timeout: 30000 });
    const message = (await dialog.locator('.dialog-message-text').innerText()).trim();
    const detail = (await dialog.locator('.dialog-message-detail').innerText()).replace(/\s+/g, ' ').trim();
    assert(message.includes(SSH_CONFIG_SERVER) && /not a known host/.test(message), `dialog message "${message}"`);
    assert(detail.includes(tb.serverHostKeyFingerprint), `dialog detail "${detail}" lacks the server's key ${tb.serverHostKeyFingerprint}`);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Trust and Connect' }).first().click({ timeout: 5000 });
    await progress.waitFor({ state: 'visible', timeout: 20000 });
    // Cancel once the new deployment exists on the hosts (uploading or later): deploy() must take it back.
    await toastWith(page, /uploading the (server|device) half|starting the server|from the device|running .* job/).waitFor({ state: 'visible', timeout: 90000 });
    const at = (await progress.innerText()).replace(/\s+/g, ' ').trim();
    await shot('deploy-progress');
    await progress.hover().catch(() => {});
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).first().click({ timeout: 5000 });
    await toastWith(page, /Deploy cancelled/).waitFor({ state: 'visible', timeout: 60000 });
    await progress.waitFor({ state: 'hidden', timeout: 10000 });
    const texts = await toastTexts(page);
    assert(!texts.some((t) => /failed/.test(t)), `an error was shown for a cancel: ${JSON.stringify(texts)}`);
    const after = deployDir(tb);
    assert(JSON.stringify(after) === JSON.stringify(before), `~/.edgecut/deploy on the server was ${JSON.stringify(before)}, is ${JSON.stringify(after)} after the cancel`);
    return `devices ${JSON.stringify(offered.devices)}; cancelled at "${at.slice(0, 100)}"; ~/.edgecut/deploy ${JSON.stringify(after)} as before`;
  }, { needs: [...needs, DEP.open] });

  await checks.check(DEP.run, async () => {
    const t0 = Date.now();
    await startDeploy(page, device);
    const done = toastWith(page, /Deployed JPS to /);
    await done.waitFor({ state: 'visible', timeout: 180000 }).catch(async () => {
      throw new Error(`no "Deployed JPS to" notification within 180 s; notifications: ${JSON.stringify(await toastTexts(page))}`);
    });
    const text = (await done.innerText()).replace(/\s+/g, ' ').trim();
    assert(text.includes(`Deployed JPS to ${device} · ${SSH_CONFIG_SERVER}: `) && COMPARISON.test(text) && SPEED_CHECK.test(text), `notification "${text}"`);
    const current = onServer(tb, 'readlink "$HOME/.edgecut/deploy/current"');
    assert(/^d[0-9a-z]+$/.test(current) && deployDir(tb).includes(current), `current deployment "${current}" in ${JSON.stringify(deployDir(tb))}`);
    await done.hover().catch(() => {});
    await done.locator('.monaco-button', { hasText: 'Show Timeline' }).first().click({ timeout: 5000 });
    const bars = view.locator('[data-testid=measured-bar]');
    await bars.first().waitFor({ state: 'attached', timeout: 15000 });
    const title = (await view.locator('[data-testid=timeline-title]').first().innerText()).trim();
    assert(/^JPS pipeline/.test(title) && COMPARISON.test(title) && SPEED_CHECK.test(title), `timeline title "${title}"`);
    const chart = view.locator('[data-testid=timeline] > svg.with-run').first();
    const aria = (await chart.getAttribute('aria-label')) ?? '';
    assert(COMPARISON.test(aria), `timeline aria-label "${aria}"`);
    const legend = (await view.locator('[data-testid=timeline-legend]').first().innerText()).replace(/\s+/g, ' ');
    assert(/predicted/.test(legend) && /measured/.test(legend), `legend "${legend}"`);
    const predicted = await chart.locator('rect.bar.predicted').count();
    const measured = await bars.count();
    assert(measured > 0 && predicted > 0, `${measured} measured and ${predicted} predicted bars`);
    await shot('deploy-timeline');
    return `${((Date.now() - t0) / 1000).toFixed(1)} s; "${text.slice(0, 160)}"; timeline "${title}", ${measured} measured over ${predicted} predicted bars; deployment ${current}`;
  }, { needs: [DEP.cancel] });

  await checks.check(DEP.hover, async () => {
    const bars = view.locator('[data-testid=measured-bar]');
    const widest = await bars.evaluateAll((els) => els.reduce((best, e, i, all) => (Number(e.getAttribute('width')) > Number(all[best].getAttribute('width')) ? i : best), 0));
    // The pointer itself, onto the bar's middle (the bars are SVG rects two iframes deep).
    const box = await bars.nth(widest).boundingBox();
    assert(box && box.width > 0, `measured bar ${widest} has no box: ${JSON.stringify(box)}`);
    await page.mouse.move(2, 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const tip = view.locator('[data-testid=tooltip]').first();
    await tip.waitFor({ state: 'visible', timeout: 5000 });
    const text = (await tip.innerText()).replace(/\s+/g, ' ').trim();
    assert(/^job \d+ (device|uplink|server|downlink): measured [\d.]+–[\d.]+ ms \([\d.]+ ms\), (predicted [\d.]+ ms|not planned on the \w+)/.test(text), `tooltip "${text}"`);
    return text;
  }, { needs: [DEP.run] });

  await checks.check(DEP.stop, async () => {
    await focusWorkbench(page);
    await runPaletteCommand(page, STOP_LABEL);
    await waitForQuickInputTitle(page, /Stop Deployment \(1\/2\)/);
    await waitForQuickPick(page, /Add a device/);
    const devices = (await quickInputState(page)).items;
    assert(devices[0]?.startsWith(device), `the last deployment's device is not offered first: ${JSON.stringify(devices)}`);
    // Typed, not a bare Enter: a keypress sent as the rows paint can land before the quick
    // input holds the focus (CI lost one that way); filling the box focuses it first.
    await chooseQuickPickRow(page, device);
    await waitForQuickInputTitle(page, /Stop Deployment \(2\/2\)/);
    await waitForQuickPick(page, /Add a device/);
    const servers = (await quickInputState(page)).items;
    assert(servers[0]?.startsWith(SSH_CONFIG_SERVER), `the last deployment's server is not offered first: ${JSON.stringify(servers)}`);
    await chooseQuickPickRow(page, SSH_CONFIG_SERVER);
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ state: 'visible', timeout: 10000 });
    const detail = (await dialog.locator('.dialog-message-detail').innerText()).replace(/\s+/g, ' ').trim();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Stop and Remove' }).first().click({ timeout: 5000 });
    const done = toastWith(page, /removed the deployment from/);
    await done.waitFor({ state: 'visible', timeout: 30000 });
    const text = (await done.innerText()).replace(/\s+/g, ' ').trim();
    const left = deployDir(tb);
    assert(left.length === 0, `~/.edgecut/deploy on the server still holds ${JSON.stringify(left)}`);
    return `dialog "${detail.slice(0, 120)}"; "${text.slice(0, 140)}"`;
  }, { needs: [DEP.run] });
}
