// Driving the VS Code workbench (code-server) in the page: explorer, palette, context menus,
// quick picks, and the webview two iframes deep.
import * as path from 'node:path';
import { sleep } from './harness.mjs';

/** Opens the workbench on FOLDER (optionally with a URL payload) and waits for the explorer to list EXPECT. */
export async function openWorkbench(page, server, folder, { payload, expect = [], timeoutMs = 60000 } = {}) {
  const p = payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}${p}`, { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  for (const name of expect) await explorerRow(page, name).waitFor({ timeout: timeoutMs });
}

export function explorerRow(page, name) {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
}

/** Retries F1 + query until the palette lists LABEL (contributions register after the explorer shows). */
export async function waitForPaletteCommand(page, label, { timeoutMs = 60000 } = {}) {
  const input = page.locator('.quick-input-widget input');
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  const t0 = Date.now();
  for (let attempt = 1; ; attempt++) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${label}`);
    try {
      await item.waitFor({ timeout: 2000 });
      return { attempt, ms: Date.now() - t0, text: (await item.innerText()).replace(/\s+/g, ' ').trim() };
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() - t0 > timeoutMs) throw new Error(`palette never listed "${label}" in ${timeoutMs / 1000} s (${attempt} tries): ${e.message.split('\n')[0]}`);
      await sleep(1000);
    }
  }
}

/** Runs a palette command by its label (the palette must be able to list it). */
export async function runPaletteCommand(page, label) {
  await waitForPaletteCommand(page, label, { timeoutMs: 20000 });
  // The list re-filters a frame after the row appears: Enter must land on LABEL's row, not the
  // row that was focused a moment before.
  await page.waitForFunction((t) => (document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused')?.textContent ?? '').includes(t), label, { timeout: 5000 });
  await page.keyboard.press('Enter');
}

/** Puts keyboard focus in the workbench (not in a webview) by clicking the explorer's title. */
export async function focusWorkbench(page) {
  await page.locator('.explorer-viewlet .title, .sidebar .composite.title').first().click({ timeout: 5000 }).catch(() => {});
}

/** Right-clicks an explorer row; returns the labels of the context menu's items (menu left open). */
export async function contextMenuLabels(page, name) {
  await page.keyboard.press('Escape');
  const row = explorerRow(page, name);
  await row.click({ button: 'right', timeout: 10000 });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: 10000 });
  await sleep(200); // menus fill in one go, but give late contributions a frame
  const labels = await menu.locator('.action-item .action-label').allInnerTexts();
  return labels.map((l) => l.trim()).filter(Boolean);
}

export function contextMenuItem(page, label) {
  return page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
}

/** The visible quick input: its placeholder/title, its rows' texts, and whether it is a list (QuickPick) or an input box. */
export async function quickInputState(page) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const title = (await widget.locator('.quick-input-title').innerText().catch(() => '')).trim();
  const placeholder = (await input.getAttribute('placeholder').catch(() => '')) ?? '';
  const ariaLabel = (await input.getAttribute('aria-label').catch(() => '')) ?? '';
  const listVisible = await widget.locator('.quick-input-list').isVisible().catch(() => false);
  const items = listVisible ? (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()) : [];
  const message = (await widget.locator('.quick-input-message').innerText().catch(() => '')).trim();
  return { title, placeholder, ariaLabel, listVisible, items, message };
}

/** Waits for a quick pick whose rows include one matching RE; returns its state. */
export async function waitForQuickPick(page, re, { timeoutMs = 15000 } = {}) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: timeoutMs });
  await widget.locator('.quick-input-list .monaco-list-row').filter({ hasText: re }).first().waitFor({ timeout: timeoutMs });
  return quickInputState(page);
}

/** The focused row's text in the visible quick pick. */
export async function focusedQuickPickRow(page) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').first();
  return (await row.innerText({ timeout: 2000 }).catch(() => '')).replace(/\s+/g, ' ').trim();
}

/**
 * The outer webview iframe that is showing (hidden editors' webviews stay in the DOM), and the
 * frame locator of its inner `iframe#active-frame`, where the extension's page lives.
 */
export function webview(page) {
  return page.frameLocator('iframe.webview:visible').frameLocator('iframe#active-frame');
}

export async function screenshot(page, dir, name) {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, timeout: 15000 }).catch(() => {});
  return file;
}

/** Active editor tab label. */
export async function activeTabLabel(page) {
  return (await page.locator('.tabs-container .tab.active').first().innerText({ timeout: 5000 }).catch(() => '')).trim();
}

const toasts = (page) => page.locator('.notifications-toasts .notification-toast');

/** The first notification toast whose text matches RE. */
export function toastWith(page, re) {
  return toasts(page).filter({ hasText: re }).first();
}

/** The texts of the notification toasts showing. */
export async function toastTexts(page) {
  return (await toasts(page).allInnerTexts().catch(() => [])).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits until the visible quick input's title matches RE (the next step of a multi-step pick). */
export async function waitForQuickInputTitle(page, re, { timeoutMs = 15000 } = {}) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''), re.source, { timeout: timeoutMs });
}

/** Types TEXT into the visible quick pick, waits until the focused row contains it, and accepts it. */
export async function chooseQuickPickRow(page, text) {
  await page.locator('.quick-input-widget .quick-input-box input').fill(text);
  await page.waitForFunction((t) => (document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused')?.textContent ?? '').includes(t), text, { timeout: 5000 });
  await page.keyboard.press('Enter');
}
