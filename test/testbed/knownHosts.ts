// A small known_hosts reader for the testbed test: plain and hashed (`|1|salt|hmac`) host fields,
// `[addr]:port` for ports other than 22, comma lists, `*`/`?` wildcards, `!` negation and
// @revoked, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" describes them. @cert-authority lines are
// skipped: the testbed's hosts have plain keys.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KnownHostLine {
  marker?: '@revoked' | '@cert-authority';
  hostField: string;
  keyType: string;
  /** The key blob, as the server sends it in the key exchange. */
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownHostLine[] {
  const lines: KnownHostLine[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) continue;
    const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? fields.shift() : undefined;
    const [hostField, keyType, keyBase64] = fields;
    if (!hostField || !keyType || !keyBase64) continue;
    lines.push({ marker: marker as KnownHostLine['marker'], hostField, keyType, key: Buffer.from(keyBase64, 'base64') });
  }
  return lines;
}

function wildcard(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** Whether a host field names `name` (`addr`, or `[addr]:port` when the port isn't 22). */
export function hostFieldMatches(hostField: string, name: string): boolean {
  if (hostField.startsWith('|1|')) {
    const [, , salt, hash] = hostField.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    const want = Buffer.from(hash, 'base64');
    return want.length === mac.length && timingSafeEqual(mac, want);
  }
  let matched = false;
  for (const pattern of hostField.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcard(pattern.slice(1), name)) return false;
    } else if (wildcard(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Accepts a key only if a line for host:port lists it and no @revoked line does. */
export function keyIsKnown(lines: KnownHostLine[], host: string, port: number, key: Buffer): boolean {
  if (lines.some((l) => l.marker === '@revoked' && l.key.equals(key))) return false;
  const name = knownHostsName(host, port);
  return lines.some((l) => l.marker === undefined && l.key.equals(key) && hostFieldMatches(l.hostField, name));
}

/** An ssh2 `hostVerifier` (raw key blob in, verdict out) backed by a known_hosts file. */
export function hostVerifierFor(file: string, host: string, port: number): (key: Buffer) => boolean {
  const lines = parseKnownHosts(readFileSync(file, 'utf8'));
  return (key) => keyIsKnown(lines, host, port, key);
}
