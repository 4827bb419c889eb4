/**
 * The label index: which classes a selector matches, without testing every class.
 *
 * Like Felix's label index (felix `labelindex`), it keeps, for every label key, the classes
 * that carry the key and, for every value of it, the classes that carry that key=value:
 *
 *     key ──▶ { all: [classes having key], byValue: value ──▶ [classes having key=value] }
 *
 * (lists sorted by class id, built in one pass over the classes' effective labels). Selectors
 * made only of `k == v`, `k in {…}`, `has(k)`, `&&` and `||` are answered from the lists alone
 * (intersections and unions), which covers the `app == "x" && group == "y"` selectors dcos-cdk
 * writes. For other selectors it derives a candidate list from the tree — `k == v` gives
 * `byValue(k, v)`, `k in {…}` the union of the values' lists, `has(k)`, `contains`,
 * `starts with` and `ends with` the key's list, `a && b` the shortest candidate list of its
 * operands, `a || b` the union when every operand has one — and then runs the selector only on
 * those candidates. `a == "x" && b == "y"` therefore tests just the classes having `a=x` (or
 * `b=y`, whichever is fewer). Operators that hold when a label is absent (`!`, `!=`, `not in`,
 * `all()`) give no candidates, and the selector is run on every class. Results are cached per
 * selector instance; callers intern selectors so that equal selectors share one entry.
 *
 * @module
 */

import type { Selector, SelectorNode } from '../selector/index.js';
import type { EndpointClass } from './classes.js';
import { compact, complement, intersect, setFromUnsorted, setOf, union, type PartySet } from './party-set.js';

interface KeyEntry {
  readonly all: number[];
  readonly byValue: Map<string, number[]>;
}

type SimpleNode = SelectorNode & { kind: 'eq' | 'in' | 'has' };

function isSimple(node: SelectorNode): boolean {
  return node.kind === 'eq' || node.kind === 'in' || node.kind === 'has';
}

/** `k == v`, `k in {…}` or `has(k)` on a label map. */
function simpleMatches(node: SimpleNode, labels: ReadonlyMap<string, string>): boolean {
  const v = labels.get(node.key);
  if (v === undefined) return false;
  if (node.kind === 'has') return true;
  return node.kind === 'eq' ? v === node.value : node.values.includes(v);
}

/** Selector → matching classes, through a key/value index. */
export class LabelIndex {
  readonly #classes: readonly EndpointClass[];
  readonly #keys = new Map<string, KeyEntry>();
  readonly #cache = new Map<Selector, PartySet>();
  /** Party ids that are not classes (external peers), kept out of every result. */
  readonly #others: Int32Array;
  readonly #partyCount: number;

  /**
   * @param classes - the classes, numbered 0..n-1
   * @param partyCount - size of the party universe (classes first, then external peers)
   */
  constructor(classes: readonly EndpointClass[], partyCount: number) {
    this.#classes = classes;
    const add = (v: string, k: string, id: number): void => {
      let e = this.#keys.get(k);
      if (!e) {
        e = { all: [], byValue: new Map() };
        this.#keys.set(k, e);
      }
      e.all.push(id);
      let list = e.byValue.get(v);
      if (!list) e.byValue.set(v, (list = []));
      list.push(id);
    };
    for (let i = 0; i < classes.length; i++) classes[i]!.labels.forEach((v, k) => add(v, k, i));
    this.#partyCount = partyCount;
    this.#others = Int32Array.from({ length: partyCount - classes.length }, (_, i) => classes.length + i);
  }

  /** The classes `selector` matches, as a set of party ids (never containing a peer). */
  classSet(selector: Selector): PartySet {
    let s = this.#cache.get(selector);
    if (s === undefined) {
      s = compact(this.#evaluate(selector), this.#partyCount);
      this.#cache.set(selector, s);
    }
    return s;
  }

  /** Number of selectors evaluated so far. */
  get size(): number {
    return this.#cache.size;
  }

  #evaluate(selector: Selector): PartySet {
    const root = selector.root;
    if (root.kind === 'all' || root.kind === 'global') return complement(setOf(this.#others));
    const exact = this.#exact(root);
    if (exact !== undefined) return setOf(exact);
    const candidates = this.#candidates(root);
    if (candidates !== undefined) {
      const hit: number[] = [];
      for (const id of candidates) if (selector.matches(this.#classes[id]!.labels)) hit.push(id);
      return setFromUnsorted(hit);
    }
    const hit: number[] = [];
    const miss: number[] = [];
    for (const c of this.#classes) (selector.matches(c.labels) ? hit : miss).push(c.id);
    if (hit.length * 2 <= this.#classes.length) return setFromUnsorted(hit);
    // Mostly matching: store the misses (and the peers) as a complement.
    return complement(setFromUnsorted([...miss, ...this.#others]));
  }

  /**
   * The matches, when the index alone answers: `k == v`, `k in {…}`, `has(k)`, and `&&`/`||`
   * of such (intersections and unions of the sorted lists). `undefined` otherwise.
   */
  #exact(node: SelectorNode): Int32Array | undefined {
    switch (node.kind) {
      case 'eq':
      case 'has':
        return new Int32Array(this.#candidates(node)!);
      case 'in':
        return setFromUnsorted(this.#candidates(node)!).ids;
      case 'and': {
        // Walk the shortest operand's list and keep the classes the other operands accept.
        if (!node.operands.every(isSimple)) return this.#combine(node);
        // (Indexed loops: this runs once per distinct selector, often before it is optimized.)
        const ops = node.operands as readonly SimpleNode[];
        let best: readonly number[] = this.#candidates(ops[0]!)!;
        for (let o = 1; o < ops.length; o++) {
          const c = this.#candidates(ops[o]!)!;
          if (c.length < best.length) best = c;
        }
        const out: number[] = [];
        next: for (let j = 0; j < best.length; j++) {
          const id = best[j]!;
          const labels = this.#classes[id]!.labels;
          for (let o = 0; o < ops.length; o++) if (!simpleMatches(ops[o]!, labels)) continue next;
          out.push(id);
        }
        return new Int32Array(out);
      }
      case 'or':
        return this.#combine(node);
      default:
        return undefined;
    }
  }

  /** `&&`/`||` of exactly answerable operands, by intersecting or joining their lists. */
  #combine(node: SelectorNode & { kind: 'and' | 'or' }): Int32Array | undefined {
    let acc: PartySet | undefined;
    for (const op of node.operands) {
      const x = this.#exact(op);
      if (x === undefined) return undefined;
      const s = setOf(x);
      acc = acc === undefined ? s : node.kind === 'and' ? intersect(acc, s) : union(acc, s);
    }
    return acc!.ids;
  }

  /** A list of classes that contains every match, or `undefined` when any class may match. */
  #candidates(node: SelectorNode): readonly number[] | undefined {
    switch (node.kind) {
      case 'eq':
        return this.#keys.get(node.key)?.byValue.get(node.value) ?? [];
      case 'in': {
        const e = this.#keys.get(node.key);
        if (!e) return [];
        const lists = node.values.map((v) => e.byValue.get(v) ?? []);
        return lists.length === 1 ? lists[0] : lists.flat();
      }
      case 'has':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        return this.#keys.get(node.key)?.all ?? [];
      case 'and': {
        let best: readonly number[] | undefined;
        for (const op of node.operands) {
          const c = this.#candidates(op);
          if (c !== undefined && (best === undefined || c.length < best.length)) best = c;
        }
        return best;
      }
      case 'or': {
        const parts: number[] = [];
        for (const op of node.operands) {
          const c = this.#candidates(op);
          if (c === undefined) return undefined;
          for (const id of c) parts.push(id);
        }
        return parts;
      }
      default:
        return undefined;
    }
  }
}
