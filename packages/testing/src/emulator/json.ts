/** Small JSON helpers shared by the emulator modules. */
import type { JsonObject, JsonValue } from './types.js';

/** True for plain JSON objects (not arrays, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of a JSON value. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of two JSON values; object key order is ignored. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Recursive merge: objects merge key by key, anything else in `over` replaces `base`. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = cloneJson(base);
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isJsonObject(cur) && isJsonObject(v) ? deepMerge(cur, v) : cloneJson(v);
  }
  return out;
}

/** The value at `key` if it is an object. */
export function objectAt(obj: JsonObject, key: string): JsonObject | undefined {
  const v = obj[key];
  return isJsonObject(v) ? v : undefined;
}

/** The value at `key` if it is an array. */
export function arrayAt(obj: JsonObject, key: string): JsonValue[] | undefined {
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

/** The value at `key` if it is a string. */
export function stringAt(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** The value at `key` if it is a finite number. */
export function numberAt(obj: JsonObject, key: string): number | undefined {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Copy of `obj` without the `undefined` values (so it is a valid {@link JsonObject}). */
export function compact(obj: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}
