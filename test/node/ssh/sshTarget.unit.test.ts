import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveTarget } from '../../../src/node/ssh/sshTarget';
import { SshError } from '../../../src/node/ssh/sshError';

describe('SSH targets and ~/.ssh/config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-sshcfg-'));
  const config = path.join(dir, 'config');
  writeFileSync(config, 'Host pi\n  HostName 192.168.7.2\n  User pi\n  Port 2222\n  IdentityFile ~/.ssh/pi_key\n\nHost *\n  User fallback\n');

  it('applies HostName, User, Port and IdentityFile from the config', () => {
    const t = resolveTarget('pi', { sshConfigFile: config });
    assert.equal(t.hostname, '192.168.7.2');
    assert.equal(t.user, 'pi');
    assert.equal(t.port, 2222);
    assert.match(t.identityFiles[0] ?? '', /\.ssh\/pi_key$/);
  });

  it('lets the command line win and parses user@host:port', () => {
    const t = resolveTarget('root@pi:2200', { sshConfigFile: config, identity: '/k' });
    assert.deepEqual([t.user, t.hostname, t.port, t.identityFiles], ['root', '192.168.7.2', 2200, ['/k']]);
    assert.equal(resolveTarget('10.0.0.1', { sshConfigFile: config }).user, 'fallback');
  });

  it('refuses malformed targets', () => {
    assert.throws(() => resolveTarget('a b', { sshConfigFile: config }), SshError);
    assert.throws(() => resolveTarget('host:99999', { sshConfigFile: config }), /port/);
  });
});
