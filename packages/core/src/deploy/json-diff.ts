/**
 * Field-level comparison of two JSON values, producing the {@link FieldChange}
 * list a {@link PlannedChange} carries. Generic: drivers normalise their
 * resources first and pass an `isDefault` hook for values that mean "absent".
 */
import type { FieldChange } from './driver.js';

/** Options of {@link diffJson}. */
export interface JsonDiffOptions {
  /**
   * Called when a key exists on one side only: return `true` when `value`
   * is equivalent to the key being absent (a default), so it is no change.
   * `path` is the dotted path of the key, e.g. `container.docker.forcePullImage`.
   */
  readonly isDefault?: (path: string, value: unknown) => boolean;
  /** Paths to leave out entirely (exact dotted paths). */
  readonly ignorePaths?: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Appends an object key to a dotted path, quoting keys that are not plain identifiers. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** True for plain JSON objects (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** True for values that mean "nothing": `null`, `""`, `false`, `[]`, `{}`. */
export function isEmptyJson(value: unknown): boolean {
  if (value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.values(value).every((v) => v === undefined);
  return false;
}

/**
 * Compares `before` (live) with `after` (desired) and lists every leaf-level
 * difference. Objects are compared key by key, arrays index by index (extra
 * elements are additions or removals); a type change is reported at the
 * path where it happens. Returns `[]` when the values are equivalent.
 *
 * @example
 * diffJson({ cpus: 0.1, labels: {} }, { cpus: 0.2, labels: { a: 'b' } })
 * // [{ path: 'cpus', before: 0.1, after: 0.2 }, { path: 'labels.a', after: 'b' }]
 */
export function diffJson(before: unknown, after: unknown, options: JsonDiffOptions = {}): FieldChange[] {
  const out: FieldChange[] = [];
  const ignored = new Set(options.ignorePaths ?? []);
  walk(before, after, '', options, ignored, out);
  return out;
}

function walk(before: unknown, after: unknown, path: string, options: JsonDiffOptions, ignored: ReadonlySet<string>, out: FieldChange[]): void {
  if (ignored.has(path)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const childPath = joinPath(path, key);
      if (ignored.has(childPath)) continue;
      const b = before[key];
      const a = after[key];
      if (b === undefined && a === undefined) continue;
      if (b === undefined || a === undefined) {
        const present = b === undefined ? a : b;
        if (options.isDefault?.(childPath, present)) continue;
        // An object on one side only is listed leaf by leaf (`env.DEBUG`), not as one blob.
        if (isPlainObject(present) && Object.keys(present).length > 0) walk(b === undefined ? {} : b, a === undefined ? {} : a, childPath, options, ignored, out);
        else out.push(b === undefined ? { path: childPath, after: a } : { path: childPath, before: b });
        continue;
      }
      walk(b, a, childPath, options, ignored, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const childPath = joinPath(path, i);
      if (i >= before.length) out.push({ path: childPath, after: after[i] });
      else if (i >= after.length) out.push({ path: childPath, before: before[i] });
      else walk(before[i], after[i], childPath, options, ignored, out);
    }
    return;
  }
  if (!jsonEqual(before, after)) out.push({ path: path === '' ? '(root)' : path, before, after });
}
