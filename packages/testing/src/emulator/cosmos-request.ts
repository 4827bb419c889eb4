/**
 * Cosmos request checking (COS `finch/RequestValidators.scala`, `circe/Encoders.scala`, test
 * `RequestErrorsSpec`): Accept, Content-Type and body are checked together; every failure is a
 * 400 with the error media type, several failures are wrapped in `multiple_errors`.
 */
import { HttpError } from './http.js';
import type { RouteRequest } from './http.js';
import { isJsonObject } from './json.js';
import { COSMOS_ERROR_TYPE, compatible, negotiate, parseAccept, parseMediaType } from './media-types.js';
import type { JsonObject } from './types.js';

/** A Cosmos error body `{type, message, data?}` with its status. */
export class CosmosError extends HttpError {
  constructor(type: string, message: string, data?: JsonObject, status = 400) {
    super({ status, body: data ? { type, message, data } : { type, message }, contentType: COSMOS_ERROR_TYPE }, message);
  }
}

/** Media types of one RPC operation. */
export interface OperationTypes {
  /** Accepted request Content-Type. */
  request: string;
  /** Response types, preferred first. */
  responses: string[];
  /** Body fields that must be present. */
  required: string[];
}

/** A request that passed the checks. */
export interface CheckedCosmosRequest {
  /** Parsed JSON body. */
  body: JsonObject;
  /** Negotiated response media type. */
  responseType: string;
}

function headerValue(req: RouteRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Check headers and body of a Cosmos RPC request. */
export function checkCosmosRequest(req: RouteRequest, types: OperationTypes): CheckedCosmosRequest {
  const errors: JsonObject[] = [];
  let responseType: string | undefined;
  const accept = headerValue(req, 'accept');
  if (accept === undefined) {
    errors.push({ type: 'not_present', message: "Item header 'Accept' not present but required" });
  } else {
    const parsed = parseAccept(accept);
    responseType = negotiate(parsed, types.responses);
    if (!responseType) {
      const specified = parsed.map((m) => m.raw).join(', ');
      errors.push({
        type: 'not_valid',
        message: `Item header 'Accept' deemed invalid by rule: Media type was [${specified}] but should be one of [${types.responses.join(', ')}]`,
      });
    }
  }
  const contentType = headerValue(req, 'content-type');
  if (contentType === undefined) {
    errors.push({ type: 'not_present', message: "Item header 'Content-Type' not present but required" });
  } else {
    const actual = parseMediaType(contentType);
    if (!actual || !compatible(parseMediaType(types.request)!, actual)) {
      errors.push({ type: 'not_valid', message: `Item header 'Content-Type' deemed invalid by rule: should match on of ${types.request}` });
    }
  }
  let body: JsonObject | undefined;
  try {
    const parsed: unknown = JSON.parse(req.body);
    if (!isJsonObject(parsed)) throw new Error('Attempt to decode value on failed cursor: not a JSON object');
    const missing = types.required.find((f) => typeof parsed[f] !== 'string');
    if (missing) throw new Error(`Attempt to decode value on failed cursor: DownField(${missing})`);
    body = parsed;
  } catch (err) {
    const reason = req.body.trim() === '' ? 'exhausted input' : (err as Error).message;
    errors.push({ type: 'not_parsed', message: `Item 'body' unable to be parsed: ${reason}` });
  }
  if (errors.length === 1) {
    const e = errors[0]!;
    throw new HttpError({ status: 400, body: e, contentType: COSMOS_ERROR_TYPE });
  }
  if (errors.length > 1) {
    throw new CosmosError('multiple_errors', 'Multiple errors while processing request', { errors });
  }
  return { body: body!, responseType: responseType! };
}
