/**
 * Tokenizer for Calico label selectors.
 *
 * It follows libcalico-go's tokenizer (`lib/selector/tokenizer/tokenizer.go`): whitespace is
 * spaces and tabs only; strings are quoted with `"` or `'` and have no escapes; a word that
 * follows a label is read as an operator (`in`, `not in`/`notin`, `contains`,
 * `starts with`/`startswith`, `ends with`/`endswith`) and must end at a word boundary.
 *
 * @module
 */

import { SelectorParseError } from './errors.js';

/** Which grammar a selector is read with. `'v3'` is the newest Calico grammar. */
export type SelectorGrammar = 'v1' | 'v3';

/** The kinds of token a selector is made of. */
export type SelectorTokenKind =
  | 'label'
  | 'string'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'eq'
  | 'ne'
  | 'not'
  | 'in'
  | 'notIn'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'has'
  | 'all'
  | 'global'
  | 'lparen'
  | 'rparen'
  | 'and'
  | 'or'
  | 'unknown'
  | 'eof';

/** One token of a selector with its place in the input. */
export interface SelectorToken {
  /** What the token is. */
  readonly kind: SelectorTokenKind;
  /**
   * The label key for `label` and `has`, the contents (without quotes) for `string`, the
   * offending character for `unknown`, and `''` for every other kind.
   */
  readonly value: string;
  /** 0-based offset of the token's first character. */
  readonly position: number;
  /** 0-based offset just past the token's last character. */
  readonly end: number;
}

/** Longest label key Calico accepts (`MaxLabelLength` in libcalico-go). */
export const MAX_LABEL_KEY_LENGTH = 512;

const SPACE = 0x20;
const TAB = 0x09;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** True for the characters a label key may contain: `[a-zA-Z0-9_./-]`. */
function isLabelChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2e || // .
    c === 0x2f || // /
    c === 0x2d // -
  );
}

/** True for `[A-Za-z0-9_]`, the characters Go's regexp `\b` treats as word characters. */
function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * Whether `key` is a valid Calico selector label key: 1 to 512 characters from `[a-zA-Z0-9_./-]`.
 *
 * @param key - the candidate key
 */
export function isSelectorLabelKey(key: string): boolean {
  const n = key.length;
  if (n === 0 || n > MAX_LABEL_KEY_LENGTH) return false;
  for (let i = 0; i < n; i++) if (!isLabelChar(key.charCodeAt(i))) return false;
  return true;
}

const V1_OPERATORS = "'==', '!=', 'in' or 'not in'";
const V3_OPERATORS = "'==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'";

/**
 * Reads tokens one at a time. The parser pulls tokens so that a character no token can start
 * with is reported with the parser's own expectation; {@link tokenizeSelector} turns the whole
 * input into tokens at once.
 */
export class SelectorLexer {
  readonly #input: string;
  readonly #grammar: SelectorGrammar;
  #pos = 0;
  #last: SelectorTokenKind | undefined;
  #lastValue = '';

  /**
   * @param input - the selector text
   * @param grammar - `'v1'` rejects what Calico v1 (libcalico-go v1.4) cannot read
   */
  constructor(input: string, grammar: SelectorGrammar = 'v3') {
    this.#input = input;
    this.#grammar = grammar;
  }

  /**
   * Reads the next token. After the end of input it keeps returning `eof`.
   *
   * @throws {@link SelectorParseError} on input no token can be read from (an unterminated
   * string, a lone `=`, `&` or `|`, a malformed `has(`, `all(` or `global(`, a label key longer
   * than 512 characters, a word after a label that is not an operator) and, in the `'v1'`
   * grammar, on constructs Calico v1 does not have.
   */
  next(): SelectorToken {
    const tok = this.#read();
    this.#last = tok.kind;
    this.#lastValue = tok.value;
    return tok;
  }

  #read(): SelectorToken {
    const input = this.#input;
    const len = input.length;
    let pos = this.#pos;
    while (pos < len) {
      const c = input.charCodeAt(pos);
      if (c !== SPACE && c !== TAB) break;
      pos++;
    }
    if (pos >= len) {
      this.#pos = len;
      return { kind: 'eof', value: '', position: len, end: len };
    }
    const c = input.charCodeAt(pos);
    switch (c) {
      case 0x28: // (
        return this.#emit('lparen', '', pos, pos + 1);
      case 0x29: // )
        return this.#emit('rparen', '', pos, pos + 1);
      case 0x7b: // {
        return this.#emit('lbrace', '', pos, pos + 1);
      case 0x7d: // }
        return this.#emit('rbrace', '', pos, pos + 1);
      case 0x2c: // ,
        return this.#emit('comma', '', pos, pos + 1);
      case DQUOTE:
      case SQUOTE: {
        const close = input.indexOf(c === DQUOTE ? '"' : "'", pos + 1);
        if (close < 0) {
          const q = c === DQUOTE ? '"' : "'";
          throw this.#error(pos, `a closing ${q} for the string that starts here`, 'selector strings have no escapes');
        }
        return this.#emit('string', input.slice(pos + 1, close), pos, close + 1);
      }
      case 0x3d: // =
        if (input.charCodeAt(pos + 1) === 0x3d) return this.#emit('eq', '', pos, pos + 2);
        throw this.#error(pos, "'=='", "a single '=' is not an operator");
      case 0x21: // !
        if (input.charCodeAt(pos + 1) === 0x3d) return this.#emit('ne', '', pos, pos + 2);
        return this.#emit('not', '', pos, pos + 1);
      case 0x26: // &
        if (input.charCodeAt(pos + 1) === 0x26) return this.#emit('and', '', pos, pos + 2);
        throw this.#error(pos, "'&&'", "a single '&' is not an operator");
      case 0x7c: // |
        if (input.charCodeAt(pos + 1) === 0x7c) return this.#emit('or', '', pos, pos + 2);
        throw this.#error(pos, "'||'", "a single '|' is not an operator");
      default:
        return this.#last === 'label' ? this.#readOperator(pos) : this.#readTerm(pos);
    }
  }

  #emit(kind: SelectorTokenKind, value: string, position: number, end: number): SelectorToken {
    this.#pos = end;
    return { kind, value, position, end };
  }

  /** After a label only an operator word may follow. */
  #readOperator(pos: number): SelectorToken {
    let end: number;
    if ((end = this.#words(pos, 'contains')) >= 0) return this.#newOperator('contains', pos, end, "'contains'");
    if ((end = this.#words(pos, 'starts', 'with')) >= 0) return this.#newOperator('startsWith', pos, end, "'starts with'");
    if ((end = this.#words(pos, 'ends', 'with')) >= 0) return this.#newOperator('endsWith', pos, end, "'ends with'");
    if ((end = this.#words(pos, 'not', 'in')) >= 0) return this.#emit('notIn', '', pos, end);
    if ((end = this.#words(pos, 'in')) >= 0) return this.#emit('in', '', pos, end);
    throw this.#error(pos, `an operator after label '${this.#lastValue}': ${this.#operators()}`);
  }

  #newOperator(kind: SelectorTokenKind, pos: number, end: number, shown: string): SelectorToken {
    if (this.#grammar === 'v1') {
      throw this.#error(pos, V1_OPERATORS, `${shown} needs Calico v3.6 or later; the selector was read as Calico v1`);
    }
    return this.#emit(kind, '', pos, end);
  }

  #operators(): string {
    return this.#grammar === 'v1' ? V1_OPERATORS : V3_OPERATORS;
  }

  /**
   * Matches a sequence of words separated by optional spaces or tabs, ending at a word boundary
   * (the end of input or a character that cannot be part of a label). Returns the end offset, or
   * -1 when the words are not there.
   */
  #words(pos: number, ...words: string[]): number {
    const input = this.#input;
    let p = pos;
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      if (!input.startsWith(word, p)) return -1;
      p += word.length;
      if (w < words.length - 1) p = this.#skipBlanks(p);
    }
    return p >= input.length || !isLabelChar(input.charCodeAt(p)) ? p : -1;
  }

  #skipBlanks(pos: number): number {
    const input = this.#input;
    while (pos < input.length) {
      const c = input.charCodeAt(pos);
      if (c !== SPACE && c !== TAB) break;
      pos++;
    }
    return pos;
  }

  /** Reads what can start a term: `has(k)`, `all()`, `global()` or a label key. */
  #readTerm(pos: number): SelectorToken {
    const input = this.#input;
    if (input.startsWith('has(', pos)) {
      const keyStart = this.#skipBlanks(pos + 4);
      const keyEnd = this.#labelEnd(keyStart);
      if (keyEnd === keyStart) throw this.#error(keyStart, "a label key inside 'has('");
      this.#checkKeyLength(keyStart, keyEnd);
      const close = this.#skipBlanks(keyEnd);
      if (input.charCodeAt(close) !== 0x29) throw this.#error(close, `')' to close 'has(${input.slice(keyStart, keyEnd)}'`);
      return this.#emit('has', input.slice(keyStart, keyEnd), pos, close + 1);
    }
    if (input.startsWith('all(', pos)) {
      const close = this.#skipBlanks(pos + 4);
      if (input.charCodeAt(close) !== 0x29) throw this.#error(close, "')' after 'all('");
      return this.#emit('all', '', pos, close + 1);
    }
    if (input.startsWith('global(', pos)) {
      const close = this.#skipBlanks(pos + 7);
      if (input.charCodeAt(close) !== 0x29) throw this.#error(close, "')' after 'global('");
      if (this.#grammar === 'v1') {
        throw this.#error(pos, 'a label key, has(...), all(), \'!\' or \'(\'', 'global() needs Calico v3.15 or later; the selector was read as Calico v1');
      }
      return this.#emit('global', '', pos, close + 1);
    }
    const end = this.#labelEnd(pos);
    if (end === pos) {
      // Not the start of any token: hand it to the parser, which knows what it expected.
      const cp = input.codePointAt(pos)!;
      const ch = String.fromCodePoint(cp);
      return this.#emit('unknown', ch, pos, pos + ch.length);
    }
    this.#checkKeyLength(pos, end);
    if (this.#grammar === 'v1') this.#checkV1Key(pos);
    return this.#emit('label', input.slice(pos, end), pos, end);
  }

  #labelEnd(pos: number): number {
    const input = this.#input;
    while (pos < input.length && isLabelChar(input.charCodeAt(pos))) pos++;
    return pos;
  }

  #checkKeyLength(start: number, end: number): void {
    if (end - start > MAX_LABEL_KEY_LENGTH) {
      throw this.#error(start, `a label key of at most ${MAX_LABEL_KEY_LENGTH} characters (this one has ${end - start})`);
    }
  }

  /**
   * libcalico-go before v3.6 (so calicoctl v1.x) tokenised with regular expressions that try
   * `not\s*in\b` and `in\b` before a label at every position, so a key such as `in-x`, `in.y`,
   * `notin` or `not` followed by the `in` operator is read as an operator and the selector fails.
   */
  #checkV1Key(pos: number): void {
    const input = this.#input;
    let end = -1;
    if (input.startsWith('in', pos)) {
      end = pos + 2;
    } else if (input.startsWith('not', pos)) {
      let p = pos + 3;
      while (p < input.length) {
        const c = input.charCodeAt(p);
        if (c !== SPACE && c !== TAB && c !== 0x0a && c !== 0x0c && c !== 0x0d) break;
        p++;
      }
      if (input.startsWith('in', p)) end = p + 2;
    }
    if (end >= 0 && (end >= input.length || !isWordChar(input.charCodeAt(end)))) {
      throw this.#error(
        pos,
        'a label key that Calico v1 can read',
        `libcalico-go before v3.6 reads ${JSON.stringify(input.slice(pos, end))} here as the ` +
          `'${end - pos === 2 ? 'in' : 'not in'}' operator; rename the label key or target Calico v3.6 or later`,
      );
    }
  }

  #error(position: number, expected: string, hint?: string): SelectorParseError {
    return new SelectorParseError(this.#input, position, expected, hint);
  }
}

/**
 * Shows a character in an error message: quoted when printable, as `U+XXXX` otherwise, so the
 * message stays on one line.
 */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

/**
 * Splits a selector into tokens, ending with an `eof` token.
 *
 * @param input - the selector text
 * @param grammar - the Calico grammar to read it with
 * @default grammar 'v3'
 * @throws {@link SelectorParseError} on any input that is not a sequence of valid tokens
 *
 * @example
 * tokenizeSelector('app == "web"').map((t) => t.kind); // ['label', 'eq', 'string', 'eof']
 */
export function tokenizeSelector(input: string, grammar: SelectorGrammar = 'v3'): SelectorToken[] {
  const lexer = new SelectorLexer(input, grammar);
  const tokens: SelectorToken[] = [];
  for (;;) {
    const tok = lexer.next();
    if (tok.kind === 'unknown') {
      throw new SelectorParseError(input, tok.position, "a label key, a quoted string, an operator or a bracket", `${showChar(tok.value)} cannot start a token`);
    }
    tokens.push(tok);
    if (tok.kind === 'eof') return tokens;
  }
}
