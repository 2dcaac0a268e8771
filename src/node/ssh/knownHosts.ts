import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** One usable known_hosts line: host patterns (plain or hashed) and a public key. */
interface Entry {
  readonly hosts: readonly string[];
  readonly hashed: { readonly salt: Buffer; readonly hash: Buffer } | undefined;
  readonly keyType: string;
  readonly key: Buffer;
  readonly revoked: boolean;
}

export type HostKeyVerdict =
  | { readonly kind: 'match' }
  | { readonly kind: 'unknown'; readonly fingerprint: string }
  | { readonly kind: 'changed'; readonly fingerprint: string; readonly known: readonly string[] };

/** OpenSSH's fingerprint: SHA256:<base64 without padding>. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The name known_hosts uses for a host: `host`, or `[host]:port` off port 22. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function parse(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [hostField, keyType, keyB64] = fields;
    if (!hostField || !keyType || !keyB64) continue;
    let hashed: Entry['hashed'];
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      if (salt && hash) hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    }
    entries.push({ hosts: hashed ? [] : hostField.split(','), hashed, keyType, key: Buffer.from(keyB64, 'base64'), revoked: marker === '@revoked' });
  }
  return entries;
}

/** OpenSSH host patterns: `*` and `?` wildcards, `!` negation. */
function patternMatches(pattern: string, token: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(token);
}

function entryMatches(e: Entry, token: string): boolean {
  if (e.hashed) return createHmac('sha1', e.hashed.salt).update(token).digest().equals(e.hashed.hash);
  if (e.hosts.some((h) => h.startsWith('!') && patternMatches(h.slice(1), token))) return false;
  return e.hosts.some((h) => !h.startsWith('!') && patternMatches(h, token));
}

/**
 * Checks a server's host key against known_hosts files (hashed entries included), as OpenSSH
 * does: a matching key is accepted, a different key for a known host is "changed" (refused,
 * always), no entry at all is "unknown".
 */
export function checkHostKey(files: readonly string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const token = hostToken(host, port);
  const entries = files.filter((f) => existsSync(f)).flatMap((f) => parse(readFileSync(f, 'utf8')));
  const mine = entries.filter((e) => entryMatches(e, token));
  if (mine.some((e) => e.revoked && e.key.equals(key))) return { kind: 'changed', fingerprint: fingerprint(key), known: ['(this key is revoked)'] };
  if (mine.some((e) => !e.revoked && e.key.equals(key))) return { kind: 'match' };
  const known = mine.filter((e) => !e.revoked).map((e) => `${e.keyType} ${fingerprint(e.key)}`);
  if (known.length) return { kind: 'changed', fingerprint: fingerprint(key), known };
  return { kind: 'unknown', fingerprint: fingerprint(key) };
}

/** Records a newly accepted host key (`--accept-new-host-key`), like StrictHostKeyChecking=accept-new. */
export function addHostKey(file: string, host: string, port: number, key: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const keyType = key.subarray(4, 4 + key.readUInt32BE(0)).toString('ascii');
  appendFileSync(file, `${hostToken(host, port)} ${keyType} ${key.toString('base64')}\n`, { mode: 0o600 });
}
