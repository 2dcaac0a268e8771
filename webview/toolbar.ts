import type { PlanChoices, PlanSettings } from '../src/protocol';
import { el } from './dom';

export interface ToolbarActions {
  settingsChanged(s: PlanSettings): void;
  search(query: string, next: boolean): void;
  zoom(factor: number): void;
  fit(): void;
  exportPlan(kind: 'report' | 'trace' | 'json'): void;
}

const button = (icon: string, title: string, onClick: () => void, testid?: string): HTMLButtonElement => {
  const b = el('button', { class: 'icon-button', title, 'aria-label': title, 'data-testid': testid }, el('span', { class: `codicon codicon-${icon}` }));
  b.addEventListener('click', onClick);
  return b;
};

/** Device, server, network (presets and custom), jobs; search; zoom; export. */
export function toolbar(choices: PlanChoices, initial: PlanSettings, actions: ToolbarActions): { element: HTMLElement; set(s: PlanSettings): void; setDevices(devices: PlanChoices['devices']): void } {
  const fill = (s: HTMLSelectElement, values: readonly (string | { id: string; label: string })[]): void => {
    s.replaceChildren(...values.map((v) => (typeof v === 'string' ? el('option', { value: v }, v) : el('option', { value: v.id }, v.label))));
  };
  const select = (testid: string, label: string, values: readonly (string | { id: string; label: string })[]): HTMLSelectElement => {
    const s = el('select', { 'data-testid': testid, 'aria-label': label, title: label });
    fill(s, values);
    return s;
  };
  const device = select('control-device', 'Device', choices.devices);
  const server = select('control-server', 'Server', choices.servers);
  const network = select('control-network', 'Network', [...choices.networks.map((n) => n.name), 'custom']);
  for (const opt of network.options) {
    const n = choices.networks.find((x) => x.name === opt.value);
    if (n) opt.title = `${n.upMbps} Mbit/s up, ${n.downMbps} down, RTT ${n.rttMs} ms`;
  }
  const jobs = el('input', { type: 'number', min: 1, max: 1000, step: 1, 'data-testid': 'control-jobs', 'aria-label': 'Jobs', title: 'Jobs arriving together' });
  const num = (testid: string, label: string): HTMLInputElement => el('input', { type: 'number', min: 0, step: 'any', class: 'custom', 'data-testid': testid, 'aria-label': label, title: label, placeholder: label });
  const up = num('control-up', 'Uplink Mbit/s');
  const down = num('control-down', 'Downlink Mbit/s');
  const rtt = num('control-rtt', 'RTT ms');
  const customBox = el('span', { class: 'custom-link' }, up, down, rtt);
  const search = el('input', { type: 'search', placeholder: 'Search layers', 'aria-label': 'Search layers by name or op', 'data-testid': 'control-search' });

  const current = (): PlanSettings => {
    const base = { device: device.value, server: server.value, network: network.value, jobs: Math.max(1, Math.min(1000, Math.round(Number(jobs.value) || 1))) };
    return network.value === 'custom' ? { ...base, custom: { upMbps: Number(up.value) || 1, downMbps: Number(down.value) || 1, rttMs: Number(rtt.value) || 0 } } : base;
  };
  const set = (s: PlanSettings): void => {
    device.value = s.device;
    server.value = s.server;
    network.value = s.network;
    jobs.value = String(s.jobs);
    const preset = choices.networks.find((n) => n.name === s.network) ?? s.custom;
    if (preset) {
      up.value = String(preset.upMbps);
      down.value = String(preset.downMbps);
      rtt.value = String(preset.rttMs);
    }
    customBox.hidden = s.network !== 'custom';
  };
  set(initial);
  const changed = (): void => {
    customBox.hidden = network.value !== 'custom';
    if (Number(jobs.value) >= 1) actions.settingsChanged(current());
  };
  for (const c of [device, server, network, up, down, rtt]) c.addEventListener('change', changed);
  jobs.addEventListener('change', changed);
  search.addEventListener('input', () => actions.search(search.value, false));
  search.addEventListener('keydown', (e) => e.key === 'Enter' && actions.search(search.value, true));

  const field = (label: string, control: HTMLElement): HTMLElement => el('label', { class: 'field' }, el('span', {}, label), control);
  const element = el(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Plan settings' },
    field('Device', device),
    field('Server', server),
    field('Network', network),
    customBox,
    field('Jobs', jobs),
    el('span', { class: 'spacer' }),
    search,
    button('zoom-in', 'Zoom in (+)', () => actions.zoom(1.25)),
    button('zoom-out', 'Zoom out (-)', () => actions.zoom(0.8)),
    button('screen-full', 'Fit (0)', () => actions.fit(), 'control-fit'),
    button('file-code', 'Export HTML report', () => actions.exportPlan('report')),
    button('pulse', 'Export Chrome trace', () => actions.exportPlan('trace')),
    button('json', 'Export plan JSON', () => actions.exportPlan('json')),
  );
  return { element, set, setDevices: (devices) => fill(device, devices) };
}
