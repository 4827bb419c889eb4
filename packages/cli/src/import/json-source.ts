/**
 * A strict JSON parser that keeps the position of every value, so that a
 * problem anywhere in a Marathon file is reported as file:line:column.
 * Strict as Marathon's own reader is: no comments, no trailing commas, no
 * single quotes; a key given twice is an error (readers disagree on which
 * one wins).
 */
import { lineColumn, type ImportIssue } from './issues.js';

/** A parsed JSON value with its offset in the text. */
export type JsonNode =
  | { readonly kind: 'object'; readonly offset: number; readonly entries: ReadonlyArray<{ readonly key: string; readonly keyOffset: number; readonly value: JsonNode }> }
  | { readonly kind: 'array'; readonly offset: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'scalar'; readonly offset: number; readonly value: string | number | boolean | null };

/** A path into a JSON document: keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** A parsed JSON file. */
export interface JsonSource {
  readonly file: string;
  readonly text: string;
  readonly root: JsonNode;
  /** The document as plain data. */
  readonly value: unknown;
  /** Position of the value at `path` (its key with `atKey`), or of its nearest existing ancestor. */
  locate(path: JsonPath, atKey?: boolean): { line: number; column: number };
}

class Fail extends Error {
  constructor(
    public readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): JsonNode {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) throw new Fail(this.i, `unexpected ${this.describe()} after the JSON value`);
    return v;
  }

  private describe(): string {
    if (this.i >= this.s.length) return 'end of file';
    const c = this.s[this.i]!;
    if (c === '/' && (this.s[this.i + 1] === '/' || this.s[this.i + 1] === '*')) return 'comment (JSON has no comments)';
    return `character '${c}'`;
  }

  private ws(): void {
    while (this.i < this.s.length && WS.has(this.s.charCodeAt(this.i))) this.i++;
  }

  private value(depth: number): JsonNode {
    if (depth > 500) throw new Fail(this.i, 'the document nests too deeply');
    const c = this.s[this.i];
    const offset = this.i;
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return { kind: 'scalar', offset, value: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { kind: 'scalar', offset, value: this.number() };
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return { kind: 'scalar', offset, value };
      }
    }
    if (c === "'") throw new Fail(this.i, 'strings must use double quotes in JSON');
    throw new Fail(this.i, `expected a JSON value, found ${this.describe()}`);
  }

  private object(depth: number): JsonNode {
    const offset = this.i++;
    const entries: Array<{ key: string; keyOffset: number; value: JsonNode }> = [];
    const seen = new Map<string, number>();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', offset, entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') throw new Fail(this.i, this.s[this.i] === '}' ? 'trailing comma before }' : `expected a key in double quotes, found ${this.describe()}`);
      const keyOffset = this.i;
      const key = this.string();
      if (seen.has(key)) throw new Fail(keyOffset, `key "${key}" appears twice in this object (JSON readers disagree on which one wins)`);
      seen.set(key, keyOffset);
      this.ws();
      if (this.s[this.i] !== ':') throw new Fail(this.i, `expected ':' after key "${key}", found ${this.describe()}`);
      this.i++;
      this.ws();
      entries.push({ key, keyOffset, value: this.value(depth + 1) });
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { kind: 'object', offset, entries };
      }
      throw new Fail(this.i, `expected ',' or '}' in an object, found ${this.describe()}`);
    }
  }

  private array(depth: number): JsonNode {
    const offset = this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', offset, items };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') throw new Fail(this.i, 'trailing comma before ]');
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { kind: 'array', offset, items };
      }
      throw new Fail(this.i, `expected ',' or ']' in an array, found ${this.describe()}`);
    }
  }

  private string(): string {
    const start = this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new Fail(start, 'unterminated string');
      const c = this.s[this.i]!;
      const code = c.charCodeAt(0);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (code < 0x20) throw new Fail(this.i, 'control character in a string (write it escaped, e.g. \\n)');
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = this.s[this.i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else throw new Fail(this.i, 'invalid escape sequence in a string');
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) throw new Fail(this.i, 'invalid number');
    this.i += m[0].length;
    return Number(m[0]);
  }
}

function toValue(n: JsonNode): unknown {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'array') return n.items.map(toValue);
  const o: Record<string, unknown> = {};
  for (const e of n.entries) o[e.key] = toValue(e.value);
  return o;
}

/** The node at `path`, and how deep the path could be followed. */
export function nodeAt(root: JsonNode, path: JsonPath): { node: JsonNode; depth: number; keyOffset?: number } {
  let node = root;
  let keyOffset: number | undefined;
  for (let d = 0; d < path.length; d++) {
    const step = path[d]!;
    if (node.kind === 'object' && typeof step === 'string') {
      const e = node.entries.find((x) => x.key === step);
      if (!e) return { node, depth: d };
      node = e.value;
      keyOffset = e.keyOffset;
    } else if (node.kind === 'array' && typeof step === 'number' && node.items[step]) {
      node = node.items[step]!;
      keyOffset = undefined;
    } else return { node, depth: d };
  }
  return { node, depth: path.length, ...(keyOffset !== undefined ? { keyOffset } : {}) };
}

/**
 * Parses `text` as strict JSON.
 *
 * @returns the source, or the issue that stopped the parse (with its position)
 */
export function parseJsonSource(file: string, text: string): JsonSource | ImportIssue {
  let root: JsonNode;
  try {
    root = new Parser(text).parse();
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { severity: 'error', file, ...lineColumn(text, e.offset), message: `malformed JSON: ${e.message}.`, fix: 'Fix the JSON syntax; Marathon reads strict JSON.' };
  }
  return {
    file,
    text,
    root,
    value: toValue(root),
    locate(path, atKey = false) {
      const found = nodeAt(root, path);
      const offset = atKey && found.depth === path.length && found.keyOffset !== undefined ? found.keyOffset : found.node.offset;
      return lineColumn(text, offset);
    },
  };
}
