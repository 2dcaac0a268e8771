import { strict as assert } from 'node:assert';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { addHostKey, checkHostKey, fingerprint } from '../../../src/node/ssh/knownHosts';

/** An ssh-ed25519 public key blob as sshd presents it. */
function ed25519Blob(): Buffer {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
}

describe('known_hosts checking', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edgecut-kh-'));
  const key = ed25519Blob();
  const other = ed25519Blob();
  const line = (host: string, k: Buffer): string => `${host} ssh-ed25519 ${k.toString('base64')}`;

  it('accepts a matching key, plain or in a [host]:port entry or a wildcard', () => {
    const file = path.join(dir, 'plain');
    writeFileSync(file, ['# comment', line('pi.local,10.0.0.5', key), line('[10.0.0.9]:2222', key), line('*.lab', key)].join('\n'));
    assert.equal(checkHostKey([file], 'pi.local', 22, key).kind, 'match');
    assert.equal(checkHostKey([file], '10.0.0.9', 2222, key).kind, 'match');
    assert.equal(checkHostKey([file], 'board.lab', 22, key).kind, 'match');
    assert.equal(checkHostKey([file], '10.0.0.9', 22, key).kind, 'unknown');
  });

  it('reads hashed entries (ssh-keygen -H)', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[10.1.1.1]:2200').digest();
    const file = path.join(dir, 'hashed');
    writeFileSync(file, `|1|${salt.toString('base64')}|${hash.toString('base64')} ssh-ed25519 ${key.toString('base64')}\n`);
    assert.equal(checkHostKey([file], '10.1.1.1', 2200, key).kind, 'match');
    assert.equal(checkHostKey([file], '10.1.1.1', 2201, key).kind, 'unknown');
    const changed = checkHostKey([file], '10.1.1.1', 2200, other);
    assert.equal(changed.kind, 'changed');
  });

  it('reports a changed key with both fingerprints, and revoked keys as changed', () => {
    const file = path.join(dir, 'changed');
    writeFileSync(file, `${line('pi', key)}\n@revoked ${line('pi', other)}\n`);
    const v = checkHostKey([file], 'pi', 22, ed25519Blob());
    assert.equal(v.kind, 'changed');
    if (v.kind === 'changed') assert.ok(v.known.some((k) => k.includes(fingerprint(key))));
    assert.equal(checkHostKey([file], 'pi', 22, other).kind, 'changed');
  });

  it('records a newly accepted key so the next check matches', () => {
    const file = path.join(dir, 'sub', 'known_hosts');
    assert.equal(checkHostKey([file], 'new', 2022, key).kind, 'unknown');
    addHostKey(file, 'new', 2022, key);
    assert.match(readFileSync(file, 'utf8'), /^\[new\]:2022 ssh-ed25519 /);
    assert.equal(checkHostKey([file], 'new', 2022, key).kind, 'match');
    assert.match(fingerprint(key), /^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
