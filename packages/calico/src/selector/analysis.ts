/**
 * Questions asked of a whole selector tree: which label keys it reads, which Calico version's
 * grammar it needs, how deep it is, and whether a tree from outside is well formed.
 *
 * @module
 */

import {
  ALL_NODE,
  GLOBAL_NODE,
  compareCodePoints,
  hasNode,
  junctionNode,
  labelSetNode,
  labelValueNode,
  notNode,
  type SelectorNode,
} from './ast.js';
import { SELECTOR_MAX_DEPTH, SelectorBuildError } from './errors.js';
import { isSelectorLabelKey, MAX_LABEL_KEY_LENGTH } from './tokenizer.js';

/**
 * The oldest Calico whose selector grammar can read a selector:
 * - `'v1'`: every Calico, including calicoctl v1.x (libcalico-go v1.4);
 * - `'v3.6'`: needs `contains`, `starts with` or `ends with`, or a label key that libcalico-go
 *   before v3.6 misreads as the `in`/`not in` operator (such as `in-x`);
 * - `'v3.15'`: needs `global()`.
 */
export type SelectorVersionRequirement = 'v1' | 'v3.6' | 'v3.15';

/** Every label key a tree reads, sorted by code point, without duplicates. */
export function collectLabelKeys(root: SelectorNode): string[] {
  const keys = new Set<string>();
  const pending: SelectorNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    switch (node.kind) {
      case 'all':
      case 'global':
        break;
      case 'not':
        pending.push(node.operand);
        break;
      case 'and':
      case 'or':
        for (const op of node.operands) pending.push(op);
        break;
      default:
        keys.add(node.key);
    }
  }
  return [...keys].sort(compareCodePoints);
}

/**
 * Whether libcalico-go before v3.6 misreads `key`, written where a term starts, as an
 * operator: its tokenizer tried `not\s*in\b` and `in\b` before reading a label. `operator` is
 * the operator written after the key, because the key `not` followed by ` in {` reads as
 * `not in`.
 */
function misreadByOldTokenizer(key: string, operator: SelectorNode['kind']): boolean {
  // Go's `\b` after "in": the key ends, or goes on with '.', '/' or '-' (not a word character).
  const wordEnd = (i: number): boolean => i >= key.length || key[i] === '.' || key[i] === '/' || key[i] === '-';
  if (key.startsWith('in') && wordEnd(2)) return true;
  if (key.startsWith('notin') && wordEnd(5)) return true;
  return key === 'not' && operator === 'in';
}

/** The oldest Calico selector grammar that reads the rendered form of `root`. */
export function requiredVersion(root: SelectorNode): SelectorVersionRequirement {
  let needs: SelectorVersionRequirement = 'v1';
  const pending: SelectorNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    switch (node.kind) {
      case 'global':
        return 'v3.15';
      case 'all':
      case 'has':
        break;
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        needs = 'v3.6';
        break;
      case 'eq':
      case 'ne':
      case 'in':
      case 'notIn':
        if (misreadByOldTokenizer(node.key, node.kind)) needs = 'v3.6';
        break;
      case 'not':
        pending.push(node.operand);
        break;
      case 'and':
      case 'or':
        for (const op of node.operands) pending.push(op);
        break;
    }
  }
  return needs;
}

/**
 * Checks a tree that did not come from this package and returns a frozen, normalised copy
 * (sets sorted and de-duplicated) with its depth.
 *
 * @throws {@link SelectorBuildError} when the tree is malformed or deeper than `SELECTOR_MAX_DEPTH`
 */
export function normaliseTree(root: unknown): { node: SelectorNode; depth: number } {
  return normalise(root, 1, 'root');
}

function normalise(raw: unknown, level: number, path: string): { node: SelectorNode; depth: number } {
  if (level > SELECTOR_MAX_DEPTH) {
    throw new SelectorBuildError(`Selector tree is deeper than ${SELECTOR_MAX_DEPTH} levels at ${path}; simplify it.`, path);
  }
  if (typeof raw !== 'object' || raw === null) {
    throw new SelectorBuildError(`Selector tree node at ${path} must be an object with a 'kind'.`, raw);
  }
  const node = raw as Record<string, unknown>;
  switch (node['kind']) {
    case 'all':
      return { node: ALL_NODE, depth: 1 };
    case 'global':
      return { node: GLOBAL_NODE, depth: 1 };
    case 'has':
      return { node: hasNode(checkKey(node['key'], path)), depth: 1 };
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return {
        node: labelValueNode(node['kind'], checkKey(node['key'], path), checkSelectorValue(node['value'], `${path}.value`)),
        depth: 1,
      };
    case 'in':
    case 'notIn': {
      const values = node['values'];
      if (!Array.isArray(values)) {
        throw new SelectorBuildError(`Selector tree node at ${path} needs 'values' to be an array of strings.`, values);
      }
      const checked = values.map((v: unknown, i) => checkSelectorValue(v, `${path}.values[${i}]`));
      return { node: labelSetNode(node['kind'], checkKey(node['key'], path), checked), depth: 1 };
    }
    case 'not': {
      const inner = normalise(node['operand'], level + 1, `${path}.operand`);
      return { node: notNode(inner.node), depth: inner.depth + 1 };
    }
    case 'and':
    case 'or': {
      const operands = node['operands'];
      if (!Array.isArray(operands) || operands.length < 2) {
        throw new SelectorBuildError(`Selector tree node at ${path} ('${node['kind']}') needs at least two operands.`, operands);
      }
      let depth = 0;
      const nodes = operands.map((op: unknown, i) => {
        const r = normalise(op, level + 1, `${path}.operands[${i}]`);
        if (r.depth > depth) depth = r.depth;
        return r.node;
      });
      return { node: junctionNode(node['kind'], nodes), depth: depth + 1 };
    }
    default:
      throw new SelectorBuildError(
        `Selector tree node at ${path} has unknown kind ${JSON.stringify(node['kind']) ?? 'undefined'}.`,
        node['kind'],
      );
  }
}

/**
 * Validates a label key for use in a selector.
 *
 * @throws {@link SelectorBuildError} unless the key is 1-512 characters of `[a-zA-Z0-9_./-]`
 */
export function checkKey(key: unknown, where = 'label key'): string {
  if (typeof key !== 'string' || !isSelectorLabelKey(key)) {
    throw new SelectorBuildError(
      `Invalid selector label key ${typeof key === 'string' ? JSON.stringify(key) : String(key)} (${where}): ` +
        `a key is 1 to ${MAX_LABEL_KEY_LENGTH} characters from [a-zA-Z0-9_./-].`,
      key,
    );
  }
  return key;
}

/**
 * Validates a string operand for use in a selector.
 *
 * @throws {@link SelectorBuildError} when the value is not a string, or contains both `"` and `'`
 * (Calico selector strings have no escapes, so such a value cannot be written)
 */
export function checkSelectorValue(value: unknown, where = 'value'): string {
  if (typeof value !== 'string') {
    throw new SelectorBuildError(`Selector value (${where}) must be a string, got ${value === null ? 'null' : typeof value}.`, value);
  }
  if (value.includes('"') && value.includes("'")) {
    throw new SelectorBuildError(
      `Selector value ${JSON.stringify(value)} (${where}) contains both ' and "; Calico selector strings have ` +
        'no escapes, so it cannot be written. Use a value without one of the two quote characters.',
      value,
    );
  }
  return value;
}
