import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestCounters } from '@dcos-cdk/core';
import { EtcdError } from './errors.js';
import { sleep } from '@dcos-cdk/core';

/** TLS material for `https://` endpoints (PEM text). */
export interface EtcdTls {
  /** CA bundle that signed the etcd server certificate. @default the system CAs */
  readonly ca?: string;
  /** Client certificate. @default none */
  readonly cert?: string;
  /** Client key. @default none */
  readonly key?: string;
}

/** Backoff of retried requests. */
export interface RetryPolicy {
  /** Attempts per request, the first included. @default 6 */
  readonly attempts?: number;
  /** Delay before the first retry; it doubles each time. @default 200 */
  readonly baseDelayMs?: number;
  /** Longest delay between two attempts. @default 3000 */
  readonly maxDelayMs?: number;
}

/** How to reach etcd. Credentials never enter the bundle: the CLI fills this from the environment. */
export interface EtcdConnection {
  /** Client URLs, e.g. `['http://127.0.0.1:2379']`; tried in order when one is unreachable. */
  readonly endpoints: readonly string[];
  /** TLS for `https://` endpoints. @default none */
  readonly tls?: EtcdTls;
  /** User name (v2: basic auth; v3: `/v3/auth/authenticate`). @default no auth */
  readonly username?: string;
  /** Password of {@link EtcdConnection.username}. @default none */
  readonly password?: string;
  /** Timeout of one request. @default 5000 */
  readonly requestTimeoutMs?: number;
  /** Retries on connection errors and unavailable servers. */
  readonly retry?: RetryPolicy;
}

/** One HTTP answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** A request to send; `kind` says which counter it increments. */
export interface HttpCall {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly kind: 'read' | 'write';
}

/** What every request needs: where to count it, how to abort, where to report retries. */
export interface RequestScope {
  readonly counters: RequestCounters;
  readonly signal?: AbortSignal;
  readonly progress?: (message: string) => void;
}

/** What {@link EtcdHttp.send} reports besides the answer. */
export interface SendResult extends HttpAnswer {
  /** True when an earlier attempt failed after the request may have reached the server. */
  readonly uncertain: boolean;
}

/**
 * HTTP transport to etcd: endpoint failover, per-request timeout, retries
 * with exponential backoff on connection errors and on 5xx answers that
 * mean "try again", and request counting.
 */
export class EtcdHttp {
  private preferred = 0;

  constructor(private readonly conn: EtcdConnection) {
    if (conn.endpoints.length === 0) throw new EtcdError('No etcd endpoint configured: set ETCD_ENDPOINTS (e.g. http://127.0.0.1:2379) or pass endpoints.');
  }

  /** Sends a request, retrying as described; throws {@link EtcdError} when every attempt failed. */
  public async send(call: HttpCall, scope: RequestScope, retryable?: (a: HttpAnswer) => boolean): Promise<SendResult> {
    const { counters, signal } = scope;
    const attempts = Math.max(1, this.conn.retry?.attempts ?? 6);
    const base = this.conn.retry?.baseDelayMs ?? 200;
    const max = this.conn.retry?.maxDelayMs ?? 3000;
    let uncertain = false;
    let lastError = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        const delay = Math.min(max, base * 2 ** (attempt - 1));
        scope.progress?.(`etcd: ${lastError}; retrying in ${delay} ms (attempt ${attempt + 1} of ${attempts})`);
        await sleep(delay, signal);
      }
      const endpoint = this.conn.endpoints[(this.preferred + attempt) % this.conn.endpoints.length]!;
      counters[call.kind === 'read' ? 'reads' : 'writes']++;
      try {
        const answer = await this.once(endpoint, call, signal);
        if (answer.status >= 500 && (retryable?.(answer) ?? true)) {
          uncertain = true;
          lastError = `${shown(endpoint)} answered ${answer.status}: ${answer.body.trim().slice(0, 300)}`;
          continue;
        }
        this.preferred = this.conn.endpoints.indexOf(endpoint);
        return { ...answer, uncertain };
      } catch (e) {
        if (signal?.aborted) throw e;
        const err = e as NodeJS.ErrnoException;
        // A refused connection never reached the server; anything else may have.
        if (err.code !== 'ECONNREFUSED') uncertain = true;
        lastError = `${shown(endpoint)}: ${err.code ?? err.message}`;
      }
    }
    throw new EtcdError(`etcd is unreachable after ${attempts} attempts (${call.method} ${call.path.split('?')[0]}): ${lastError}. Check the endpoints and that etcd runs; running the deploy again is safe.`);
  }

  private once(endpoint: string, call: HttpCall, signal?: AbortSignal): Promise<HttpAnswer> {
    const url = new URL(endpoint.replace(/\/+$/, '') + call.path);
    const headers: Record<string, string> = { ...call.headers };
    if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
    const tls = url.protocol === 'https:' ? { ca: this.conn.tls?.ca, cert: this.conn.tls?.cert, key: this.conn.tls?.key } : {};
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = send(url, { method: call.method, headers, timeout: this.conn.requestTimeoutMs ?? 5000, signal, agent: false, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(call.body);
    });
  }
}

/** An endpoint for messages: never with the user info a URL may carry. */
function shown(endpoint: string): string {
  return endpoint.replace(/\/\/[^@/]*@/, '//');
}

