/**
 * Interning of selectors by canonical form.
 *
 * @module
 */

import type { SelectorParseOptions } from './parser.js';
import { Selector } from './selector.js';

/**
 * Keeps one `Selector` instance per canonical form, so analysis code can compare selectors by
 * identity, key maps by instance and evaluate each distinct selector once.
 *
 * @example
 * const interner = new SelectorInterner();
 * const a = interner.parse('app == "web"');
 * const b = interner.parse("(app == 'web')");
 * a === b; // true
 */
export class SelectorInterner {
  readonly #byCanonical = new Map<string, Selector>();
  /** Parse results by grammar and source text, so repeated texts are parsed once. */
  readonly #byText = new Map<string, Selector>();

  /**
   * Returns the interned instance with the same canonical form as `selector`, adding
   * `selector` itself when there is none yet.
   */
  intern(selector: Selector): Selector {
    const canonical = selector.toString();
    const known = this.#byCanonical.get(canonical);
    if (known !== undefined) return known;
    this.#byCanonical.set(canonical, selector);
    return selector;
  }

  /**
   * Parses `text` (see `Selector.parse`) and interns the result. Texts already seen with the
   * same grammar are not parsed again.
   *
   * @throws {@link SelectorParseError} when `text` is not a valid selector for the grammar
   */
  parse(text: string, options?: SelectorParseOptions): Selector {
    const cacheKey = `${options?.calicoVersion ?? 'v3'}\u0000${text}`;
    const cached = this.#byText.get(cacheKey);
    if (cached !== undefined) return cached;
    const interned = this.intern(Selector.parse(text, options));
    this.#byText.set(cacheKey, interned);
    return interned;
  }

  /** The interned selector with this canonical form, if any. */
  get(canonical: string): Selector | undefined {
    return this.#byCanonical.get(canonical);
  }

  /** Whether a selector with this canonical form has been interned. */
  has(canonical: string): boolean {
    return this.#byCanonical.has(canonical);
  }

  /** How many distinct selectors have been interned. */
  get size(): number {
    return this.#byCanonical.size;
  }

  /** The interned selectors, in the order they were first added. */
  values(): IterableIterator<Selector> {
    return this.#byCanonical.values();
  }

  /** Forgets every interned selector. */
  clear(): void {
    this.#byCanonical.clear();
    this.#byText.clear();
  }
}
