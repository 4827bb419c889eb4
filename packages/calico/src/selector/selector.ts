/**
 * The public `Selector` type.
 *
 * @module
 */

import { ALL_NODE, GLOBAL_NODE, hasNode, junctionNode, notNode, renderSelectorNode, type SelectorNode } from './ast.js';
import { checkKey, collectLabelKeys, normaliseTree, requiredVersion, type SelectorVersionRequirement } from './analysis.js';
import { LabelSelectorBuilder } from './builder.js';
import { SELECTOR_MAX_DEPTH, SelectorBuildError } from './errors.js';
import { compileMatcher, labelReaderFor, type LabelMatcher, type SelectorLabels } from './evaluate.js';
import { parseSelectorTree, type SelectorParseOptions } from './parser.js';
import { makeUniqueId } from './unique-id.js';

const SELECTOR_SYMBOL = Symbol.for('dcos-cdk.Selector');
/** Proves a constructor call comes from this module. */
const CONSTRUCTING = Symbol('Selector.constructing');

/**
 * An immutable Calico label selector.
 *
 * It parses, evaluates, prints and hashes exactly as libcalico-go does: `toString()` is Calico's
 * canonical `String()` and `uniqueId()` is Calico's `UniqueID()`, so two selectors are the same
 * to Calico exactly when {@link Selector.equals} says so.
 *
 * @example
 * const web = Selector.parse('role == "web" && !has(quarantine)');
 * web.matches({ role: 'web' });                  // true
 * web.toString();                                // (role == "web" && !has(quarantine))
 * Selector.label('role').in(['web', 'api']).or(Selector.has('ops')).toString();
 * // (role in {"api", "web"} || has(ops))
 */
export class Selector {
  // Shared instances, made on first use: a static initializer that
  // constructs the class itself breaks in TypeScript's ES2022 output.
  static #all: Selector | undefined;
  static #global: Selector | undefined;
  static get #ALL(): Selector {
    return (Selector.#all ??= new Selector(CONSTRUCTING, ALL_NODE, 1));
  }
  static get #GLOBAL(): Selector {
    return (Selector.#global ??= new Selector(CONSTRUCTING, GLOBAL_NODE, 1));
  }

  /**
   * Parses a selector string.
   *
   * @param text - the selector; empty or blank text means `all()`
   * @param options - the Calico grammar to accept
   * @default options `{ calicoVersion: 'v3' }`
   * @throws {@link SelectorParseError} when `text` is not a valid selector for the grammar
   *
   * @example
   * Selector.parse("a == 'x' && b in {'p', 'q'}").toString(); // (a == "x" && b in {"p", "q"})
   * Selector.parse('app contains "web"', { calicoVersion: 'v1' }); // throws: needs Calico v3.6+
   */
  static parse(text: string, options?: SelectorParseOptions): Selector {
    const { root, depth } = parseSelectorTree(text, options);
    return root === ALL_NODE ? Selector.#ALL : new Selector(CONSTRUCTING, root, depth);
  }

  /** `all()`: matches every label set. */
  static all(): Selector {
    return Selector.#ALL;
  }

  /**
   * `global()` (Calico v3.15+). Always true when evaluated; in a rule's `namespaceSelector`
   * Calico rewrites it to "not in any namespace".
   */
  static global(): Selector {
    return Selector.#GLOBAL;
  }

  /**
   * `has(key)`: the label is present, whatever its value.
   *
   * @throws {@link SelectorBuildError} when `key` is not a valid label key
   */
  static has(key: string): Selector {
    return new Selector(CONSTRUCTING, hasNode(checkKey(key)), 1);
  }

  /**
   * Starts a single-label selector: `Selector.label('app').eq('web')`.
   *
   * @param key - 1 to 512 characters from `[a-zA-Z0-9_./-]`
   * @throws {@link SelectorBuildError} when `key` is not a valid label key
   */
  static label(key: string): LabelSelectorBuilder {
    return new LabelSelectorBuilder(key, (node) => new Selector(CONSTRUCTING, node, 1));
  }

  /**
   * Builds a selector from a syntax tree, for example one rewritten from {@link Selector.root}.
   * The tree is validated and copied; set values are sorted and de-duplicated.
   *
   * @throws {@link SelectorBuildError} when the tree is malformed or nests deeper than
   * `SELECTOR_MAX_DEPTH`
   */
  static fromNode(node: SelectorNode): Selector {
    const checked = normaliseTree(node);
    return checked.node === ALL_NODE ? Selector.#ALL : new Selector(CONSTRUCTING, checked.node, checked.depth);
  }

  /**
   * Whether `x` is a `Selector`, including one from another loaded copy of this package.
   *
   * @param x - any value
   */
  static isSelector(x: unknown): x is Selector {
    return typeof x === 'object' && x !== null && (x as { [SELECTOR_SYMBOL]?: unknown })[SELECTOR_SYMBOL] === true;
  }

  readonly #root: SelectorNode;
  readonly #depth: number;
  #text: string | undefined;
  #id: string | undefined;
  #matcher: LabelMatcher | undefined;
  #keys: readonly string[] | undefined;
  #version: SelectorVersionRequirement | undefined;

  private constructor(token: symbol, root: SelectorNode, depth: number) {
    if (token !== CONSTRUCTING) {
      throw new SelectorBuildError('Create selectors with Selector.parse(), Selector.label(), Selector.has() or Selector.all().', token);
    }
    this.#root = root;
    this.#depth = depth;
  }

  /** The frozen syntax tree. */
  get root(): SelectorNode {
    return this.#root;
  }

  /**
   * Whether the selector matches a label set, with Calico's semantics: when a label is absent,
   * `==`, `in`, `contains`, `starts with` and `ends with` are false while `!=` and `not in` are
   * true; `has(k)` tests presence; `all()` and `global()` are always true.
   *
   * @param labels - a plain object or a `Map` from label key to value; with a plain object only
   * its own properties count
   */
  matches(labels: SelectorLabels): boolean {
    const source = labels ?? EMPTY_LABELS;
    return (this.#matcher ??= compileMatcher(this.#root))(source, labelReaderFor(source));
  }

  /**
   * The canonical form, exactly as Calico's `String()` prints it: `&&`/`||` groups always in
   * parentheses (even at the root), sets sorted, strings in `"` unless they contain `"`.
   */
  toString(): string {
    return (this.#text ??= renderSelectorNode(this.#root));
  }

  /** The canonical form, so `JSON.stringify` writes selectors as strings. */
  toJSON(): string {
    return this.toString();
  }

  /**
   * Calico's unique id of this selector: `"s:" + base64url(SHA-224("s:" + toString()))`
   * without padding (libcalico-go `hash.MakeUniqueID("s", sel.String())`).
   */
  uniqueId(): string {
    return (this.#id ??= makeUniqueId('s', this.toString()));
  }

  /** Every label key the selector reads, sorted, without duplicates; for indexing. */
  labelKeys(): readonly string[] {
    return (this.#keys ??= Object.freeze(collectLabelKeys(this.#root)));
  }

  /**
   * The oldest Calico selector grammar that can read {@link Selector.toString}'s output:
   * `'v1'` (calicoctl v1.x and every later version), `'v3.6'` (uses `contains`, `starts with`
   * or `ends with`, or a label key such as `in-x` that older tokenizers misread) or `'v3.15'`
   * (uses `global()`).
   */
  requiresVersion(): SelectorVersionRequirement {
    return (this.#version ??= requiredVersion(this.#root));
  }

  /**
   * `(this && other && ...)`: one n-ary node whose operands are this selector and the others,
   * the tree Calico builds when it parses `(this) && (other) && ...`. Operands are not
   * flattened, so the canonical form and unique id match that string's.
   *
   * @throws {@link SelectorBuildError} when the result would nest deeper than `SELECTOR_MAX_DEPTH`
   */
  and(...others: Selector[]): Selector {
    return this.#junction('and', others);
  }

  /**
   * `(this || other || ...)`: one n-ary node, the tree Calico builds for
   * `(this) || (other) || ...`.
   *
   * @throws {@link SelectorBuildError} when the result would nest deeper than `SELECTOR_MAX_DEPTH`
   */
  or(...others: Selector[]): Selector {
    return this.#junction('or', others);
  }

  /**
   * The negation. Negating a negation returns its operand (Calico's parser would also collapse
   * `!!x` to `x`), so the result always re-parses to itself.
   *
   * @throws {@link SelectorBuildError} when the result would nest deeper than `SELECTOR_MAX_DEPTH`
   */
  not(): Selector {
    const root = this.#root;
    if (root.kind === 'not') return new Selector(CONSTRUCTING, root.operand, this.#depth - 1);
    return new Selector(CONSTRUCTING, notNode(root), checkedDepth(this.#depth + 1));
  }

  /** Whether both selectors have the same canonical form (and so the same unique id). */
  equals(other: Selector): boolean {
    return Selector.isSelector(other) && other.toString() === this.toString();
  }

  #junction(kind: 'and' | 'or', others: readonly Selector[]): Selector {
    if (others.length === 0) return this;
    const operands: SelectorNode[] = [this.#root];
    let depth = this.#depth;
    for (const other of others) {
      const { node, depth: d } = Selector.#unwrap(other);
      operands.push(node);
      if (d > depth) depth = d;
    }
    return new Selector(CONSTRUCTING, junctionNode(kind, operands), checkedDepth(depth + 1));
  }

  /** Gets the tree and depth of an operand, which may come from another copy of the package. */
  static #unwrap(other: Selector): { node: SelectorNode; depth: number } {
    if (!Selector.isSelector(other)) {
      throw new SelectorBuildError('Selector.and() and Selector.or() take Selector operands.', other);
    }
    // A selector from another copy of the package has no private fields here: re-check its tree.
    return #depth in other
      ? { node: other.#root, depth: other.#depth }
      : normaliseTree((other as { readonly root: unknown }).root);
  }

}

// Outside the class body: TypeScript's ES2022 output runs static blocks before the class binding exists.
Object.defineProperty(Selector.prototype, SELECTOR_SYMBOL, { value: true });

const EMPTY_LABELS: SelectorLabels = Object.freeze({});

function checkedDepth(depth: number): number {
  if (depth > SELECTOR_MAX_DEPTH) {
    throw new SelectorBuildError(`Selector would nest deeper than ${SELECTOR_MAX_DEPTH} levels; simplify it.`, depth);
  }
  return depth;
}

