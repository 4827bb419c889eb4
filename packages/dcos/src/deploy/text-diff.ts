/** Readable differences of node files: unified text diffs and field-level changes of JSON. */
import type { FieldChange } from '@dcos-cdk/core';

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Field changes between two JSON values: objects are compared key by key,
 * arrays and scalars as wholes. Paths are `<where>#<dotted.path>` (just
 * `<where>` for a change of the whole value).
 */
export function jsonFieldChanges(where: string, before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (path: string, b: unknown, a: unknown): void => {
    if (jsonEqual(b, a)) return;
    if (isPlainObject(b) && isPlainObject(a)) {
      const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
      for (const k of keys) walk(path ? `${path}.${k}` : k, b[k], a[k]);
      return;
    }
    out.push({ path: path ? `${where}#${path}` : where, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
  };
  walk('', before, after);
  return out;
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

function lines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // LCS lengths from the end; node files are small (tens of lines).
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] as string });
      i++;
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      ops.push({ kind: '-', line: a[i] as string });
      i++;
    } else {
      ops.push({ kind: '+', line: b[j] as string });
      j++;
    }
  }
  return ops;
}

/**
 * A unified diff (`---`/`+++`/`@@` hunks with `context` lines around each
 * change) of a file; `undefined` stands for a missing file. Empty when equal.
 */
export function unifiedDiff(label: string, before: string | undefined, after: string | undefined, context = 3): string {
  if (before === after) return '';
  const ops = editScript(lines(before), lines(after));
  const changed = ops.map((o, idx) => (o.kind === ' ' ? -1 : idx)).filter((idx) => idx >= 0);
  if (changed.length === 0) return '';
  const hunks: { start: number; end: number }[] = [];
  for (const idx of changed) {
    const start = Math.max(0, idx - context);
    const end = Math.min(ops.length, idx + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else hunks.push({ start, end });
  }
  const out = [`--- ${before === undefined ? '/dev/null' : label}`, `+++ ${after === undefined ? '/dev/null' : label}`];
  // Line numbers where each op starts, in the old and the new file.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  for (const h of hunks) {
    const slice = ops.slice(h.start, h.end);
    const oldLen = slice.filter((x) => x.kind !== '+').length;
    const newLen = slice.filter((x) => x.kind !== '-').length;
    const oldStart = oldLen === 0 ? (oldAt[h.start] ?? 1) - 1 : (oldAt[h.start] ?? 1);
    const newStart = newLen === 0 ? (newAt[h.start] ?? 1) - 1 : (newAt[h.start] ?? 1);
    out.push(`@@ -${oldStart},${oldLen} +${newStart},${newLen} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  return `${out.join('\n')}\n`;
}
