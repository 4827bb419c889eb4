/**
 * OpenSSH `known_hosts` files: plain and hashed (`|1|salt|hash`) host
 * patterns, `[host]:port` for non-standard ports, `*`/`?` wildcards, `!`
 * negation and the `@revoked` marker (`@cert-authority` lines are skipped:
 * host certificates are not supported).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  /** `revoked` for `@revoked` lines. */
  readonly marker?: 'revoked';
  /** The host field as written: comma-separated patterns, or one `|1|…` hash. */
  readonly hosts: string;
  /** Key type, e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** The public key blob (SSH wire format). */
  readonly key: Buffer;
  /** Where the line comes from, `file:line`. */
  readonly origin: string;
}

/** Outcome of checking a host key. */
export type HostKeyVerdict =
  | { readonly ok: true; readonly origin: string }
  | { readonly ok: false; readonly reason: 'unknown' | 'changed' | 'revoked'; readonly origin?: string };

/** Name a host is looked up under: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

/** OpenSSH-style fingerprint of a key blob: `SHA256:<base64, no padding>`. */
export function keyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Key type written at the start of a key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return len > 0 && 4 + len <= key.length ? key.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

const ALGORITHMS_BY_KEY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/** The host-key algorithms to offer for a host whose known keys have these types (in that order). */
export function hostKeyAlgorithmsFor(keyTypes: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of keyTypes) for (const a of ALGORITHMS_BY_KEY_TYPE[t] ?? []) if (!out.includes(a)) out.push(a);
  return out;
}

/** Glob match with OpenSSH's `*` and `?`, case-insensitive. */
function globMatch(text: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(text);
}

/** OpenSSH `match_hostname`: a negated pattern that matches wins and excludes the line. */
function patternsMatch(name: string, patterns: string): boolean {
  let positive = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '') continue;
    if (globMatch(name, pattern)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

function hashedMatch(name: string, field: string): boolean {
  const parts = field.split('|');
  // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const expected = parts[3] ?? '';
  return createHmac('sha1', salt).update(name).digest('base64') === expected;
}

/** The parsed content of one or more known_hosts files. */
export class KnownHosts {
  /** Parses known_hosts text; malformed lines are skipped, as OpenSSH does. */
  public static parse(text: string, source = 'known_hosts'): KnownHosts {
    const entries: KnownHostEntry[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const fields = trimmed.split(/\s+/);
      let marker: 'revoked' | undefined;
      if (fields[0]?.startsWith('@')) {
        const m = fields.shift();
        if (m !== '@revoked') return; // @cert-authority: certificates are not supported
        marker = 'revoked';
      }
      const [hosts, keyType, keyBase64] = fields;
      if (!hosts || !keyType || !keyBase64) return;
      const key = Buffer.from(keyBase64, 'base64');
      if (key.length === 0 || keyTypeOf(key) !== keyType) return;
      entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key, origin: `${source}:${i + 1}` });
    });
    return new KnownHosts(entries);
  }

  /** Reads and merges files; a file that does not exist is skipped. */
  public static load(files: readonly string[]): KnownHosts {
    const entries: KnownHostEntry[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      entries.push(...KnownHosts.parse(text, file).entries);
    }
    return new KnownHosts(entries);
  }

  private constructor(public readonly entries: readonly KnownHostEntry[]) {}

  /** Entries (revoked included) whose host field matches `host` on `port`. */
  public lookup(host: string, port: number): KnownHostEntry[] {
    const name = knownHostsName(host, port);
    return this.entries.filter((e) => (e.hosts.startsWith('|') ? hashedMatch(name, e.hosts) : patternsMatch(name, e.hosts)));
  }

  /** Key types known for the host, in file order, revoked keys excluded. */
  public keyTypes(host: string, port: number): string[] {
    return [...new Set(this.lookup(host, port).filter((e) => !e.marker).map((e) => e.keyType))];
  }

  /** Checks the key a host presented. */
  public verify(host: string, port: number, key: Buffer): HostKeyVerdict {
    const found = this.lookup(host, port);
    const revoked = found.find((e) => e.marker === 'revoked' && e.key.equals(key));
    if (revoked) return { ok: false, reason: 'revoked', origin: revoked.origin };
    const known = found.filter((e) => !e.marker);
    const match = known.find((e) => e.key.equals(key));
    if (match) return { ok: true, origin: match.origin };
    if (known.length > 0) return { ok: false, reason: 'changed', origin: known[0]?.origin };
    return { ok: false, reason: 'unknown' };
  }
}
