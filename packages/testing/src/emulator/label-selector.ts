/**
 * Marathon label selector for `GET /v2/apps?label=...`: comma-separated selectors that must all
 * match: `key` (exists), `key==v`, `key!=v`, `key in (a, b)`, `key notin (a, b)`.
 * A backslash escapes the next character.
 */

type Selector = (labels: Record<string, string>) => boolean;

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[++i]!;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

function unescape(s: string): string {
  return s.trim().replace(/\\(.)/g, '$1');
}

function parseOne(text: string): Selector {
  const set = /^(.*?)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set) {
    const key = unescape(set[1]!);
    const values = splitTopLevel(set[3]!).map(unescape);
    const negate = set[2] === 'notin';
    return (labels) => key in labels && values.includes(labels[key]!) !== negate;
  }
  const eq = /^(.*?)(==|!=)(.*)$/.exec(text);
  if (eq) {
    const key = unescape(eq[1]!);
    const value = unescape(eq[3]!);
    const negate = eq[2] === '!=';
    return (labels) => key in labels && (labels[key] === value) !== negate;
  }
  const key = unescape(text);
  return (labels) => key in labels;
}

/** Compile a selector query into a predicate over an app's labels. */
export function parseLabelSelector(query: string): Selector {
  const parts = splitTopLevel(query).map(parseOne);
  return (labels) => parts.every((p) => p(labels));
}
