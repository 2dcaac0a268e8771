import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Server, utils } from 'ssh2';
import { SshError } from '../../../src/node/ssh/sshError';
import { SshSession } from '../../../src/node/ssh/sshSession';
import type { SshTarget } from '../../../src/node/ssh/sshTarget';

const PASSWORD = 'correct horse battery staple';

/**
 * An ed25519 host key for the loopback server. ssh2 1.17's generateKeyPairSync writes about one
 * key in 160 that its own parser rejects ("Malformed OpenSSH private key": 19 of 3000 here), which
 * failed a clean CI run; a key is drawn again until ssh2 reads it.
 */
function parsableHostKey(): string {
  for (let tries = 0; tries < 50; tries++) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
  throw new Error('ssh2 could not generate a host key it can parse in 50 tries');
}

/**
 * Password authentication against a real SSH server on loopback (ssh2's server side: the real
 * protocol, key exchange and user-auth included): it accepts only the password, as a Pi with
 * PasswordAuthentication and no authorized_keys does.
 */
describe('SSH password authentication (loopback SSH server)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-pw-'));
  const knownHosts = path.join(dir, 'known_hosts');
  const offered: string[] = [];
  let server: Server | undefined;
  let port = 0;

  before(async () => {
    const hostKey = parsableHostKey();
    const listening = new Server({ hostKeys: [hostKey] }, (client) => {
      client.on('authentication', (ctx) => {
        offered.push(ctx.method);
        if (ctx.method === 'password' && ctx.username === 'pi' && ctx.password === PASSWORD) ctx.accept();
        else ctx.reject(['password']);
      });
      client.on('ready', () => undefined);
      client.on('error', () => undefined);
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    port = (listening.address() as AddressInfo).port;
  });

  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (): SshTarget => ({ spec: `pi@127.0.0.1:${port}`, host: '127.0.0.1', hostname: '127.0.0.1', port, user: 'pi', identityFiles: [path.join(dir, 'no-such-key')] });
  const withoutAgent = <T>(f: () => Promise<T>): Promise<T> => {
    const sock = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    return f().finally(() => (sock === undefined ? undefined : (process.env.SSH_AUTH_SOCK = sock)));
  };

  it('asks for the password once the keys are refused, connects with it, and never logs it', async () => {
    const questions: string[] = [];
    const logged: string[] = [];
    const session = await withoutAgent(() =>
      SshSession.open(target(), {
        knownHosts: [knownHosts],
        acceptNewHostKey: true,
        log: (l) => logged.push(l),
        prompt: async (q, secret) => {
          questions.push(`${q}|${secret}`);
          return PASSWORD;
        },
      }),
    );
    session.close();
    assert.deepEqual(questions, [`Password for pi@127.0.0.1|true`]);
    assert.ok(offered.includes('password'));
    assert.ok(!logged.some((l) => l.includes(PASSWORD)), logged.join('\n'));
  });

  it('refuses a wrong password with an error that says so, asking only once', async () => {
    let asked = 0;
    const err = await withoutAgent(() =>
      SshSession.open(target(), {
        knownHosts: [knownHosts],
        prompt: async () => {
          asked++;
          return 'wrong';
        },
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SshError && err.reason === 'auth-failed', String(err));
    assert.match(err.message, /refused the password/);
    assert.ok(!err.message.includes('wrong'));
    assert.equal(asked, 1);
  });

  it('without an answer (no terminal), fails with the refused-keys advice', async () => {
    const err = await withoutAgent(() => SshSession.open(target(), { knownHosts: [knownHosts], prompt: async () => undefined })).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SshError && err.reason === 'auth-failed', String(err));
    assert.match(err.message, /refused every key offered/);
  });

  it('uses a password given up front without asking', async () => {
    const session = await withoutAgent(() => SshSession.open(target(), { knownHosts: [knownHosts], password: PASSWORD, prompt: async () => assert.fail('asked') }));
    session.close();
  });
});
