// The testbed's known_hosts reader and port-list parser, without root. The hashed lines were made
// by OpenSSH 9.2's `ssh-keygen -H` from the plain ones.
import { strict as assert } from 'node:assert';
import { parsePorts } from './delayProxy';
import { hostFieldMatches, keyIsKnown, parseKnownHosts } from './knownHosts';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIGNlyVoH7R+71iSD3+JSws+nfYnrXsyTA1I5WPDt8MhT';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH';
const HASHED = [
  `|1|RzIhIvbejl98yBdCK8bDqACSjVg=|+qgRAIwtnmLnP8Yfm7IVtQ7Vq1o= ssh-ed25519 ${KEY}`, // [10.200.0.2]:2222
  `|1|3SagL/Qxu41QPFjw/M98UAaVvpE=|JzUz23mL4mU5BJRpwSm5AeqKXdA= ssh-ed25519 ${KEY}`, // 10.200.0.3
].join('\n');
const blob = (b64: string): Buffer => Buffer.from(b64, 'base64');

describe('testbed known_hosts reader', () => {
  it('matches hashed entries by exact host field, port included', () => {
    const lines = parseKnownHosts(HASHED);
    assert.ok(keyIsKnown(lines, '10.200.0.2', 2222, blob(KEY)));
    assert.ok(keyIsKnown(lines, '10.200.0.3', 22, blob(KEY)));
    assert.ok(!keyIsKnown(lines, '10.200.0.2', 22, blob(KEY)), 'port 22 is the bare name, not [addr]:2222');
    assert.ok(!keyIsKnown(lines, '10.200.0.3', 2222, blob(KEY)));
    assert.ok(!keyIsKnown(lines, '10.200.0.2', 2222, blob(OTHER)), 'another key for a known host');
  });

  it('reads plain lists, wildcards, negation, comments and @revoked', () => {
    const lines = parseKnownHosts([
      '# a comment',
      `10.200.0.*,!10.200.0.9,[10.200.1.1]:2222 ssh-ed25519 ${KEY} a comment`,
      `@revoked * ssh-ed25519 ${OTHER}`,
      `10.200.0.9 ssh-ed25519 ${OTHER}`,
    ].join('\n'));
    assert.ok(keyIsKnown(lines, '10.200.0.4', 22, blob(KEY)));
    assert.ok(keyIsKnown(lines, '10.200.1.1', 2222, blob(KEY)));
    assert.ok(!keyIsKnown(lines, '10.200.0.9', 22, blob(KEY)), 'negated');
    assert.ok(!keyIsKnown(lines, '10.200.0.9', 22, blob(OTHER)), 'revoked wins over a listing');
    assert.ok(!hostFieldMatches('10.200.0.1', '110.200.0.1'), 'patterns are anchored');
  });
});

describe('testbed delay proxy port lists', () => {
  it('expands ranges and rejects nonsense', () => {
    assert.deepEqual(parsePorts('22,8000-8002'), [22, 8000, 8001, 8002]);
    assert.throws(() => parsePorts('9000-8000'), /bad port range/);
    assert.throws(() => parsePorts('0'), /bad port range/);
  });
});
