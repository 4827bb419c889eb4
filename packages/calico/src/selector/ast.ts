/**
 * The selector syntax tree, mirroring the node types of libcalico-go's `parser/ast.go`, and its
 * canonical rendering (Calico's `String()`).
 *
 * @module
 */

/** `all()`: matches every label set. Also what an empty selector means. */
export interface AllNode {
  /** Node discriminant. */
  readonly kind: 'all';
}

/**
 * `global()` (Calico v3.15+): always true when evaluated. Its meaning comes from Calico rewriting
 * it to `!has(projectcalico.org/namespace)` inside a rule's `namespaceSelector`.
 */
export interface GlobalNode {
  /** Node discriminant. */
  readonly kind: 'global';
}

/** `has(key)`: true when the label is present, whatever its value. */
export interface HasNode {
  /** Node discriminant. */
  readonly kind: 'has';
  /** The label key. */
  readonly key: string;
}

/**
 * The operators that compare a label's value with one string: `==`, `!=`, `contains`,
 * `starts with`, `ends with`.
 */
export type LabelValueOperator = 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith';

/**
 * `key == "v"`, `key != "v"`, `key contains "v"`, `key starts with "v"` or `key ends with "v"`.
 * When the label is absent only `!=` is true.
 */
export interface LabelValueNode {
  /** Node discriminant: the operator. */
  readonly kind: LabelValueOperator;
  /** The label key. */
  readonly key: string;
  /** The string operand. Never contains both `"` and `'`. */
  readonly value: string;
}

/** The operators that test a label's value against a set: `in` and `not in`. */
export type LabelSetOperator = 'in' | 'notIn';

/** `key in {...}` or `key not in {...}`. When the label is absent only `not in` is true. */
export interface LabelSetNode {
  /** Node discriminant: the operator. */
  readonly kind: LabelSetOperator;
  /** The label key. */
  readonly key: string;
  /** The set members, sorted by code point and without duplicates. May be empty. */
  readonly values: readonly string[];
}

/** `!operand`. */
export interface NotNode {
  /** Node discriminant. */
  readonly kind: 'not';
  /** The negated expression. */
  readonly operand: SelectorNode;
}

/** `(a && b && ...)`: at least two operands, kept in source order and never re-associated. */
export interface AndNode {
  /** Node discriminant. */
  readonly kind: 'and';
  /** Two or more operands. */
  readonly operands: readonly SelectorNode[];
}

/** `(a || b || ...)`: at least two operands, kept in source order and never re-associated. */
export interface OrNode {
  /** Node discriminant. */
  readonly kind: 'or';
  /** Two or more operands. */
  readonly operands: readonly SelectorNode[];
}

/** Any node of a selector syntax tree. Trees handed out by this package are frozen. */
export type SelectorNode = AllNode | GlobalNode | HasNode | LabelValueNode | LabelSetNode | NotNode | AndNode | OrNode;

/** The shared `all()` node. */
export const ALL_NODE: AllNode = Object.freeze({ kind: 'all' });
/** The shared `global()` node. */
export const GLOBAL_NODE: GlobalNode = Object.freeze({ kind: 'global' });

/** Builds a frozen `has(key)` node. The key is not validated. */
export function hasNode(key: string): HasNode {
  return Object.freeze({ kind: 'has', key });
}

/** Builds a frozen label/value comparison node. Key and value are not validated. */
export function labelValueNode(kind: LabelValueOperator, key: string, value: string): LabelValueNode {
  return Object.freeze({ kind, key, value });
}

/**
 * Builds a frozen set node, sorting and de-duplicating the values as Calico's parser does.
 * `values` is not modified.
 */
export function labelSetNode(kind: LabelSetOperator, key: string, values: readonly string[]): LabelSetNode {
  return Object.freeze({ kind, key, values: Object.freeze(sortedUnique(values)) });
}

/** Builds a frozen `!operand` node. */
export function notNode(operand: SelectorNode): NotNode {
  return Object.freeze({ kind: 'not', operand });
}

/** Builds a frozen n-ary `&&` or `||` node. The caller guarantees at least two operands. */
export function junctionNode(kind: 'and' | 'or', operands: readonly SelectorNode[]): AndNode | OrNode {
  return Object.freeze({ kind, operands: Object.freeze(operands.slice()) });
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 encoding and so
 * the order Go's `sort.Strings` gives. Plain `<` on JavaScript strings compares UTF-16 units and
 * would put U+FF00 after U+1F600.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Maps a UTF-16 unit so surrogates (astral code points) sort after U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function sortedUnique(values: readonly string[]): string[] {
  const sorted = values.slice().sort(compareCodePoints);
  let w = 0;
  for (let r = 0; r < sorted.length; r++) {
    if (w === 0 || sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r]!;
  }
  sorted.length = w;
  return sorted;
}

const OPERATOR_TEXT: Readonly<Record<LabelValueOperator, string>> = {
  eq: ' == ',
  ne: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
};

/** Quotes a string the way Calico does: with `'` when it contains `"`, otherwise with `"`. */
export function quoteSelectorString(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/**
 * Renders a tree exactly as libcalico-go's `String()` does. `&&` and `||` groups are always
 * parenthesised, even at the root; `!` is written directly before its operand; set members are
 * written sorted.
 *
 * Recursion depth equals tree depth, which selectors built by this package keep under
 * `SELECTOR_MAX_DEPTH`.
 */
export function renderSelectorNode(node: SelectorNode): string {
  switch (node.kind) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${node.key})`;
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return node.key + OPERATOR_TEXT[node.kind] + quoteSelectorString(node.value);
    case 'in':
    case 'notIn': {
      let out = node.key + (node.kind === 'in' ? ' in {' : ' not in {');
      for (let i = 0; i < node.values.length; i++) {
        if (i > 0) out += ', ';
        out += quoteSelectorString(node.values[i]!);
      }
      return out + '}';
    }
    case 'not':
      return '!' + renderSelectorNode(node.operand);
    case 'and':
    case 'or': {
      const sep = node.kind === 'and' ? ' && ' : ' || ';
      let out = '(';
      for (let i = 0; i < node.operands.length; i++) {
        if (i > 0) out += sep;
        out += renderSelectorNode(node.operands[i]!);
      }
      return out + ')';
    }
  }
}
