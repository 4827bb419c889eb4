import type { FieldChange } from '@dcos-cdk/core';

/** A parsed JSON value as read from a datastore. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** True when two JSON values are equal (object key order ignored, array order kept). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
}

/**
 * Field-level differences between a live and a desired JSON value, as
 * dotted paths (`inbound_rules[0].dst_ports`). Objects are compared key by
 * key; arrays element by element, so an inserted rule shows as changes to
 * the rules after it; a scalar that changed is one entry.
 */
export function diffJson(before: Json | undefined, after: Json | undefined, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, path, out);
  return out;
}

function walk(before: Json | undefined, after: Json | undefined, path: string, out: FieldChange[]): void {
  if (jsonEqual(before, after)) return;
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const k of keys) walk(before[k], after[k], join(path, k), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  if (before === undefined && isObject(after) && path !== '') {
    out.push({ path, after });
    return;
  }
  if (path === '' && before === undefined && isObject(after)) {
    for (const k of Object.keys(after)) out.push({ path: k, after: after[k] });
    return;
  }
  if (path === '' && after === undefined && isObject(before)) {
    for (const k of Object.keys(before)) out.push({ path: k, before: before[k] });
    return;
  }
  const change: { path: string; before?: Json; after?: Json } = { path: path || '(value)' };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  const k = /^[A-Za-z_!][A-Za-z0-9_!-]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? k : /^[A-Za-z_!]/.test(k) ? `${path}.${k}` : `${path}[${k}]`;
}
