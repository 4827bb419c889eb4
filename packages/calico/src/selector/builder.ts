/**
 * The typed builder behind `Selector.label(key)`.
 *
 * @module
 */

import { labelSetNode, labelValueNode, type LabelValueOperator, type SelectorNode } from './ast.js';
import { checkKey, checkSelectorValue } from './analysis.js';
import { SelectorBuildError } from './errors.js';
import type { Selector } from './selector.js';

/**
 * Builds single-label selectors for one validated key. Get one from `Selector.label(key)`.
 *
 * Every value is checked: it must be a string and must not contain both `"` and `'`, because
 * Calico selector strings have no escapes.
 *
 * @example
 * Selector.label('app').eq('frontend');                 // app == "frontend"
 * Selector.label('tier').in(['web', 'api']);            // tier in {"api", "web"}
 * Selector.label('app').eq('web').and(Selector.has('calico/k8s_ns'));
 */
export class LabelSelectorBuilder {
  /** The label key every selector from this builder tests. */
  readonly key: string;
  readonly #wrap: (node: SelectorNode) => Selector;

  /**
   * Use `Selector.label(key)` instead.
   *
   * @internal
   * @param key - the label key (validated here)
   * @param wrap - turns a leaf node into a `Selector`
   */
  constructor(key: string, wrap: (node: SelectorNode) => Selector) {
    this.key = checkKey(key);
    this.#wrap = wrap;
  }

  /** `key == "value"`: the label is present and equal to `value`. */
  eq(value: string): Selector {
    return this.#value('eq', value);
  }

  /** `key != "value"`: the label is absent or differs from `value`. */
  notEq(value: string): Selector {
    return this.#value('ne', value);
  }

  /** `key contains "value"` (Calico v3.6+): the label is present and contains `value`. */
  contains(value: string): Selector {
    return this.#value('contains', value);
  }

  /** `key starts with "value"` (Calico v3.6+): the label is present and starts with `value`. */
  startsWith(value: string): Selector {
    return this.#value('startsWith', value);
  }

  /** `key ends with "value"` (Calico v3.6+): the label is present and ends with `value`. */
  endsWith(value: string): Selector {
    return this.#value('endsWith', value);
  }

  /**
   * `key in {...}`: the label is present with one of `values`. The set is written sorted and
   * de-duplicated; an empty set matches nothing.
   */
  in(values: Iterable<string>): Selector {
    return this.#wrap(labelSetNode('in', this.key, this.#values(values, 'in')));
  }

  /**
   * `key not in {...}`: the label is absent or has none of `values`. An empty set matches
   * everything.
   */
  notIn(values: Iterable<string>): Selector {
    return this.#wrap(labelSetNode('notIn', this.key, this.#values(values, 'notIn')));
  }

  #value(kind: LabelValueOperator, value: string): Selector {
    return this.#wrap(labelValueNode(kind, this.key, checkSelectorValue(value, `${this.key} ${kind}`)));
  }

  #values(values: Iterable<string>, kind: string): string[] {
    if (typeof values === 'string' || values === null || typeof values !== 'object' || !(Symbol.iterator in values)) {
      throw new SelectorBuildError(
        `Selector.label(${JSON.stringify(this.key)}).${kind}() needs an array (or other iterable) of strings.`,
        values,
      );
    }
    return Array.from(values, (v, i) => checkSelectorValue(v, `${this.key} ${kind} [${i}]`));
  }
}
