import type { JsonValue } from '@dcos-cdk/core';

/** A JSON object under construction; `undefined` members are dropped when serialized. */
export type JsonObject = { [key: string]: JsonValue | undefined };

/** Copies `o` without its `undefined` members, recursively (so key order stays as written). */
export function compact(o: JsonValue | undefined): JsonValue | undefined {
  if (o === undefined || o === null || typeof o !== 'object') return o;
  if (Array.isArray(o)) return (o as readonly JsonValue[]).map((v) => compact(v) ?? null);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o as JsonObject)) {
    const c = compact(v);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** `list` as a JSON array, or undefined when it is absent or empty. */
export function nonEmpty<T, J extends JsonValue>(list: readonly T[] | undefined, map: (t: T, i: number) => J): J[] | undefined {
  return list === undefined || list.length === 0 ? undefined : list.map(map);
}

/** A string map, or undefined when absent or empty. */
export function nonEmptyMap<V extends JsonValue>(m: Readonly<Record<string, V>> | undefined): Record<string, V> | undefined {
  return m === undefined || Object.keys(m).length === 0 ? undefined : { ...m };
}
