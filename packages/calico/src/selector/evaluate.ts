/**
 * Compiles a selector tree into a closure that tests a label set, with Calico's semantics
 * (libcalico-go `parser/ast.go` `Evaluate`).
 *
 * @module
 */

import type { SelectorNode } from './ast.js';

/** Labels a selector is matched against: a plain object or a map from key to value. */
export type SelectorLabels = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/** Reads one label, returning `undefined` when it is absent. */
type LabelReader = (labels: SelectorLabels, key: string) => string | undefined;

/** A compiled selector. */
export type LabelMatcher = (labels: SelectorLabels, read: LabelReader) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads from a plain object. Only own string properties count, so keys such as `constructor`
 * or `__proto__` are absent unless the object really has them.
 */
function readRecord(labels: SelectorLabels, key: string): string | undefined {
  const value = (labels as Readonly<Record<string, unknown>>)[key];
  return typeof value === 'string' && hasOwn.call(labels, key) ? value : undefined;
}

function readMap(labels: SelectorLabels, key: string): string | undefined {
  return (labels as ReadonlyMap<string, string>).get(key);
}

/** Picks the reader for a label source. */
export function labelReaderFor(labels: SelectorLabels): LabelReader {
  return typeof (labels as ReadonlyMap<string, string>).get === 'function' &&
    typeof (labels as ReadonlyMap<string, string>).has === 'function'
    ? readMap
    : readRecord;
}

/** Sets this small are searched linearly; larger ones go into a `Set`. */
const LINEAR_SET_LIMIT = 8;

const always: LabelMatcher = () => true;

/**
 * Compiles a tree into a matcher. Runs of `!` compile to one negation (or none), so the
 * closures nest no deeper than the tree.
 */
export function compileMatcher(node: SelectorNode): LabelMatcher {
  let negate = false;
  while (node.kind === 'not') {
    negate = !negate;
    node = node.operand;
  }
  const m = compilePositive(node);
  return negate ? (labels, read) => !m(labels, read) : m;
}

function compilePositive(node: Exclude<SelectorNode, { kind: 'not' }>): LabelMatcher {
  switch (node.kind) {
    case 'all':
    case 'global':
      return always;
    case 'has': {
      const { key } = node;
      return (labels, read) => read(labels, key) !== undefined;
    }
    case 'eq': {
      const { key, value } = node;
      return (labels, read) => read(labels, key) === value;
    }
    case 'ne': {
      const { key, value } = node;
      return (labels, read) => read(labels, key) !== value;
    }
    case 'contains': {
      const { key, value } = node;
      return (labels, read) => {
        const v = read(labels, key);
        return v !== undefined && v.includes(value);
      };
    }
    case 'startsWith': {
      const { key, value } = node;
      return (labels, read) => {
        const v = read(labels, key);
        return v !== undefined && v.startsWith(value);
      };
    }
    case 'endsWith': {
      const { key, value } = node;
      return (labels, read) => {
        const v = read(labels, key);
        return v !== undefined && v.endsWith(value);
      };
    }
    case 'in':
    case 'notIn': {
      const { key, values } = node;
      const member = setMembership(values);
      // An absent label is in no set, so `in` is false and `not in` is true.
      return node.kind === 'in'
        ? (labels, read) => {
            const v = read(labels, key);
            return v !== undefined && member(v);
          }
        : (labels, read) => {
            const v = read(labels, key);
            return v === undefined || !member(v);
          };
    }
    case 'and': {
      const parts = node.operands.map(compileMatcher);
      if (parts.length === 2) {
        const [a, b] = parts as [LabelMatcher, LabelMatcher];
        return (labels, read) => a(labels, read) && b(labels, read);
      }
      return (labels, read) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i]!(labels, read)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = node.operands.map(compileMatcher);
      if (parts.length === 2) {
        const [a, b] = parts as [LabelMatcher, LabelMatcher];
        return (labels, read) => a(labels, read) || b(labels, read);
      }
      return (labels, read) => {
        for (let i = 0; i < parts.length; i++) if (parts[i]!(labels, read)) return true;
        return false;
      };
    }
  }
}

function setMembership(values: readonly string[]): (v: string) => boolean {
  if (values.length === 0) return () => false;
  if (values.length === 1) {
    const only = values[0];
    return (v) => v === only;
  }
  if (values.length <= LINEAR_SET_LIMIT) return (v) => values.includes(v);
  const set = new Set(values);
  return (v) => set.has(v);
}
