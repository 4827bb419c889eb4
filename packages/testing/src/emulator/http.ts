/** HTTP plumbing: route request/response records, errors, JSON body parsing. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, JsonValue } from './types.js';

/** Content type of Marathon responses. */
export const JSON_TYPE = 'application/json';

/** What a route handler returns; the server writes it. */
export interface RouteResponse {
  /** HTTP status. */
  status: number;
  /** JSON body, raw string body, or none. */
  body?: JsonValue | string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Content type; default `application/json` for JSON bodies, `text/plain` for strings. */
  contentType?: string;
}

/** A parsed request as seen by route handlers. */
export interface RouteRequest {
  /** Upper-case method. */
  method: string;
  /** Path relative to the service (prefix removed), not percent-decoded. */
  path: string;
  /** Query parameters. */
  query: URLSearchParams;
  /** Raw body text. */
  body: string;
  /** Request headers. */
  headers: IncomingMessage['headers'];
  /** `http://host:port` + the prefix the request came through (e.g. `/service/marathon`). */
  baseUrl: string;
}

/** An error that carries a complete HTTP answer. */
export class HttpError extends Error {
  /** The answer to send. */
  readonly response: RouteResponse;

  constructor(response: RouteResponse, message?: string) {
    super(message ?? `HTTP ${response.status}`);
    this.response = response;
  }
}

/** Marathon-style error `{message, ...extra}`. */
export function marathonError(status: number, message: string, extra: JsonObject = {}): HttpError {
  return new HttpError({ status, body: { message, ...extra } }, message);
}

/** Parse a JSON body the way Marathon reports syntax errors (400 `Invalid JSON`, details = parser text). */
export function parseJsonBody(text: string): JsonValue {
  if (text.trim() === '') {
    throw marathonError(400, 'Invalid JSON', { details: 'No content to map due to end-of-input' });
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw marathonError(400, 'Invalid JSON', { details: (err as Error).message });
  }
}

/** Boolean query parameter with Java `Boolean.valueOf` semantics and a default for absence. */
export function queryBool(query: URLSearchParams, name: string, dflt: boolean): boolean {
  const v = query.get(name);
  if (v === null) return dflt;
  return v.toLowerCase() === 'true';
}

/** Read a request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Write a {@link RouteResponse}. */
export function writeResponse(res: ServerResponse, r: RouteResponse): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload: string | undefined;
  if (r.body !== undefined) {
    if (typeof r.body === 'string' && r.contentType !== undefined && !r.contentType.includes('json')) {
      payload = r.body;
    } else if (typeof r.body === 'string' && r.contentType === undefined) {
      payload = r.body;
      headers['Content-Type'] = 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(r.body);
    }
    headers['Content-Type'] ??= r.contentType ?? JSON_TYPE;
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  } else {
    headers['Content-Length'] = '0';
  }
  res.writeHead(r.status, headers);
  res.end(payload);
}

/** Standard Marathon deployment answer `{version, deploymentId}` with the `Marathon-Deployment-Id` header. */
export function deploymentResult(
  plan: { id: string; version: string },
  status = 200,
  headers: Record<string, string> = {},
): RouteResponse {
  return {
    status,
    body: { version: plan.version, deploymentId: plan.id },
    headers: { ...headers, 'Marathon-Deployment-Id': plan.id },
  };
}
