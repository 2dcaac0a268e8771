import * as vscode from 'vscode';
import type { DeviceRegistry } from './devices';

const ADD = '$(add) Add a device…';

/**
 * Asks for an SSH host: the Devices view's hosts (added ones and ~/.ssh/config's), FIRST on top
 * when given (the last one used), or a new one typed in ("Add a device…", which joins the view).
 */
export async function pickHost(registry: DeviceRegistry, title: string, placeHolder: string, first?: string): Promise<string | undefined> {
  const hosts = registry.entries().map((e) => ({ label: e.host, description: e.source === 'added' ? 'added' : '~/.ssh/config' }));
  const ordered = [...hosts.filter((h) => h.label === first), ...hosts.filter((h) => h.label !== first)];
  const pick = await vscode.window.showQuickPick([...ordered, { label: ADD, description: 'user@host[:port]' }], { title, placeHolder, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.label !== ADD) return pick.label;
  return addDeviceCommand(registry);
}

export async function addDeviceCommand(registry: DeviceRegistry): Promise<string | undefined> {
  const host = await vscode.window.showInputBox({
    title: 'EdgeCut: Add Device',
    prompt: 'SSH target of the device: user@host[:port], or a Host from ~/.ssh/config',
    placeHolder: 'pi@raspberrypi.local',
    validateInput: (v) => (/^(?:[^@\s]+@)?[^:@\s]+(?::\d+)?$/.test(v.trim()) ? undefined : 'Use user@host[:port]'),
  });
  if (!host) return undefined;
  await registry.add(host.trim());
  return host.trim();
}
