import { CalicoConcurrentModificationError, EtcdError } from './errors.js';
import { EtcdHttp, type EtcdConnection, type HttpAnswer, type RequestScope } from './http.js';

/** A key-value pair read through the v3 gateway. */
export interface V3Pair {
  readonly key: string;
  readonly value: string;
  /** Revision of the last write to the key, the compare-and-swap token. */
  readonly modRevision: string;
}

/** One write of a v3 transaction, guarded by the key's `mod_revision` (`"0"`: must not exist). */
export interface V3Write {
  readonly key: string;
  /** New value; absent deletes the key. */
  readonly value?: string;
  readonly expectModRevision: string;
}

interface RawKv {
  key: string;
  value?: string;
  mod_revision?: string;
}

/** Paths of the JSON gateway: `/v3` from etcd 3.4, `/v3beta` in 3.3, `/v3alpha` in 3.2. */
export type V3GatewayPrefix = '/v3' | '/v3beta' | '/v3alpha';

/**
 * A minimal etcd v3 client over the JSON gRPC gateway (`/v3/kv/range`,
 * `/v3/kv/txn`; keys and values base64). Every write is a transaction that
 * compares `mod_revision`, so a concurrent edit is detected, and a retried
 * transaction whose first attempt was applied is recognised by reading back.
 */
export class EtcdV3Client {
  private readonly http: EtcdHttp;
  private token?: string;

  constructor(
    private readonly conn: EtcdConnection,
    private readonly prefix: V3GatewayPrefix = '/v3',
  ) {
    this.http = new EtcdHttp(conn);
  }

  /** Every pair whose key starts with `prefix`. */
  public async rangePrefix(prefix: string, scope: RequestScope): Promise<V3Pair[]> {
    const res = await this.post('/kv/range', { key: b64(prefix), range_end: b64(prefixEnd(prefix)) }, 'read', scope);
    const kvs = (JSON.parse(res.body) as { kvs?: RawKv[] }).kvs ?? [];
    return kvs.map((kv) => ({ key: unb64(kv.key), value: unb64(kv.value ?? ''), modRevision: kv.mod_revision ?? '0' }));
  }

  /** The pair at `key`, or `undefined`. */
  public async get(key: string, scope: RequestScope): Promise<V3Pair | undefined> {
    const res = await this.post('/kv/range', { key: b64(key) }, 'read', scope);
    const kv = (JSON.parse(res.body) as { kvs?: RawKv[] }).kvs?.[0];
    return kv && { key, value: unb64(kv.value ?? ''), modRevision: kv.mod_revision ?? '0' };
  }

  /**
   * Applies the writes atomically if every key is still at its expected
   * revision; otherwise raises {@link CalicoConcurrentModificationError}.
   */
  public async txn(writes: readonly V3Write[], scope: RequestScope): Promise<void> {
    const body = {
      compare: writes.map((w) => ({ key: b64(w.key), target: 'MOD', result: 'EQUAL', mod_revision: w.expectModRevision })),
      success: writes.map((w) => (w.value === undefined ? { request_delete_range: { key: b64(w.key) } } : { request_put: { key: b64(w.key), value: b64(w.value) } })),
      failure: [],
    };
    const res = await this.post('/kv/txn', body, 'write', scope);
    if ((JSON.parse(res.body) as { succeeded?: boolean }).succeeded) return;
    if (res.uncertain) {
      const now = await Promise.all(writes.map((w) => this.get(w.key, scope)));
      if (writes.every((w, i) => now[i]?.value === w.value)) return;
    }
    throw new CalicoConcurrentModificationError(writes.map((w) => w.key).join(', '), 'its mod_revision is no longer the planned one');
  }

  private async post(path: string, body: object, kind: 'read' | 'write', scope: RequestScope): Promise<HttpAnswer & { uncertain: boolean }> {
    for (let again = true; ; again = false) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.conn.username) headers.authorization = this.token ?? (await this.authenticate(scope));
      const res = await this.http.send({ method: 'POST', path: `${this.prefix}${path}`, headers, body: JSON.stringify(body), kind }, scope, isRetryable);
      if (res.status === 200) return res;
      const err = parseError(res);
      // An expired token (gRPC Unauthenticated) is renewed once.
      if (err.code === 16 && this.conn.username && again) {
        this.token = undefined;
        continue;
      }
      throw new EtcdError(`etcd ${this.prefix}${path} failed with ${res.status}: ${err.message ?? res.body.slice(0, 300)}`, res.status, err.code);
    }
  }

  private async authenticate(scope: RequestScope): Promise<string> {
    const res = await this.http.send(
      { method: 'POST', path: `${this.prefix}/auth/authenticate`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: this.conn.username, password: this.conn.password ?? '' }), kind: 'read' },
      scope,
    );
    const token = res.status === 200 ? (JSON.parse(res.body) as { token?: string }).token : undefined;
    if (!token) throw new EtcdError(`etcd refused the credentials of user '${this.conn.username}' (${res.status}). Check ETCD_USERNAME/ETCD_PASSWORD.`, res.status);
    this.token = token;
    return token;
  }
}

function parseError(res: HttpAnswer): { code?: number; message?: string } {
  try {
    return JSON.parse(res.body) as { code?: number; message?: string };
  } catch {
    return {};
  }
}

/** gRPC Unavailable (14) or a body that is not the gateway's: worth retrying. */
function isRetryable(res: HttpAnswer): boolean {
  const code = parseError(res).code;
  return code === undefined || code === 14;
}

function b64(s: string | Buffer): string {
  return (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
}

function unb64(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

/** The smallest key greater than every key starting with `prefix`. */
function prefixEnd(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = bytes.subarray(0, i + 1);
      end[i]!++;
      return end;
    }
  }
  return Buffer.from([0]);
}
