/** A JSON value, the data model of every artifact file. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const NEEDS_DOUBLE_QUOTES = /[\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * Renders a JSON value as block-style YAML, the way `calicoctl get -o yaml`
 * lays it out. Deterministic (keys keep insertion order; `undefined` fields
 * are dropped) and allocation-light: it is on the synthesis hot path, so
 * every part is rendered once into one list of pieces, joined once.
 */
export function toYaml(value: JsonValue): string {
  if (isScalarOrEmpty(value)) return scalar(value) + '\n';
  const out: string[] = [];
  block(value, '', '', out);
  return out.join('');
}

/** Renders several documents separated by `---`. */
export function toYamlDocuments(values: readonly JsonValue[]): string {
  return values.map(toYaml).join('---\n');
}

/**
 * Appends a non-empty collection to `out`, one line per scalar, each line
 * starting with `indent` except the first, which starts with `first`: a
 * mapping inside a sequence puts its first key on the dash's line.
 */
function block(value: JsonValue, indent: string, first: string, out: string[]): void {
  let lead = first;
  if (Array.isArray(value)) {
    const inner = indent + '  ';
    for (const item of value as readonly JsonValue[]) {
      if (isScalarOrEmpty(item)) out.push(lead, '- ', scalar(item), '\n');
      else if (Array.isArray(item)) {
        out.push(lead, '-\n');
        block(item, inner, inner, out);
      } else block(item, inner, lead + '- ', out);
      lead = indent;
    }
    return;
  }
  const obj = value as { readonly [key: string]: JsonValue | undefined };
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    const k = quote(key);
    if (isScalarOrEmpty(v)) out.push(lead, k, ': ', scalar(v), '\n');
    else if (Array.isArray(v)) {
      out.push(lead, k, ':\n');
      block(v, indent, indent, out);
    } else {
      out.push(lead, k, ':\n');
      const inner = indent + '  ';
      block(v, inner, inner, out);
    }
    lead = indent;
  }
}

function isScalarOrEmpty(v: JsonValue): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.length === 0;
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

function scalar(v: JsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`Cannot write ${v} to YAML: only finite numbers are valid.`);
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return quote(v);
    default:
      return Array.isArray(v) ? '[]' : '{}';
  }
}

function quote(s: string): string {
  // Every reserved word has at most five characters.
  if (PLAIN.test(s) && (s.length > 5 || !RESERVED.test(s))) return s;
  if (NEEDS_DOUBLE_QUOTES.test(s)) return JSON.stringify(s);
  return `'${s.replace(/'/g, "''")}'`;
}
