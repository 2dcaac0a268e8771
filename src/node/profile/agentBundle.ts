import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_VERSION } from '../agent/agentProtocol';
import { SshError } from '../ssh/sshError';

/** Node's architecture names for `uname -m`. */
export function nodeArch(unameM: string): 'x64' | 'arm64' | undefined {
  const m = unameM.trim();
  if (m === 'x86_64' || m === 'amd64') return 'x64';
  if (m === 'aarch64' || m === 'arm64') return 'arm64';
  return undefined;
}

export function agentDirName(arch: string): string {
  return `agent-v${AGENT_VERSION}-${arch}`;
}

/**
 * A tarball with the agent and ONNX Runtime for one architecture, built from this machine's
 * node_modules, so a device without internet can be provisioned. Returns its path.
 */
export function buildAgentTarball(extensionRoot: string, arch: 'x64' | 'arm64'): string {
  const agent = path.join(extensionRoot, 'dist', 'agent', 'edgecut-agent.js');
  let ortRoot: string;
  try {
    ortRoot = path.dirname(require.resolve('onnxruntime-node/package.json', { paths: [extensionRoot, process.cwd()] }));
  } catch {
    throw new SshError('provision', `the device runtime (npm onnxruntime-node) is not installed beside EdgeCut in ${extensionRoot}: run "npm install onnxruntime-node" there, or profile with the edgecut CLI from a checkout`);
  }
  // onnxruntime-common's "exports" hide its package.json: find the folder next to (or inside) ORT.
  const commonRoot = [path.join(ortRoot, 'node_modules', 'onnxruntime-common'), path.join(path.dirname(ortRoot), 'onnxruntime-common')].find((d) => existsSync(path.join(d, 'package.json')));
  if (!commonRoot) throw new SshError('provision', `onnxruntime-common is missing beside ${ortRoot}: reinstall onnxruntime-node`);
  if (!existsSync(agent)) throw new SshError('provision', `${agent} is missing: run npm run build`);
  const binary = path.join(ortRoot, 'bin', 'napi-v6', 'linux', arch);
  if (!existsSync(binary)) throw new SshError('provision', `onnxruntime-node has no linux/${arch} binary in ${ortRoot}`);
  const stage = mkdtempSync(path.join(os.tmpdir(), 'edgecut-agent-'));
  const out = path.join(stage, `${agentDirName(arch)}.tgz`);
  const root = path.join(stage, 'root');
  const copy = (from: string, to: string): void => void execFileSync('cp', ['-r', from, to]);
  execFileSync('mkdir', ['-p', path.join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux')]);
  copy(agent, path.join(root, 'edgecut-agent.js'));
  for (const f of ['package.json', 'dist', 'lib']) if (existsSync(path.join(ortRoot, f))) copy(path.join(ortRoot, f), path.join(root, 'node_modules', 'onnxruntime-node', f));
  copy(binary, path.join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', arch));
  copy(commonRoot, path.join(root, 'node_modules', 'onnxruntime-common'));
  execFileSync('sh', ['-c', `echo ${AGENT_VERSION} > "${path.join(root, 'VERSION')}"`]);
  execFileSync('tar', ['czf', out, '-C', root, '.']);
  rmSync(root, { recursive: true, force: true });
  return out;
}
