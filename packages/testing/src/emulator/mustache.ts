/**
 * The Mustache subset used by Universe `marathon.json.mustache` templates:
 * `{{name}}` (escaped), `{{{name}}}` / `{{& name}}` (raw), dotted names (keys may contain
 * spaces and dashes, e.g. `{{Framework Settings.cpu-limit}}`), `{{#section}}`, `{{^inverted}}`,
 * `{{! comments}}`, the implicit iterator `{{.}}`, and standalone-line removal for tags that
 * produce no output. Partials and delimiter changes are not supported.
 *
 * Falsy for sections: missing, null, false, empty list and the empty string (mustache.java,
 * which Cosmos uses, treats `""` as false).
 */
import type { JsonValue } from './types.js';

type Node =
  | { type: 'text'; text: string }
  | { type: 'var'; name: string; escape: boolean }
  | { type: 'section'; name: string; inverted: boolean; children: Node[] };

/** Options of {@link renderMustache}. */
export interface MustacheOptions {
  /** Escape function for `{{name}}`; default HTML escaping of `& < > " '`. */
  escape?: (text: string) => string;
}

/** Error for malformed templates. */
export class MustacheError extends Error {}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML escaping as Mustache specifies it for `{{name}}`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

interface Tag {
  start: number;
  end: number;
  sigil: string;
  name: string;
}

function findTags(template: string): Tag[] {
  const tags: Tag[] = [];
  let pos = 0;
  for (;;) {
    const open = template.indexOf('{{', pos);
    if (open < 0) return tags;
    const triple = template.startsWith('{{{', open);
    const close = template.indexOf(triple ? '}}}' : '}}', open + (triple ? 3 : 2));
    if (close < 0) throw new MustacheError(`Unclosed tag at offset ${open}`);
    const inner = template.slice(open + (triple ? 3 : 2), close);
    const end = close + (triple ? 3 : 2);
    if (triple) {
      tags.push({ start: open, end, sigil: '{', name: inner.trim() });
    } else {
      const first = inner.trimStart().charAt(0);
      const sigil = '#^/!&>='.includes(first) && first !== '' ? first : '';
      const name = sigil ? inner.trimStart().slice(1).trim() : inner.trim();
      if (sigil === '>' || sigil === '=') throw new MustacheError(`Unsupported tag {{${inner}}}`);
      tags.push({ start: open, end, sigil, name });
    }
    pos = end;
  }
}

/** Widen a tag span over its whole line when the tag stands alone on that line. */
function standalone(template: string, tag: Tag): { start: number; end: number } | undefined {
  if (!['#', '^', '/', '!'].includes(tag.sigil)) return undefined;
  const lineStart = template.lastIndexOf('\n', tag.start - 1) + 1;
  if (template.slice(lineStart, tag.start).trim() !== '') return undefined;
  const nl = template.indexOf('\n', tag.end);
  const lineEnd = nl < 0 ? template.length : nl + 1;
  const after = template.slice(tag.end, nl < 0 ? template.length : nl).replace(/\r$/, '');
  if (after.trim() !== '') return undefined;
  return { start: lineStart, end: lineEnd };
}

/** Parse a template into a tree. */
export function parseMustache(template: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ name: string; children: Node[] }> = [{ name: '', children: root }];
  let pos = 0;
  const tags = findTags(template);
  for (const tag of tags) {
    const span = standalone(template, tag) ?? { start: tag.start, end: tag.end };
    if (span.start < pos) span.start = pos;
    const top = stack[stack.length - 1]!;
    if (span.start > pos) top.children.push({ type: 'text', text: template.slice(pos, span.start) });
    pos = span.end;
    switch (tag.sigil) {
      case '!':
        break;
      case '#':
      case '^': {
        const node: Node = { type: 'section', name: tag.name, inverted: tag.sigil === '^', children: [] };
        top.children.push(node);
        stack.push({ name: tag.name, children: node.children });
        break;
      }
      case '/':
        if (stack.length < 2 || top.name !== tag.name) throw new MustacheError(`Unexpected closing tag {{/${tag.name}}}`);
        stack.pop();
        break;
      default:
        top.children.push({ type: 'var', name: tag.name, escape: tag.sigil === '' });
    }
  }
  if (stack.length > 1) throw new MustacheError(`Unclosed section {{#${stack[stack.length - 1]!.name}}}`);
  if (pos < template.length) root.push({ type: 'text', text: template.slice(pos) });
  return root;
}

type Ctx = JsonValue | undefined;

function lookup(stack: Ctx[], name: string): Ctx {
  if (name === '.') return stack[stack.length - 1];
  const [head, ...rest] = name.split('.');
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i];
    if (frame !== null && typeof frame === 'object' && !Array.isArray(frame) && Object.prototype.hasOwnProperty.call(frame, head!)) {
      let value: Ctx = frame[head!];
      for (const part of rest) {
        value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[part] : undefined;
      }
      return value;
    }
  }
  return undefined;
}

function isFalsy(value: Ctx): boolean {
  return value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
}

function stringify(value: Ctx): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function renderNodes(nodes: Node[], stack: Ctx[], escape: (s: string) => string): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'var') {
      const text = stringify(lookup(stack, node.name));
      out += node.escape ? escape(text) : text;
    } else {
      const value = lookup(stack, node.name);
      if (node.inverted) {
        if (isFalsy(value)) out += renderNodes(node.children, stack, escape);
      } else if (!isFalsy(value)) {
        const items = Array.isArray(value) ? value : [value];
        for (const item of items) out += renderNodes(node.children, [...stack, item], escape);
      }
    }
  }
  return out;
}

/** Render `template` with `view`. */
export function renderMustache(template: string, view: JsonValue, options: MustacheOptions = {}): string {
  return renderNodes(parseMustache(template), [view], options.escape ?? escapeHtml);
}
