import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import * as vscode from 'vscode';
import { measuredProfiles, setMeasuredProfiles, type MeasuredProfileRef } from './settings';

const ADDED = 'edgecut.devices';
const PROFILES = 'edgecut.measuredProfiles';
const STATUS = 'edgecut.deviceStatus';

export interface DeviceEntry {
  readonly host: string;
  readonly source: 'ssh-config' | 'added';
  readonly status?: string;
  readonly profiles: readonly MeasuredProfileRef[];
}

/** Hosts from ~/.ssh/config plus the ones added in EdgeCut, with their last profiles and status. */
export class DeviceRegistry implements vscode.TreeDataProvider<DeviceEntry> {
  private readonly changed = new vscode.EventEmitter<DeviceEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    setMeasuredProfiles(state.get<MeasuredProfileRef[]>(PROFILES, []).filter((p) => existsSync(p.file)));
  }

  entries(): DeviceEntry[] {
    const status = this.state.get<Record<string, string>>(STATUS, {});
    const added = this.state.get<string[]>(ADDED, []);
    const fromConfig = sshConfigHosts().filter((h) => !added.includes(h));
    const entry = (host: string, source: DeviceEntry['source']): DeviceEntry => ({
      host,
      source,
      status: status[host],
      profiles: measuredProfiles().filter((p) => p.host === host),
    });
    return [...added.map((h) => entry(h, 'added')), ...fromConfig.map((h) => entry(h, 'ssh-config'))];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async add(host: string): Promise<void> {
    const added = this.state.get<string[]>(ADDED, []);
    if (!added.includes(host)) await this.state.update(ADDED, [...added, host]);
    this.changed.fire(undefined);
  }

  async remove(host: string): Promise<void> {
    await this.state.update(ADDED, this.state.get<string[]>(ADDED, []).filter((h) => h !== host));
    this.changed.fire(undefined);
  }

  async setStatus(host: string, status: string): Promise<void> {
    await this.state.update(STATUS, { ...this.state.get<Record<string, string>>(STATUS, {}), [host]: status });
    this.changed.fire(undefined);
  }

  async recordProfile(ref: MeasuredProfileRef): Promise<void> {
    const list = [...measuredProfiles().filter((p) => !(p.host === ref.host && p.model === ref.model)), ref];
    setMeasuredProfiles(list);
    await this.state.update(PROFILES, list);
    this.changed.fire(undefined);
  }

  getTreeItem(e: DeviceEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(e.host, vscode.TreeItemCollapsibleState.None);
    const last = e.profiles[e.profiles.length - 1];
    item.description = [last ? `${last.arch} · ${last.model} ${last.wholeModelMs.toFixed(1)} ms` : undefined, e.status].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [`**${e.host}** (${e.source === 'added' ? 'added in EdgeCut' : 'from ~/.ssh/config'})`, e.status ? `Status: ${e.status}` : '', ...e.profiles.map((p) => `- ${p.model}: ${p.wholeModelMs.toFixed(1)} ms (${p.arch}, ${p.at})`)].filter(Boolean).join('\n\n'),
    );
    item.iconPath = new vscode.ThemeIcon(e.status?.startsWith('error') ? 'warning' : 'vm');
    item.contextValue = e.source === 'added' ? 'edgecut.device.added' : 'edgecut.device';
    item.command = { command: 'edgecut.profileOnDevice', title: 'Profile on Device…', arguments: [undefined, e.host] };
    return item;
  }

  getChildren(e?: DeviceEntry): DeviceEntry[] {
    return e ? [] : this.entries();
  }
}

/** Concrete Host names (no wildcards) from ~/.ssh/config, parsed by the maintained ssh-config package. */
function sshConfigHosts(): string[] {
  const file = path.join(os.homedir(), '.ssh', 'config');
  if (!existsSync(file)) return [];
  try {
    const hosts: string[] = [];
    for (const section of SSHConfig.parse(readFileSync(file, 'utf8'))) {
      const s = section as { param?: string; value?: string | string[] };
      if (s.param?.toLowerCase() !== 'host') continue;
      const values = Array.isArray(s.value) ? s.value : String(s.value ?? '').split(/\s+/);
      hosts.push(...values.filter((v) => v && !/[*?!]/.test(v)));
    }
    return hosts;
  } catch {
    return [];
  }
}
