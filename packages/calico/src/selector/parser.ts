/**
 * Parser for Calico label selectors.
 *
 * Grammar (libcalico-go `lib/selector/parser/parser.go`):
 *
 * ```text
 * or  := and ('||' and)*
 * and := op ('&&' op)*
 * op  := '!'* ( has(k) | all() | global() | '(' or ')'
 *             | k '==' str | k '!=' str | k 'in' set | k 'not in' set
 *             | k 'contains' str | k 'starts with' str | k 'ends with' str )
 * set := '{' [str (',' str)* [',']] '}'
 * ```
 *
 * The tree it builds is the one Calico builds, so the canonical string and unique id match:
 * a chain `a && b && c` is one n-ary node, a parenthesised group stays a separate node, a run of
 * `!` collapses by parity (`!!x` is `x`), and an empty selector is `all()`.
 *
 * The parser keeps its own stack of open parentheses instead of recursing, so any nesting of
 * parentheses parses; the resulting tree must stay within `SELECTOR_MAX_DEPTH`.
 *
 * @module
 */

import {
  ALL_NODE,
  GLOBAL_NODE,
  hasNode,
  junctionNode,
  labelSetNode,
  labelValueNode,
  notNode,
  type LabelSetOperator,
  type LabelValueOperator,
  type SelectorNode,
} from './ast.js';
import { SELECTOR_MAX_DEPTH, SelectorParseError } from './errors.js';
import { SelectorLexer, showChar, type SelectorGrammar, type SelectorToken } from './tokenizer.js';

/** Options for parsing a selector. */
export interface SelectorParseOptions {
  /**
   * The Calico grammar to accept. `'v1'` is calicoctl v1.3 / libcalico-go v1.4.1: it rejects
   * `contains`, `starts with`, `ends with` (Calico v3.6+), `global()` (Calico v3.15+) and label
   * keys the old tokenizer misreads as operators (such as `in-x`). Calico v3.0 to v3.5 read
   * the same grammar.
   *
   * @default 'v3'
   */
  readonly calicoVersion?: SelectorGrammar;
}

/** A parsed tree with its depth. */
export interface ParsedSelector {
  /** The root node. */
  readonly root: SelectorNode;
  /** Nodes on the longest root-to-leaf path (a single term has depth 1). */
  readonly depth: number;
}

/** One open parenthesis group (or the whole selector) being parsed. */
interface Group {
  /** Offset of the `(`, or -1 for the whole selector. */
  readonly open: number;
  /** Whether an odd number of `!` preceded the `(`. */
  readonly negated: boolean;
  /** Finished `&&` chains, each one operand of the group's `||`. */
  readonly ors: SelectorNode[];
  orDepth: number;
  /** Operands of the `&&` chain being read. */
  ands: SelectorNode[];
  andDepth: number;
}

const TERM = "a label key, has(...), all(), global(), '!' or '('";

const VALUE_OPERATORS: Partial<Record<SelectorToken['kind'], LabelValueOperator>> = {
  eq: 'eq',
  ne: 'ne',
  contains: 'contains',
  startsWith: 'startsWith',
  endsWith: 'endsWith',
};

const OPERATOR_SPELLING: Partial<Record<SelectorToken['kind'], string>> = {
  eq: "'=='",
  ne: "'!='",
  contains: "'contains'",
  startsWith: "'starts with'",
  endsWith: "'ends with'",
  in: "'in'",
  notIn: "'not in'",
};

/**
 * Parses a selector into a frozen syntax tree.
 *
 * @param text - the selector; empty or blank means `all()`
 * @param options - grammar options
 * @throws {@link SelectorParseError} when the text is not a valid selector for the grammar
 */
export function parseSelectorTree(text: string, options?: SelectorParseOptions): ParsedSelector {
  if (typeof text !== 'string') {
    throw new SelectorParseError(String(text), 0, 'a selector string', `got ${text === null ? 'null' : typeof text}`);
  }
  const grammar = options?.calicoVersion ?? 'v3';
  if (grammar !== 'v1' && grammar !== 'v3') {
    throw new SelectorParseError(text, 0, 'a valid calicoVersion option', `calicoVersion must be 'v1' or 'v3', got ${String(grammar)}`);
  }
  const lexer = new SelectorLexer(text, grammar);
  const fail = (tok: SelectorToken, expected: string, hint?: string): never => {
    throw new SelectorParseError(text, tok.position, expected, hint ?? found(tok));
  };

  let tok = lexer.next();
  if (tok.kind === 'eof') return { root: ALL_NODE, depth: 1 };

  const stack: Group[] = [];
  let group = openGroup(-1, false);

  for (;;) {
    // A term is expected here.
    let negated = false;
    let sawNot = false;
    while (tok.kind === 'not') {
      negated = !negated;
      sawNot = true;
      tok = lexer.next();
    }
    if (tok.kind === 'lparen') {
      stack.push(group);
      group = openGroup(tok.position, negated);
      tok = lexer.next();
      continue;
    }

    let node: SelectorNode;
    switch (tok.kind) {
      case 'has':
        node = hasNode(tok.value);
        break;
      case 'all':
        node = ALL_NODE;
        break;
      case 'global':
        node = GLOBAL_NODE;
        break;
      case 'label': {
        const key = tok.value;
        const op = lexer.next();
        const valueOp = VALUE_OPERATORS[op.kind];
        if (valueOp !== undefined) {
          tok = lexer.next();
          if (tok.kind !== 'string') fail(tok, `a quoted string after ${OPERATOR_SPELLING[op.kind]}`);
          node = labelValueNode(valueOp, key, tok.value);
        } else if (op.kind === 'in' || op.kind === 'notIn') {
          node = readSet(lexer, op, key, fail);
        } else {
          const list = grammar === 'v1' ? "'==', '!=', 'in' or 'not in'" : "'==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'";
          return fail(op, `an operator after label '${key}': ${list}`);
        }
        break;
      }
      default: {
        const after = sawNot ? "'!'" : previous(group, stack.length > 0);
        return fail(tok, after === undefined ? TERM : `${TERM} after ${after}`);
      }
    }
    tok = lexer.next();
    let depth = 1;
    if (negated) {
      node = notNode(node);
      depth = 2;
    }

    // A term has been read: attach it, then close any groups that end here.
    for (;;) {
      group.ands.push(node);
      if (depth > group.andDepth) group.andDepth = depth;

      if (tok.kind === 'and') {
        tok = lexer.next();
        break;
      }
      if (tok.kind === 'or') {
        endAndChain(group, tok, text);
        tok = lexer.next();
        break;
      }
      if (tok.kind === 'rparen' && stack.length > 0) {
        endAndChain(group, tok, text);
        ({ node, depth } = endGroup(group, tok, text));
        group = stack.pop()!;
        tok = lexer.next();
        continue;
      }
      if (tok.kind === 'eof' && stack.length === 0) {
        endAndChain(group, tok, text);
        const done = endGroup(group, tok, text);
        return { root: done.node, depth: done.depth };
      }
      if (stack.length === 0) return fail(tok, "'&&', '||' or the end of the selector");
      return fail(tok, `'&&', '||' or ')' to close the '(' at position ${group.open}`);
    }
  }
}

function openGroup(open: number, negated: boolean): Group {
  return { open, negated, ors: [], orDepth: 0, ands: [], andDepth: 0 };
}

/** Text naming what came before a missing term, for error messages. */
function previous(group: Group, nested: boolean): string | undefined {
  if (group.ands.length > 0) return "'&&'";
  if (group.ors.length > 0) return "'||'";
  return nested ? "'('" : undefined;
}

/** Describes the token actually found, for the error hint. */
function found(tok: SelectorToken): string {
  switch (tok.kind) {
    case 'eof':
      return 'found the end of the selector';
    case 'unknown':
      return `found ${showChar(tok.value)}, which cannot start a token`;
    case 'label':
      return `found label '${tok.value}'`;
    case 'string':
      return `found the string ${JSON.stringify(tok.value)}`;
    default:
      return `found ${tokenText(tok.kind)}`;
  }
}

function tokenText(kind: SelectorToken['kind']): string {
  const fixed: Partial<Record<SelectorToken['kind'], string>> = {
    lbrace: "'{'",
    rbrace: "'}'",
    comma: "','",
    not: "'!'",
    has: 'has(...)',
    all: 'all()',
    global: 'global()',
    lparen: "'('",
    rparen: "')'",
    and: "'&&'",
    or: "'||'",
  };
  return fixed[kind] ?? OPERATOR_SPELLING[kind] ?? kind;
}

/** Folds the `&&` chain being read into one operand of the group's `||`. */
function endAndChain(group: Group, at: SelectorToken, text: string): void {
  const { ands } = group;
  const node = ands.length === 1 ? ands[0]! : junctionNode('and', ands);
  const depth = ands.length === 1 ? group.andDepth : checkDepth(group.andDepth + 1, at, text);
  group.ors.push(node);
  if (depth > group.orDepth) group.orDepth = depth;
  group.ands = [];
  group.andDepth = 0;
}

/** Builds the node for a finished group, applying the negation that preceded its `(`. */
function endGroup(group: Group, at: SelectorToken, text: string): { node: SelectorNode; depth: number } {
  const { ors } = group;
  let node = ors.length === 1 ? ors[0]! : junctionNode('or', ors);
  let depth = ors.length === 1 ? group.orDepth : checkDepth(group.orDepth + 1, at, text);
  if (group.negated) {
    node = notNode(node);
    depth = checkDepth(depth + 1, at, text);
  }
  return { node, depth };
}

function checkDepth(depth: number, at: SelectorToken, text: string): number {
  if (depth > SELECTOR_MAX_DEPTH) {
    throw new SelectorParseError(
      text,
      at.position,
      `at most ${SELECTOR_MAX_DEPTH} levels of nested '!', '&&' and '||' groups`,
      'simplify the selector',
    );
  }
  return depth;
}

/** Reads `{ "a", "b", }` after `in` / `not in`. */
function readSet(
  lexer: SelectorLexer,
  op: SelectorToken,
  key: string,
  fail: (tok: SelectorToken, expected: string) => never,
): SelectorNode {
  const spelled = OPERATOR_SPELLING[op.kind];
  const brace = lexer.next();
  if (brace.kind !== 'lbrace') fail(brace, `'{' to start the set after ${spelled}`);
  const values: string[] = [];
  let tok = lexer.next();
  for (;;) {
    if (tok.kind === 'rbrace') break;
    if (tok.kind !== 'string') fail(tok, `a quoted string or '}' in the set after ${spelled}`);
    values.push(tok.value);
    tok = lexer.next();
    if (tok.kind === 'comma') {
      tok = lexer.next();
    } else if (tok.kind !== 'rbrace') {
      fail(tok, `',' or '}' in the set after ${spelled}`);
    }
  }
  return labelSetNode(op.kind as LabelSetOperator, key, values);
}
