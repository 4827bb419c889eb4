/**
 * One HTTP(S) request over `node:http` / `node:https`, with a whole-request
 * timeout, abort support and TLS options (verification off, extra CA) that
 * the global `fetch` cannot take without undici.
 */
import { request as httpRequestRaw } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

/** TLS settings of a request. */
export interface TlsOptions {
  /** Verify the server certificate (default true). */
  readonly verify: boolean;
  /** Extra trusted CA certificates (PEM). */
  readonly ca?: string;
}

/** One request. */
export interface RawRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Whole-request timeout in ms. */
  readonly timeoutMs: number;
  readonly tls?: TlsOptions;
  readonly signal?: AbortSignal;
}

/** A response with its whole body read as text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** How a request failed below HTTP. */
export type TransportFailure = 'timeout' | 'reset' | 'refused' | 'aborted' | 'tls' | 'other';

/** A request that got no HTTP response. */
export class TransportError extends Error {
  /** What went wrong. */
  readonly failure: TransportFailure;

  constructor(failure: TransportFailure, message: string) {
    super(message);
    this.name = 'TransportError';
    this.failure = failure;
  }
}

function classify(err: NodeJS.ErrnoException): TransportFailure {
  const code = err.code ?? '';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(err.message)) return 'reset';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'refused';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate/i.test(err.message)) return 'tls';
  return 'other';
}

/** Performs one request; resolves with any HTTP status, rejects with {@link TransportError}. */
export function sendRequest(req: RawRequest): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    if (req.signal?.aborted) return reject(new TransportError('aborted', 'request aborted'));
    const https = req.url.protocol === 'https:';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const options = {
      method: req.method,
      headers,
      agent: false as const,
      ...(https ? { rejectUnauthorized: req.tls?.verify ?? true, ...(req.tls?.ca ? { ca: req.tls.ca } : {}) } : {}),
    };
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const client = (https ? httpsRequestRaw : httpRequestRaw)(req.url, options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(new TransportError(classify(e), e.message))));
      res.on('aborted', () => finish(() => reject(new TransportError('reset', 'connection closed before the response was complete'))));
    });
    const timer = setTimeout(() => {
      finish(() => reject(new TransportError('timeout', `no response within ${req.timeoutMs} ms`)));
      client.destroy();
    }, req.timeoutMs);
    const onAbort = (): void => {
      finish(() => reject(new TransportError('aborted', 'request aborted')));
      client.destroy();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(new TransportError(classify(e), e.message))));
    if (req.body !== undefined) client.write(req.body);
    client.end();
  });
}
