/**
 * A small TOML reader for the dcos CLI's `dcos.toml`: tables (`[core]`,
 * `[a.b]`, quoted keys), dotted keys, basic and literal strings (incl.
 * multi-line), booleans, integers, floats, and arrays of those. No inline
 * tables, no dates (they are read as strings). No dependency.
 */

/** A TOML value this reader understands. */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;

/** A TOML table. */
export interface TomlTable {
  [key: string]: TomlValue;
}

/** Raised on input this reader cannot parse; names the line. */
export class TomlError extends Error {
  constructor(message: string, line: number, source?: string) {
    super(`${source ? `${source}:` : 'line '}${line}: ${message}`);
    this.name = 'TomlError';
  }
}

class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly source: string | undefined,
  ) {}

  get line(): number {
    return this.text.slice(0, this.pos).split('\n').length;
  }
  peek(n = 0): string {
    return this.text[this.pos + n] ?? '';
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  fail(message: string): never {
    throw new TomlError(message, this.line, this.source);
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  /** Skips spaces, newlines and comments. */
  skipBlank(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.pos++;
      else if (c === '#') while (this.pos < this.text.length && this.peek() !== '\n') this.pos++;
      else return;
    }
  }
  /** After a value or header: only spaces and a comment until the end of the line. */
  endOfLine(): void {
    this.skipSpaces();
    if (this.peek() === '#') while (this.pos < this.text.length && this.peek() !== '\n') this.pos++;
    if (this.peek() === '\r') this.pos++;
    if (this.pos < this.text.length && this.peek() !== '\n') this.fail(`unexpected '${this.peek()}'`);
  }
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };

function basicString(c: Cursor, multi: boolean): string {
  c.pos += multi ? 3 : 1;
  if (multi && c.peek() === '\n') c.pos++;
  else if (multi && c.startsWith('\r\n')) c.pos += 2;
  let out = '';
  for (;;) {
    if (c.pos >= c.text.length) c.fail('unterminated string');
    if (multi ? c.startsWith('"""') : c.peek() === '"') {
      c.pos += multi ? 3 : 1;
      return out;
    }
    const ch = c.peek();
    if (!multi && ch === '\n') c.fail('newline in a string');
    if (ch === '\\') {
      const e = c.peek(1);
      if (multi && (e === '\n' || e === ' ' || e === '\r')) {
        c.pos++;
        while (/\s/.test(c.peek())) c.pos++;
        continue;
      }
      if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        const hex = c.text.slice(c.pos + 2, c.pos + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) c.fail('bad unicode escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        c.pos += 2 + len;
        continue;
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) c.fail(`bad escape '\\${e}'`);
      out += mapped;
      c.pos += 2;
      continue;
    }
    out += ch;
    c.pos++;
  }
}

function literalString(c: Cursor, multi: boolean): string {
  c.pos += multi ? 3 : 1;
  if (multi && c.peek() === '\n') c.pos++;
  const end = c.text.indexOf(multi ? "'''" : "'", c.pos);
  if (end < 0) c.fail('unterminated string');
  const out = c.text.slice(c.pos, end);
  if (!multi && out.includes('\n')) c.fail('newline in a string');
  c.pos = end + (multi ? 3 : 1);
  return out;
}

function key(c: Cursor): string[] {
  const parts: string[] = [];
  for (;;) {
    c.skipSpaces();
    const ch = c.peek();
    if (ch === '"') parts.push(basicString(c, false));
    else if (ch === "'") parts.push(literalString(c, false));
    else {
      const m = /^[A-Za-z0-9_-]+/.exec(c.text.slice(c.pos));
      if (!m) c.fail(`expected a key, found '${ch || 'end of file'}'`);
      parts.push(m[0]);
      c.pos += m[0].length;
    }
    c.skipSpaces();
    if (c.peek() !== '.') return parts;
    c.pos++;
  }
}

function value(c: Cursor): TomlValue {
  c.skipSpaces();
  if (c.startsWith('"""')) return basicString(c, true);
  if (c.startsWith("'''")) return literalString(c, true);
  const ch = c.peek();
  if (ch === '"') return basicString(c, false);
  if (ch === "'") return literalString(c, false);
  if (ch === '[') {
    c.pos++;
    const items: TomlValue[] = [];
    for (;;) {
      c.skipBlank();
      if (c.peek() === ']') {
        c.pos++;
        return items;
      }
      items.push(value(c));
      c.skipBlank();
      if (c.peek() === ',') c.pos++;
      else if (c.peek() !== ']') c.fail("expected ',' or ']' in an array");
    }
  }
  if (ch === '{') c.fail('inline tables are not supported');
  const m = /^[^\s,\]#]+/.exec(c.text.slice(c.pos));
  if (!m) c.fail('expected a value');
  const raw = m[0];
  c.pos += raw.length;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const num = raw.replace(/_/g, '');
  if (/^[+-]?(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+)$/.test(num)) return Number(num.replace(/^\+/, ''));
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(num)) return Number(num);
  if (/^[+-]?(inf|nan)$/.test(num)) return num.endsWith('inf') ? (num.startsWith('-') ? -Infinity : Infinity) : NaN;
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) return raw;
  return c.fail(`cannot read value '${raw}'`);
}

function tableAt(root: TomlTable, path: string[], c: Cursor): TomlTable {
  let t = root;
  for (const p of path) {
    const next = t[p];
    if (next === undefined) t = t[p] = {};
    else if (typeof next === 'object' && !Array.isArray(next)) t = next;
    else c.fail(`'${path.join('.')}' is not a table`);
  }
  return t;
}

/** Parses TOML text; `source` (a file name) prefixes error messages. */
export function parseToml(text: string, source?: string): TomlTable {
  const c = new Cursor(text.replace(/^\uFEFF/, ''), source);
  const root: TomlTable = {};
  let table = root;
  for (;;) {
    c.skipBlank();
    if (c.pos >= c.text.length) return root;
    if (c.peek() === '[') {
      if (c.peek(1) === '[') c.fail('arrays of tables are not supported');
      c.pos++;
      const path = key(c);
      if (c.peek() !== ']') c.fail("expected ']'");
      c.pos++;
      c.endOfLine();
      table = tableAt(root, path, c);
      continue;
    }
    const path = key(c);
    if (c.peek() !== '=') c.fail("expected '=' after a key");
    c.pos++;
    const v = value(c);
    c.endOfLine();
    const parent = tableAt(table, path.slice(0, -1), c);
    const last = path[path.length - 1]!;
    if (parent[last] !== undefined) c.fail(`duplicate key '${path.join('.')}'`);
    parent[last] = v;
  }
}

/** Looks up a dotted key (`core.dcos_url`) in a parsed document. */
export function tomlGet(doc: TomlTable, dotted: string): TomlValue | undefined {
  let v: TomlValue | undefined = doc;
  for (const part of dotted.split('.')) {
    if (v === undefined || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = v[part];
  }
  return v;
}
