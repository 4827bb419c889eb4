/**
 * Input documents with positions: YAML (one or more `---` documents) and JSON, parsed so that
 * any value can be traced back to `file:line:column` for error messages.
 *
 * @module
 */

import { LineCounter, isMap, isScalar, parseAllDocuments, parseDocument, type Document } from 'yaml';

/** Malformed input; the message starts with `file:line:column`. */
export class AnalysisLoadError extends Error {
  /** The file. */
  public readonly file: string;
  /** Line, from 1, when known. */
  public readonly line?: number;
  /** Column, from 1, when known. */
  public readonly column?: number;

  constructor(file: string, message: string, line?: number, column?: number) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${message}`);
    this.name = 'AnalysisLoadError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** A path into a parsed document. */
export type DocPath = ReadonlyArray<string | number>;

/** One parsed document and a way to find where any of its values is. */
export interface SourceDoc {
  /** The file. */
  readonly file: string;
  /** The document's value as plain JSON data. */
  readonly value: unknown;
  /** Line and column of the value at `path` (or of its nearest existing ancestor); with `atKey`, of the map key naming it. */
  locate(path: DocPath, atKey?: boolean): { line: number; column: number };
  /** An error at `path` (at its key with `atKey`). */
  error(path: DocPath, message: string, atKey?: boolean): AnalysisLoadError;
}

function makeDoc(file: string, value: unknown, finder: () => { doc: Document; lc: LineCounter }): SourceDoc {
  const locate = (path: DocPath, atKey = false): { line: number; column: number } => {
    const { doc, lc } = finder();
    if (atKey && path.length > 0) {
      const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
      const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]) : undefined;
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) {
        const p = lc.linePos(range[0]);
        return { line: p.line, column: p.col };
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) {
        const p = lc.linePos(range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  };
  return {
    file,
    value,
    locate,
    error(path, message, atKey) {
      const { line, column } = locate(path, atKey);
      return new AnalysisLoadError(file, message, line, column);
    },
  };
}

/** Parses YAML text (one or more documents); empty documents are skipped. */
export function parseYamlDocs(file: string, text: string): SourceDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  const out: SourceDoc[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      throw new AnalysisLoadError(file, `not valid YAML: ${err.message.split('\n')[0]}`, p.line, p.col);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    out.push(makeDoc(file, value, () => ({ doc, lc })));
  }
  return out;
}

/** Parses JSON text with `JSON.parse`, locating values (on error) through the YAML parser. */
export function parseJsonDoc(file: string, text: string): SourceDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const lineCol = /line (\d+) column (\d+)/.exec(msg);
    if (lineCol) throw new AnalysisLoadError(file, `not valid JSON: ${msg}`, Number(lineCol[1]), Number(lineCol[2]));
    if (m) {
      const before = text.slice(0, Number(m[1]));
      const line = before.split('\n').length;
      throw new AnalysisLoadError(file, `not valid JSON: ${msg}`, line, before.length - before.lastIndexOf('\n'));
    }
    throw new AnalysisLoadError(file, `not valid JSON: ${msg}`);
  }
  let parsed: { doc: Document; lc: LineCounter } | undefined;
  return makeDoc(file, value, () => {
    if (!parsed) {
      const lc = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter: lc }), lc };
    }
    return parsed;
  });
}

/**
 * A document whose value the caller already has (e.g. the object a construct rendered into
 * `text`): nothing is parsed unless a position below the root is asked for, then `text` is.
 * The root's position is where the text's first value starts.
 */
export function preparsedDoc(file: string, text: string, value: unknown): SourceDoc {
  let parsed: { doc: Document; lc: LineCounter } | undefined;
  const doc = makeDoc(file, value, () => {
    if (!parsed) {
      const lc = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter: lc }), lc };
    }
    return parsed;
  });
  const start = /^\s*/.exec(text)![0];
  const simpleRoot = start.length < text.length && !'#-%'.includes(text[start.length]!);
  if (!simpleRoot) return doc;
  const line = start.split('\n').length;
  const column = start.length - start.lastIndexOf('\n');
  return { ...doc, locate: (path, atKey) => (path.length === 0 ? { line, column } : doc.locate(path, atKey)) };
}
