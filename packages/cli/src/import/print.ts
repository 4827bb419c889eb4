/**
 * Expressions of the generated stack: plain data, calls of the library's
 * builders (`MarathonPort.tcp(...)`, `Selector.parse(...)`), and references
 * to variables, printed as TypeScript source. Objects and lists go on one
 * line when short, one entry per line otherwise.
 */

/** Where an imported name comes from. */
export type ModuleName = '@dcos-cdk/core' | '@dcos-cdk/dcos' | '@dcos-cdk/calico' | '@dcos-cdk/marathon';

/** A reference to a variable of the generated code. */
export class Ref {
  constructor(public readonly name: string) {}
}

/** A call of an imported builder: `MarathonPort.tcp('http', 80)`. */
export class Call {
  constructor(
    /** The imported name (`MarathonPort`). */
    public readonly name: string,
    /** Its module. */
    public readonly module: ModuleName,
    /** The member called (`tcp`), or undefined to call `name` itself. */
    public readonly member: string | undefined,
    /** Arguments; trailing undefined ones are left out. */
    public readonly args: readonly Printable[],
  ) {}
}

/** What the printer prints. `undefined` members of objects are left out. */
export type Printable = Ref | Call | string | number | boolean | null | undefined | readonly Printable[] | { readonly [key: string]: Printable };

const WIDTH = 100;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A single-quoted TypeScript string literal. */
export function str(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x2028 || c === 0x2029 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

function key(k: string): string {
  return IDENT.test(k) ? k : str(k);
}

function isObject(v: Printable): v is { readonly [key: string]: Printable } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Ref) && !(v instanceof Call);
}

/** Records the imported names an expression uses. */
export function collectImports(v: Printable, into: Map<ModuleName, Set<string>>): void {
  if (v instanceof Call) {
    (into.get(v.module) ?? into.set(v.module, new Set()).get(v.module)!).add(v.name);
    v.args.forEach((a) => collectImports(a, into));
  } else if (Array.isArray(v)) v.forEach((x: Printable) => collectImports(x, into));
  else if (isObject(v)) Object.values(v).forEach((x) => collectImports(x, into));
}

function number(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot print ${n} as a JSON number`);
  return Object.is(n, -0) ? '0' : String(n);
}

/**
 * Prints `v`; `indent` is the indentation of the line it starts on, `column`
 * the column it starts at (for the line-width decisions).
 */
export function print(v: Printable, indent = 0, column = indent): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return number(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Ref) return v.name;
  if (v instanceof Call) {
    const args = [...v.args];
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const head = `${v.name}${v.member === undefined ? '' : `.${v.member}`}`;
    return `${head}(${list(args, indent, column + head.length + 1, ')')})`;
  }
  if (Array.isArray(v)) return `[${list(v, indent, column + 1, ']')}]`;
  const entries = Object.entries(v as { readonly [key: string]: Printable }).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  const one = `{ ${entries.map(([k, x]) => `${key(k)}: ${print(x, indent, -1e9)}`).join(', ')} }`;
  if (!one.includes('\n') && column + one.length + 2 <= WIDTH) return one;
  const pad = ' '.repeat(indent + 2);
  return `{\n${entries.map(([k, x]) => `${pad}${key(k)}: ${print(x, indent + 2, indent + 4 + key(k).length)},`).join('\n')}\n${' '.repeat(indent)}}`;
}

/** Items separated by commas: on one line when short, else one per line. */
function list(items: readonly Printable[], indent: number, column: number, close: string): string {
  if (items.length === 0) return '';
  const one = items.map((x) => print(x, indent, -1e9)).join(', ');
  if (!one.includes('\n') && column + one.length + close.length + 2 <= WIDTH) return one;
  // A last object, list or call argument keeps its opening on the call's line after short leading arguments.
  const last = items[items.length - 1]!;
  const head = items.slice(0, -1);
  if ((isObject(last) || Array.isArray(last) || last instanceof Call) && head.every((x) => !isObject(x) && !Array.isArray(x) && !(x instanceof Call))) {
    const text = head.map((x) => print(x, indent)).join(', ');
    const at = column + text.length + (head.length > 0 ? 2 : 0);
    if (!text.includes('\n') && at + 10 <= WIDTH) return `${text}${head.length > 0 ? ', ' : ''}${print(last, indent, at)}`;
  }
  const pad = ' '.repeat(indent + 2);
  return `\n${items.map((x) => `${pad}${print(x, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}`;
}
