/**
 * The connection to a DC/OS cluster through its Admin Router: base URL,
 * token and TLS settings (from flags, the environment or the dcos CLI's
 * configuration), and a small JSON request helper that adds
 * `Authorization: token=…`, counts reads and writes, retries idempotent
 * requests on 5xx, resets and timeouts with backoff, and keeps the token
 * out of every message.
 */
import { readFileSync } from 'node:fs';
import type { RequestCounters } from '@dcos-cdk/core';
import { findDcosCliConfig } from './cli-config.js';
import type { DcosCliConfig } from './cli-config.js';
import { sendRequest, TransportError } from './http-request.js';
import type { RawResponse, TlsOptions } from './http-request.js';
import { sleep } from '@dcos-cdk/core';

/** Settings from the command line. */
export interface ConnectionFlags {
  /** `--dcos-url`. */
  readonly dcosUrl?: string;
  /** `--token-env`: the environment variable holding the token (default `DCOS_ACS_TOKEN`). */
  readonly tokenEnv?: string;
  /** `--insecure`: do not verify TLS certificates. */
  readonly insecure?: boolean;
  /** `--ca-file`: a PEM bundle to trust. */
  readonly caFile?: string;
}

/** Knobs of the request helper. */
export interface ConnectionTuning {
  /** Whole-request timeout in ms (default `core.timeout`, `DCOS_TIMEOUT`, else 60 s). */
  readonly timeoutMs?: number;
  /** Retries of idempotent requests on transient failures (default 4). */
  readonly retries?: number;
  /** First backoff delay in ms, doubled per retry (default 250). */
  readonly retryBaseMs?: number;
}

/** Everything needed to talk to a cluster. */
export interface DcosConnectionOptions extends ConnectionTuning {
  /** Cluster URL, e.g. `https://dcos.example.com`. */
  readonly url: string;
  /** The DC/OS authentication token; omitted for clusters without auth. */
  readonly token?: string;
  /** TLS verification and extra CA. */
  readonly tls?: TlsOptions;
  /** Marathon base URL (default `<url>/service/marathon`). */
  readonly marathonUrl?: string;
  /** Cosmos base URL (default `<url>`; requests go to `<base>/package/<op>`). */
  readonly cosmosUrl?: string;
  /** Where the settings came from, for messages. */
  readonly source?: string;
}

/** One request. */
export interface DcosRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL (use {@link DcosConnection.marathon} / {@link DcosConnection.cosmos}). */
  readonly url: string;
  /** JSON body (serialised) or text. */
  readonly body?: unknown;
  /** Extra headers (Content-Type defaults to application/json when there is a body). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Counted as a read or a write (default: GET is a read, everything else a write). */
  readonly counts?: 'read' | 'write';
  /** Safe to send twice (default: every method but POST). Only these are retried. */
  readonly idempotent?: boolean;
  /** Aborts the request and the retry wait. */
  readonly signal?: AbortSignal;
}

/** A response with its body. */
export interface DcosResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  readonly body: unknown;
}

/** An error of the cluster API, with the token removed from every part. */
export class DcosApiError extends Error {
  /** HTTP status (0 when there was no response). */
  readonly status: number;
  /** True when retrying later may succeed (5xx, reset, timeout). */
  readonly transient: boolean;
  /** The parsed response body, if any. */
  readonly body: unknown;

  constructor(message: string, status: number, transient: boolean, body?: unknown) {
    super(message);
    this.name = 'DcosApiError';
    this.status = status;
    this.transient = transient;
    this.body = body;
  }
}

/** True for errors a retry may cure. */
export function isTransient(e: unknown): boolean {
  return e instanceof DcosApiError && e.transient;
}

/** Raised when the connection settings are incomplete or inconsistent. */
export class DcosConnectionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DcosConnectionConfigError';
  }
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short readable reason from an error body: Marathon `message`, Cosmos `type: message`, else the text. */
export function errorReason(res: { status: number; text: string; body: unknown }): string {
  const b = res.body;
  if (typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const o = b as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof o.type === 'string') parts.push(o.type);
    if (typeof o.message === 'string') parts.push(o.message);
    if (typeof o.description === 'string') parts.push(o.description);
    if (o.details !== undefined) parts.push(JSON.stringify(o.details));
    else if (typeof o.data === 'object' && o.data !== null && (o.data as Record<string, unknown>).details !== undefined) {
      parts.push(JSON.stringify((o.data as Record<string, unknown>).details));
    }
    if (parts.length > 0) return parts.join(': ');
  }
  const text = res.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text || `HTTP ${res.status}`;
}


/** A connection to one DC/OS cluster. The token is private and never printed. */
export class DcosConnection {
  /** Cluster URL without trailing slash. */
  readonly url: string;
  /** Marathon base URL. */
  readonly marathonUrl: string;
  /** Cosmos base URL. */
  readonly cosmosUrl: string;
  /** TLS settings. */
  readonly tls: TlsOptions;
  /** Whole-request timeout. */
  readonly timeoutMs: number;
  /** Retries of idempotent requests. */
  readonly retries: number;
  /** First backoff delay. */
  readonly retryBaseMs: number;
  /** Where the settings came from. */
  readonly source: string;
  readonly #token: string | undefined;

  constructor(options: DcosConnectionOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new DcosConnectionConfigError(`'${options.url}' is not a URL; expected e.g. https://dcos.example.com`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new DcosConnectionConfigError(`'${options.url}' must be an http:// or https:// URL`);
    }
    this.url = trimSlash(options.url);
    this.marathonUrl = trimSlash(options.marathonUrl ?? `${this.url}/service/marathon`);
    this.cosmosUrl = trimSlash(options.cosmosUrl ?? this.url);
    this.tls = options.tls ?? { verify: true };
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.source = options.source ?? 'options';
    this.#token = options.token === '' ? undefined : options.token;
  }

  /**
   * Resolves the settings: flags, then the environment (`DCOS_URL`, the
   * token variable, `DCOS_SSL_VERIFY`, `DCOS_TIMEOUT`), then the dcos CLI's
   * configuration. A token from the CLI configuration is only used for the
   * cluster that configuration points at.
   */
  static resolve(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>> = process.env, tuning: ConnectionTuning = {}, home?: string): DcosConnection {
    const tokenEnv = flags.tokenEnv ?? 'DCOS_ACS_TOKEN';
    if (flags.tokenEnv && env[flags.tokenEnv] === undefined) {
      throw new DcosConnectionConfigError(`--token-env ${flags.tokenEnv}: the environment variable ${flags.tokenEnv} is not set.`);
    }
    const needConfig = !(flags.dcosUrl ?? env.DCOS_URL) || env[tokenEnv] === undefined;
    const lookup = needConfig ? findDcosCliConfig(env, home) : undefined;
    const cfg: DcosCliConfig | undefined = lookup?.config;
    const url = flags.dcosUrl ?? env.DCOS_URL ?? cfg?.dcosUrl;
    if (!url) {
      throw new DcosConnectionConfigError(
        `No DC/OS cluster to talk to: pass --dcos-url, set DCOS_URL, or set up the dcos CLI ('dcos cluster setup'). ` +
          `dcos CLI configuration: ${lookup?.problem ?? 'none found'}.`,
      );
    }
    const sameCluster = cfg?.dcosUrl !== undefined && trimSlash(cfg.dcosUrl) === trimSlash(url);
    const fromConfig = sameCluster ? cfg : undefined;
    const token = env[tokenEnv] ?? fromConfig?.acsToken;
    let tls: TlsOptions = { verify: true };
    const sslSetting = env.DCOS_SSL_VERIFY ?? fromConfig?.sslVerify;
    if (flags.insecure) tls = { verify: false };
    else if (flags.caFile) tls = { verify: true, ca: readCa(flags.caFile, '--ca-file') };
    else if (sslSetting !== undefined) {
      const s = sslSetting.trim().toLowerCase();
      if (s === 'false') tls = { verify: false };
      else if (s !== 'true' && s !== '') tls = { verify: true, ca: readCa(sslSetting, 'ssl_verify') };
    }
    const timeoutS = env.DCOS_TIMEOUT && /^\d+$/.test(env.DCOS_TIMEOUT) ? Number(env.DCOS_TIMEOUT) : fromConfig?.timeoutSeconds;
    const where = flags.dcosUrl ? '--dcos-url' : env.DCOS_URL ? 'DCOS_URL' : `dcos CLI configuration ${cfg?.path ?? ''}`.trim();
    const options: DcosConnectionOptions = {
      url,
      ...(token !== undefined ? { token } : {}),
      tls,
      ...(fromConfig?.marathonUrl ? { marathonUrl: fromConfig.marathonUrl } : {}),
      ...(fromConfig?.cosmosUrl ? { cosmosUrl: fromConfig.cosmosUrl } : {}),
      ...(tuning.timeoutMs !== undefined ? { timeoutMs: tuning.timeoutMs } : timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
      ...(tuning.retries !== undefined ? { retries: tuning.retries } : {}),
      ...(tuning.retryBaseMs !== undefined ? { retryBaseMs: tuning.retryBaseMs } : {}),
      source: `${where}${token === undefined ? ', no token' : env[tokenEnv] !== undefined ? `, token from $${tokenEnv}` : ', token from the dcos CLI configuration'}`,
    };
    return new DcosConnection(options);
  }

  /** True when requests carry a token. */
  get authenticated(): boolean {
    return this.#token !== undefined;
  }

  /** Marathon URL for a path such as `/v2/apps`. */
  marathon(path: string): string {
    return this.marathonUrl + path;
  }

  /** Cosmos URL for an operation such as `install`. */
  cosmos(op: string): string {
    return `${this.cosmosUrl}/package/${op}`;
  }

  /** Replaces every occurrence of the token in `text`. */
  redact(text: string): string {
    const t = this.#token;
    if (!t) return text;
    return text.split(t).join('[token]');
  }

  /** A short description for logs (never includes the token). */
  toString(): string {
    return `DcosConnection(${this.url}, ${this.authenticated ? 'with token' : 'no token'}, TLS verify ${this.tls.verify})`;
  }

  /** JSON form for logs (never includes the token). */
  toJSON(): Record<string, unknown> {
    return { url: this.url, marathonUrl: this.marathonUrl, cosmosUrl: this.cosmosUrl, authenticated: this.authenticated, tlsVerify: this.tls.verify };
  }

  /**
   * Sends a request and returns any response below 500. Throws
   * {@link DcosApiError}: for 401/403 at once; for 5xx, resets and timeouts
   * after the retries of idempotent requests (at once for POST), marked
   * transient. Every attempt is counted in `counters`.
   */
  async request(req: DcosRequest, counters?: RequestCounters): Promise<DcosResponse> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const counts = req.counts ?? (req.method === 'GET' ? 'read' : 'write');
    const headers: Record<string, string> = { Accept: 'application/json', ...(req.headers ?? {}) };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    if (this.#token) headers.Authorization = `token=${this.#token}`;
    const label = `${req.method} ${req.url}`;
    const attempts = idempotent ? this.retries + 1 : 1;
    let last: DcosApiError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(Math.min(this.retryBaseMs * 2 ** (attempt - 1), 5_000), req.signal, () => new DcosApiError('Interrupted.', 0, false));
      if (counters) counters[counts === 'read' ? 'reads' : 'writes']++;
      let raw: RawResponse;
      try {
        raw = await sendRequest({
          method: req.method,
          url: new URL(req.url),
          headers,
          ...(body !== undefined ? { body } : {}),
          timeoutMs: this.timeoutMs,
          tls: this.tls,
          ...(req.signal ? { signal: req.signal } : {}),
        });
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        if (e.failure === 'aborted') throw new DcosApiError('Interrupted.', 0, false);
        const hint = e.failure === 'tls' ? ' (TLS: pass --ca-file, or --insecure for a test cluster)' : '';
        last = new DcosApiError(this.redact(`${label}: ${e.failure === 'timeout' ? 'timed out' : 'failed'}: ${e.message}${hint}`), 0, e.failure !== 'tls');
        if (!last.transient) throw last;
        continue;
      }
      const res: DcosResponse = { status: raw.status, headers: raw.headers, text: raw.text, body: parseJson(raw.text) };
      if (res.status === 401 || res.status === 403) {
        throw new DcosApiError(
          this.redact(
            `${label}: HTTP ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}: ` +
              (this.authenticated
                ? 'the cluster rejected the token; log in again (dcos auth login) or set a fresh token.'
                : 'the cluster needs a token; set DCOS_ACS_TOKEN (or --token-env) or log in with the dcos CLI.'),
          ),
          res.status,
          false,
        );
      }
      if (res.status >= 500) {
        last = new DcosApiError(this.redact(`${label}: HTTP ${res.status}: ${errorReason(res)}`), res.status, true, this.redactValue(res.body));
        continue;
      }
      return res;
    }
    throw last ?? new DcosApiError(`${label}: failed`, 0, true);
  }

  /** Builds an error for an unexpected status of `res`. */
  fail(req: Pick<DcosRequest, 'method' | 'url'>, res: DcosResponse, what?: string): DcosApiError {
    return new DcosApiError(this.redact(`${what ? `${what}: ` : ''}${req.method} ${req.url}: HTTP ${res.status}: ${errorReason(res)}`), res.status, false, this.redactValue(res.body));
  }

  /** A JSON value with the token removed from every string in it. */
  redactValue(value: unknown): unknown {
    if (value === undefined || !this.#token) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as unknown;
  }
}

function readCa(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DcosConnectionConfigError(`${what} ${path}: cannot read the CA bundle (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}
