import * as path from 'node:path';
import type { SshSession } from '../ssh/sshSession';
import { SshError } from '../ssh/sshError';
import { AGENT_VERSION } from '../agent/agentProtocol';
import { transferProgress } from '../ssh/transferProgress';
import { agentDirName, buildAgentTarball, nodeArch } from './agentBundle';

/** Shell-quotes one argument for a POSIX remote shell. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface RemoteAgent {
  readonly dir: string;
  readonly arch: string;
}

/**
 * Makes sure the versioned agent is on the device: re-uses `~/.edgecut/agent-vN-ARCH` when its
 * VERSION matches, else uploads the tarball and unpacks it into a temporary folder that is
 * renamed into place only when complete (a failed attempt is removed).
 */
export async function provisionAgent(ssh: SshSession, extensionRoot: string, log: (line: string) => void, signal?: AbortSignal): Promise<RemoteAgent> {
  const probe = await ssh.exec('uname -m; command -v node >/dev/null && node --version || echo no-node; echo $HOME');
  const [uname = '', nodeVersion = '', home = ''] = probe.stdout.trim().split('\n');
  const arch = nodeArch(uname);
  if (!arch) throw new SshError('remote-command', `${ssh.target.spec} is ${uname}: EdgeCut's agent runs on x86_64 and aarch64 (64-bit Raspberry Pi OS)`);
  if (nodeVersion === 'no-node' || !/^v(1[89]|[2-9]\d)\./.test(nodeVersion)) {
    throw new SshError('no-node', `${ssh.target.spec} has no Node.js 18+ (${nodeVersion}): install it on the device (e.g. sudo apt install nodejs) and try again`);
  }
  const dir = `${home}/.edgecut/${agentDirName(arch)}`;
  const version = await ssh.exec(`cat ${q(dir)}/VERSION 2>/dev/null`);
  if (version.code === 0 && version.stdout.trim() === AGENT_VERSION) {
    log(`agent ${agentDirName(arch)} already on ${ssh.target.spec}`);
    return { dir, arch };
  }
  log(`provisioning ${agentDirName(arch)} on ${ssh.target.spec} (offline: ONNX Runtime comes from this machine)`);
  const tarball = buildAgentTarball(extensionRoot, arch);
  const remoteTar = `${home}/.edgecut/${path.basename(tarball)}`;
  const tmp = `${dir}.partial`;
  try {
    await ssh.exec(`mkdir -p ${q(`${home}/.edgecut`)} && rm -rf ${q(tmp)}`);
    await ssh.upload(tarball, remoteTar, { signal, progress: transferProgress(`uploading ${agentDirName(arch)}`, log) });
    const r = await ssh.exec(`mkdir -p ${q(tmp)} && tar xzf ${q(remoteTar)} -C ${q(tmp)} && rm -rf ${q(dir)} && mv ${q(tmp)} ${q(dir)} && rm -f ${q(remoteTar)}`);
    if (r.code !== 0) throw new SshError('remote-command', `unpacking the agent on ${ssh.target.spec} failed: ${r.stderr.trim()}`);
  } catch (e) {
    await ssh.exec(`rm -rf ${q(tmp)} ${q(remoteTar)}`).catch(() => undefined);
    throw e;
  }
  return { dir, arch };
}
