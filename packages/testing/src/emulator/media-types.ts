/** Media type parsing and Accept negotiation for the Cosmos RPC endpoints. */

/** A parsed media type. */
export interface MediaType {
  /** e.g. `application`. */
  type: string;
  /** e.g. `vnd.dcos.package.install-request+json`. */
  subtype: string;
  /** Parameters with lower-case names (`charset`, `version`, `q`, ...). */
  params: Record<string, string>;
  /** The text as received (trimmed). */
  raw: string;
}

/** Cosmos media type text, e.g. `application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1`. */
export function cosmosMediaType(name: string, version: string): string {
  return `application/vnd.dcos.package.${name}+json;charset=utf-8;version=${version}`;
}

/** Media type of Cosmos error bodies. */
export const COSMOS_ERROR_TYPE = cosmosMediaType('error', 'v1');

/** Parse one media type; undefined for malformed text. */
export function parseMediaType(text: string): MediaType | undefined {
  const [essence, ...rest] = text.split(';');
  const m = /^\s*([^\s/]+)\/([^\s/]+)\s*$/.exec(essence ?? '');
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params, raw: text.trim() };
}

/** Parse an Accept header (comma-separated, with `q`). */
export function parseAccept(header: string): MediaType[] {
  return header
    .split(',')
    .map((s) => parseMediaType(s))
    .filter((m): m is MediaType => m !== undefined);
}

/**
 * True when `actual` satisfies `expected`: same type/subtype, same `version` when the expected
 * one has a version, and same charset when `actual` names one.
 */
export function compatible(expected: MediaType, actual: MediaType): boolean {
  if (expected.type !== actual.type || expected.subtype !== actual.subtype) return false;
  if (expected.params.version !== undefined && expected.params.version !== actual.params.version) return false;
  const charset = actual.params.charset;
  if (charset !== undefined && expected.params.charset !== undefined && charset.toLowerCase() !== expected.params.charset.toLowerCase()) {
    return false;
  }
  return true;
}

/** Pick the produced type best matching an Accept list (highest q first, then server order). */
export function negotiate(accept: MediaType[], produces: string[]): string | undefined {
  const ranked = accept
    .map((m, i) => ({ m, i, q: m.params.q === undefined ? 1 : Number(m.params.q) }))
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { m } of ranked) {
    const hit = produces.find((p) => compatible(parseMediaType(p)!, m));
    if (hit) return hit;
  }
  return undefined;
}
