/**
 * Edits of the top-level keys of a JSON object in its text, so that every
 * other byte of the file (key order, spacing, other keys) stays as it was.
 * Keys match case-insensitively, as Mesos-DNS reads them, and keep the
 * spelling the file uses.
 */

/** A `"key": value` member of the top-level object, by character offsets. */
interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

interface ObjectLayout {
  readonly open: number;
  readonly close: number;
  readonly members: readonly Member[];
}

const WS = new Set([' ', '\t', '\n', '\r', '\uFEFF']);

function skipWs(s: string, i: number): number {
  while (i < s.length && WS.has(s.charAt(i))) i++;
  return i;
}

function scanString(s: string, i: number): number {
  i++;
  while (i < s.length && s.charAt(i) !== '"') i += s.charAt(i) === '\\' ? 2 : 1;
  return i + 1;
}

function scanValue(s: string, i: number): number {
  const c = s.charAt(i);
  if (c === '"') return scanString(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    while (i < s.length) {
      const ch = s.charAt(i);
      if (ch === '"') {
        i = scanString(s, i);
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < s.length && !WS.has(s.charAt(i)) && !',}]'.includes(s.charAt(i))) i++;
  return i;
}

/** Parses `text` as a JSON object, or explains why it is not one. */
export function parseJsonObject(text: string): { readonly value: Record<string, unknown> } | { readonly error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the top level is not an object' };
  return { value: value as Record<string, unknown> };
}

/** Layout of a text that {@link parseJsonObject} accepted. */
function layout(text: string): ObjectLayout {
  const open = skipWs(text, 0);
  const members: Member[] = [];
  let i = skipWs(text, open + 1);
  while (i < text.length && text.charAt(i) !== '}') {
    const keyStart = i;
    const keyEnd = scanString(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    i = skipWs(text, i + 1); // ':'
    const valueStart = i;
    const valueEnd = scanValue(text, i);
    members.push({ key, keyStart, keyEnd, valueStart, valueEnd });
    i = skipWs(text, valueEnd);
    if (text.charAt(i) === ',') i = skipWs(text, i + 1);
  }
  return { open, close: i, members };
}

/** Renders a value on one line, JSON with a space after `,` and `:` (as DC/OS writes `["host", "netinfo"]`). */
export function renderInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderInline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${renderInline(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function indentOf(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const prefix = text.slice(lineStart, at);
  return /^[ \t]*$/.test(prefix) ? prefix : '';
}

function render(text: string, m: Member, value: unknown): string {
  const old = text.slice(m.valueStart, m.valueEnd);
  if (!old.includes('\n')) return renderInline(value);
  const indent = indentOf(text, m.keyStart);
  return JSON.stringify(value, null, 2).split('\n').join(`\n${indent}`);
}

/** Names under which `key` appears at the top level (case-insensitive), with their parsed values, in file order. */
export function findKey(text: string, key: string): { readonly key: string; readonly value: unknown }[] {
  const lower = key.toLowerCase();
  return layout(text)
    .members.filter((m) => m.key.toLowerCase() === lower)
    .map((m) => ({ key: m.key, value: JSON.parse(text.slice(m.valueStart, m.valueEnd)) as unknown }));
}

/**
 * Sets a top-level key: every member whose name matches case-insensitively
 * gets the new value (Mesos-DNS would read any of them); when none does, the
 * member is appended after the last one, in the file's style.
 */
export function setKey(text: string, key: string, value: unknown): string {
  const { open, close, members } = layout(text);
  const lower = key.toLowerCase();
  const matches = members.filter((m) => m.key.toLowerCase() === lower);
  if (matches.length > 0) {
    let out = text;
    for (const m of [...matches].reverse()) out = out.slice(0, m.valueStart) + render(text, m, value) + out.slice(m.valueEnd);
    return out;
  }
  const last = members[members.length - 1];
  const prev = members[members.length - 2];
  if (!last) {
    const inner = text.slice(open + 1, close);
    const member = `${JSON.stringify(key)}: ${renderInline(value)}`;
    return text.slice(0, open + 1) + (inner.includes('\n') ? `\n  ${member}\n` : member) + text.slice(close);
  }
  const gap = prev ? text.slice(prev.valueEnd, last.keyStart) : `,${text.slice(open + 1, last.keyStart)}`;
  const colon = text.slice(last.keyEnd, last.valueStart);
  return `${text.slice(0, last.valueEnd)}${gap}${JSON.stringify(key)}${colon}${renderInline(value)}${text.slice(last.valueEnd)}`;
}

/** Removes every top-level member named `key` (case-insensitive), keeping the rest of the text. */
export function removeKey(text: string, key: string): string {
  const lower = key.toLowerCase();
  let out = text;
  for (;;) {
    const { open, close, members } = layout(out);
    const idx = members.findIndex((m) => m.key.toLowerCase() === lower);
    const m = members[idx];
    if (!m) return out;
    const next = members[idx + 1];
    const prev = members[idx - 1];
    if (next) out = out.slice(0, m.keyStart) + out.slice(next.keyStart);
    else if (prev) out = out.slice(0, prev.valueEnd) + out.slice(m.valueEnd);
    else out = out.slice(0, open + 1) + (out.slice(open + 1, close).includes('\n') ? '\n' : '') + out.slice(close);
  }
}
