import { CalicoConcurrentModificationError, EtcdError } from './errors.js';
import { EtcdHttp, type EtcdConnection, type HttpAnswer, type RequestScope } from './http.js';

/** A node of the etcd v2 key tree. */
export interface V2Node {
  readonly key: string;
  readonly value?: string;
  readonly dir?: boolean;
  readonly nodes?: readonly V2Node[];
  readonly modifiedIndex: number;
}

/** Condition of a v2 write: the key must not exist, or must still be at this index. */
export type V2Condition = { readonly prevExist: false } | { readonly prevIndex: number };

interface V2Error {
  errorCode?: number;
  message?: string;
  cause?: string;
}

/** etcd v2 error codes the client reacts to. */
const KEY_NOT_FOUND = 100;
const COMPARE_FAILED = 101;
const NODE_EXIST = 105;
const DIR_NOT_EMPTY = 108;

/**
 * A minimal etcd v2 keys-API client (`/v2/keys`, form-encoded `value=`),
 * with compare-and-swap writes that stay correct when a retried request
 * had in fact been applied.
 */
export class EtcdV2Client {
  private readonly http: EtcdHttp;
  private readonly auth: Record<string, string>;

  constructor(conn: EtcdConnection) {
    this.http = new EtcdHttp(conn);
    this.auth = conn.username ? { authorization: `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}` } : {};
  }

  /** The node at `key` with everything below it, or `undefined` when it does not exist. */
  public async getTree(key: string, scope: RequestScope): Promise<V2Node | undefined> {
    const res = await this.call('GET', key, '?recursive=true', undefined, 'read', scope);
    if (res.status === 404 && parseError(res).errorCode === KEY_NOT_FOUND) return undefined;
    if (res.status !== 200) throw failure('GET', key, res);
    return (JSON.parse(res.body) as { node: V2Node }).node;
  }

  /** Writes `value` if `cond` holds; a failed comparison raises {@link CalicoConcurrentModificationError}. */
  public async put(key: string, value: string, cond: V2Condition, scope: RequestScope): Promise<void> {
    const query = 'prevExist' in cond ? '?prevExist=false' : `?prevIndex=${cond.prevIndex}`;
    const res = await this.call('PUT', key, query, `value=${encodeURIComponent(value)}`, 'write', scope);
    if (res.status === 200 || res.status === 201) return;
    const err = parseError(res);
    if (err.errorCode === COMPARE_FAILED || err.errorCode === NODE_EXIST || (err.errorCode === KEY_NOT_FOUND && 'prevIndex' in cond)) {
      // Our own earlier attempt may have been applied before its answer was lost.
      if (res.uncertain && (await this.valueOf(key, scope)) === value) return;
      throw new CalicoConcurrentModificationError(key, err.message ?? `etcd error ${err.errorCode}`);
    }
    throw failure('PUT', key, res);
  }

  /** Deletes `key` if it is still at `prevIndex`; an already missing key is fine. */
  public async delete(key: string, prevIndex: number, scope: RequestScope): Promise<void> {
    const res = await this.call('DELETE', key, `?prevIndex=${prevIndex}`, undefined, 'write', scope);
    if (res.status === 200) return;
    const err = parseError(res);
    if (err.errorCode === KEY_NOT_FOUND) return;
    if (err.errorCode === COMPARE_FAILED) throw new CalicoConcurrentModificationError(key, err.message ?? 'compare failed');
    throw failure('DELETE', key, res);
  }

  /** Removes an empty directory; a missing one is fine, a non-empty one means someone wrote into it. */
  public async deleteEmptyDir(key: string, scope: RequestScope): Promise<void> {
    const res = await this.call('DELETE', key, '?dir=true', undefined, 'write', scope);
    if (res.status === 200) return;
    const err = parseError(res);
    if (err.errorCode === KEY_NOT_FOUND) return;
    if (err.errorCode === DIR_NOT_EMPTY) throw new CalicoConcurrentModificationError(key, 'the directory gained keys this stack did not write');
    throw failure('DELETE', key, res);
  }

  private async valueOf(key: string, scope: RequestScope): Promise<string | undefined> {
    const res = await this.call('GET', key, '', undefined, 'read', scope);
    if (res.status !== 200) return undefined;
    return (JSON.parse(res.body) as { node: V2Node }).node.value;
  }

  private call(method: 'GET' | 'PUT' | 'DELETE', key: string, query: string, body: string | undefined, kind: 'read' | 'write', scope: RequestScope) {
    const headers: Record<string, string> = { ...this.auth };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    return this.http.send({ method, path: `/v2/keys${encodeKey(key)}${query}`, headers, body, kind }, scope, isRetryable);
  }
}

/** Percent-encodes each segment of a key, so an escaped name (`a%2fb`) reaches etcd unchanged. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function parseError(res: HttpAnswer): V2Error {
  try {
    return JSON.parse(res.body) as V2Error;
  } catch {
    return {};
  }
}

/** 5xx answers worth retrying: raft/leader trouble (3xx codes) or a proxy error without an etcd body. */
function isRetryable(res: HttpAnswer): boolean {
  const code = parseError(res).errorCode;
  return code === undefined || (code >= 300 && code < 400);
}

function failure(method: string, key: string, res: HttpAnswer): EtcdError {
  const err = parseError(res);
  if (res.status === 401) return new EtcdError(`etcd refused ${method} ${key}: authentication required or wrong credentials (set ETCD_USERNAME/ETCD_PASSWORD).`, res.status, err.errorCode);
  return new EtcdError(`etcd ${method} ${key} failed with ${res.status}: ${err.message ?? res.body.slice(0, 300)}${err.cause ? ` (${err.cause})` : ''}`, res.status, err.errorCode);
}
