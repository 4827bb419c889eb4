/**
 * Sets of parties (endpoint classes and external peers, numbered 0..n-1) kept as a sorted
 * list of ids or as the complement of one, so that both "the two classes this selector
 * matches" and "everything but them" cost what they hold. All operations merge sorted
 * arrays in linear time; none needs the universe size except emptiness and size.
 *
 * @module
 */

/** A set of party ids: `ids` (sorted, unique) when `neg` is false, every id but `ids` when true. */
export interface PartySet {
  /** True when the set is the complement of `ids`. */
  readonly neg: boolean;
  /** Sorted, unique ids. */
  readonly ids: Int32Array;
}

const NONE = new Int32Array(0);

/** The empty set. */
export const EMPTY_SET: PartySet = Object.freeze({ neg: false, ids: NONE });

/** Every party. */
export const ALL_SET: PartySet = Object.freeze({ neg: true, ids: NONE });

/** A set holding sorted unique `ids`. */
export function setOf(ids: Int32Array): PartySet {
  return ids.length === 0 ? EMPTY_SET : { neg: false, ids };
}

/** Builds a set from ids in any order, with duplicates. */
export function setFromUnsorted(ids: readonly number[]): PartySet {
  const a = new Int32Array(ids).sort();
  let w = 0;
  for (let r = 0; r < a.length; r++) if (w === 0 || a[r] !== a[w - 1]) a[w++] = a[r]!;
  return setOf(w === a.length ? a : a.slice(0, w));
}

/** Whether `x` is in `s`. */
export function setHas(s: PartySet, x: number): boolean {
  const a = s.ids;
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid]!;
    if (v === x) return !s.neg;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return s.neg;
}

/** Whether the set is empty in a universe of `n` parties. */
export function setIsEmpty(s: PartySet, n: number): boolean {
  return s.neg ? s.ids.length >= n : s.ids.length === 0;
}

/** The complement. */
export function complement(s: PartySet): PartySet {
  return { neg: !s.neg, ids: s.ids };
}

/** `a ∪ b`. */
export function union(a: PartySet, b: PartySet): PartySet {
  if (!a.neg && !b.neg) return setOf(mergeUnion(a.ids, b.ids));
  if (a.neg && b.neg) return { neg: true, ids: mergeIntersect(a.ids, b.ids) };
  return a.neg ? { neg: true, ids: mergeSubtract(a.ids, b.ids) } : { neg: true, ids: mergeSubtract(b.ids, a.ids) };
}

/** `a ∩ b`. */
export function intersect(a: PartySet, b: PartySet): PartySet {
  if (!a.neg && !b.neg) return setOf(mergeIntersect(a.ids, b.ids));
  if (a.neg && b.neg) return { neg: true, ids: mergeUnion(a.ids, b.ids) };
  return a.neg ? setOf(mergeSubtract(b.ids, a.ids)) : setOf(mergeSubtract(a.ids, b.ids));
}

/** `a − b`. */
export function subtract(a: PartySet, b: PartySet): PartySet {
  return intersect(a, complement(b));
}

/** Whether `a ⊆ b` (in any universe). */
export function isSubset(a: PartySet, b: PartySet): boolean {
  const d = subtract(a, b);
  return !d.neg && d.ids.length === 0;
}

/**
 * The same set in whichever form holds fewer ids, in a universe of `n` parties (ids 0..n-1):
 * a list of members, or the complement of a list of non-members.
 */
export function compact(s: PartySet, n: number): PartySet {
  if (s.ids.length * 2 <= n) return s;
  const out = new Int32Array(n - s.ids.length);
  let k = 0;
  let j = 0;
  for (let id = 0; id < n; id++) {
    if (j < s.ids.length && s.ids[j] === id) {
      j++;
      continue;
    }
    out[k++] = id;
  }
  return { neg: !s.neg, ids: k === out.length ? out : out.slice(0, k) };
}

/** Calls `f` for every member below `n`, in ascending order. */
export function forEachMember(s: PartySet, n: number, f: (id: number) => void): void {
  if (!s.neg) {
    for (const id of s.ids) if (id < n) f(id);
    return;
  }
  let j = 0;
  const a = s.ids;
  for (let id = 0; id < n; id++) {
    while (j < a.length && a[j]! < id) j++;
    if (j < a.length && a[j] === id) continue;
    f(id);
  }
}

/** The members below `n` as a sorted array. */
export function members(s: PartySet, n: number): Int32Array {
  if (!s.neg) {
    let k = s.ids.length;
    while (k > 0 && s.ids[k - 1]! >= n) k--;
    return k === s.ids.length ? s.ids : s.ids.slice(0, k);
  }
  const out: number[] = [];
  forEachMember(s, n, (id) => out.push(id));
  return new Int32Array(out);
}

function fit(out: Int32Array, k: number): Int32Array {
  return k === out.length ? out : out.slice(0, k);
}

function mergeUnion(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      out[k++] = x;
      i++;
    } else if (y < x) {
      out[k++] = y;
      j++;
    } else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return fit(out, k);
}

function mergeIntersect(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0 || b.length === 0) return NONE;
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) i++;
    else if (y < x) j++;
    else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  return fit(out, k);
}

function mergeSubtract(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0 || b.length === 0) return a;
  const out = new Int32Array(a.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) {
      i++;
      continue;
    }
    out[k++] = x;
    i++;
  }
  return k === a.length ? a : fit(out, k);
}
