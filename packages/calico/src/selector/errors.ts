/**
 * Error types of the selector engine.
 *
 * @module
 */

/** How much of the input the error message shows on each side of the failing position. */
const EXCERPT_RADIUS = 60;
/** Longest input quoted in full in the first line of the message. */
const HEADLINE_LIMIT = 200;

/**
 * Thrown when a selector string is not valid Calico selector syntax, or uses grammar that the
 * requested Calico version does not have.
 *
 * The message names the input, the 0-based position and what was expected there, then repeats
 * the input with a caret under the failing character:
 *
 * ```text
 * Invalid selector "app == " at position 7: expected a quoted string after '=='
 *   app ==
 *          ^
 * ```
 */
export class SelectorParseError extends Error {
  /** The selector text that failed to parse, exactly as given. */
  readonly selector: string;
  /** 0-based offset (in UTF-16 code units) of the character or token where parsing failed. */
  readonly position: number;
  /** Short description of what the parser expected at {@link SelectorParseError.position}. */
  readonly expected: string;
  /** Extra explanation, for example which Calico version introduced a construct. */
  readonly hint: string | undefined;

  /**
   * @param selector - the input that failed to parse
   * @param position - 0-based offset of the failure
   * @param expected - short text of what was expected at `position`
   * @param hint - optional extra explanation appended to the message
   */
  constructor(selector: string, position: number, expected: string, hint?: string) {
    super(formatMessage(selector, position, expected, hint));
    this.name = 'SelectorParseError';
    this.selector = selector;
    this.position = position;
    this.expected = expected;
    this.hint = hint;
  }
}

/**
 * Thrown when a selector is built from invalid parts: a malformed label key, a value that
 * cannot be written as a Calico string literal, an invalid AST node, or a composition deeper
 * than {@link SELECTOR_MAX_DEPTH}.
 */
export class SelectorBuildError extends Error {
  /** The offending input, rendered for display. */
  readonly input: string;

  /**
   * @param message - what is wrong and how to fix it
   * @param input - the offending input
   */
  constructor(message: string, input: unknown) {
    super(message);
    this.name = 'SelectorBuildError';
    this.input = typeof input === 'string' ? input : describe(input);
  }
}

/**
 * The deepest nesting of `!`, `&&` and `||` groups a selector may have. Parentheses that add no
 * node (such as `((a == "x"))`) and runs of `!` (which collapse) do not count. The limit keeps
 * every tree walk far from the JavaScript stack limit; real selectors nest a handful of levels.
 */
export const SELECTOR_MAX_DEPTH = 1000;

function describe(input: unknown): string {
  try {
    return typeof input === 'object' && input !== null ? JSON.stringify(input) ?? String(input) : String(input);
  } catch {
    return Object.prototype.toString.call(input);
  }
}

function formatMessage(selector: string, position: number, expected: string, hint: string | undefined): string {
  const quoted =
    selector.length > HEADLINE_LIMIT
      ? `${JSON.stringify(selector.slice(0, HEADLINE_LIMIT))}… (${selector.length} characters)`
      : JSON.stringify(selector);
  const head = `Invalid selector ${quoted} at position ${position}: expected ${expected}`;
  return `${hint === undefined ? head : `${head} (${hint})`}\n${excerpt(selector, position)}`;
}

/** Renders the input around `position` with a caret line under it. */
function excerpt(selector: string, position: number): string {
  const start = Math.max(0, position - EXCERPT_RADIUS);
  const end = Math.min(selector.length, position + EXCERPT_RADIUS);
  const before = start > 0 ? '…' : '';
  const after = end < selector.length ? '…' : '';
  // Control characters would shift or break the caret line, so show them as spaces.
  const shown = selector.slice(start, end).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `  ${before}${shown}${after}\n  ${' '.repeat(before.length + position - start)}^`;
}
