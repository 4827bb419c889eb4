import { isMap, isScalar, isSeq, type LineCounter, type Node as YamlNode } from 'yaml';
import { joinPath, keyStep } from '../model/problems.js';
import type { CalicoYamlIssue, SourcePosition } from './issues.js';

/** Collects issues of one file with their positions. @internal */
export class IssueLog {
  public readonly issues: CalicoYamlIssue[] = [];

  constructor(
    public readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** Line and column of a character offset. */
  public position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  public add(severity: 'error' | 'warning', offset: number, path: string, message: string, fix: string): void {
    this.issues.push({ severity, file: this.file, ...this.position(offset), path, message, fix });
  }
}

/** What a scalar holds, in the words of an error message. */
function describe(node: YamlNode | null | undefined): string {
  if (!node) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    return `${typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v === 'string' ? 'a string' : typeof v} (${String(v)})`;
  }
  return 'an unsupported YAML node';
}

/**
 * A value in a YAML document, with its path and position, read the way
 * calicoctl decodes (Go's JSON decoding after YAML 1.1 parsing): a wrong
 * type is an error, `null` is the same as absent.
 * @internal
 */
export class At {
  constructor(
    public readonly log: IssueLog,
    public readonly node: YamlNode | null | undefined,
    public readonly path: string,
    private readonly fallbackOffset = 0,
  ) {}

  /** Character offset of the value (or of its key when the value is empty). */
  public get offset(): number {
    return this.node?.range?.[0] ?? this.fallbackOffset;
  }

  /** True when absent or `null`. */
  public get isNull(): boolean {
    return !this.node || (isScalar(this.node) && this.node.value === null);
  }

  public error(message: string, fix: string): void {
    this.log.add('error', this.offset, this.path, message, fix);
  }

  public warn(message: string, fix: string): void {
    this.log.add('warning', this.offset, this.path, message, fix);
  }

  private typeError(expected: string): void {
    this.error(`expected ${expected}, got ${describe(this.node)}; calicoctl cannot decode it.`, `Write ${expected} here.`);
  }

  /** The fields of a mapping; a wrong type is reported and gives `undefined`. */
  public fields(what: string): Fields | undefined {
    if (this.isNull) return new Fields(this, what, []);
    if (!isMap(this.node)) {
      this.typeError(`a mapping (${what})`);
      return undefined;
    }
    const entries: Array<{ name: string; key: At; value: At }> = [];
    for (const pair of this.node.items) {
      const keyNode = pair.key as YamlNode | null;
      const name = isScalar(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : isScalar(keyNode) ? String(keyNode.value) : undefined;
      const keyOffset = keyNode?.range?.[0] ?? this.offset;
      if (name === undefined) {
        this.log.add('error', keyOffset, this.path, `a key of ${what} is not a plain string.`, 'Use plain string keys.');
        continue;
      }
      const path = /^[A-Za-z_-][A-Za-z0-9_-]*$/.test(name) ? joinPath(this.path, name) : joinPath(this.path, keyStep(name));
      entries.push({ name, key: new At(this.log, keyNode, path), value: new At(this.log, pair.value as YamlNode | null, path, keyOffset) });
    }
    return new Fields(this, what, entries);
  }

  /** The items of a list; `null` is an empty list. */
  public items(what: string): At[] | undefined {
    if (this.isNull) return [];
    if (!isSeq(this.node)) {
      this.typeError(`a list (${what})`);
      return undefined;
    }
    return this.node.items.map((n, i) => new At(this.log, n as YamlNode | null, joinPath(this.path, `[${i}]`), this.offset));
  }

  /** The raw scalar value, or `undefined` for a mapping or list (reported). */
  public scalar(expected: string): string | number | boolean | null | undefined {
    if (!this.node) return undefined;
    if (!isScalar(this.node)) {
      this.typeError(expected);
      return undefined;
    }
    const v = this.node.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    this.typeError(expected);
    return undefined;
  }

  public string(): string | undefined {
    const v = this.scalar('a string');
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.typeError('a string');
      return undefined;
    }
    return v;
  }

  public number(): number | undefined {
    const v = this.scalar('a number');
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') {
      this.typeError('a number');
      return undefined;
    }
    return v;
  }

  public integer(): number | undefined {
    const v = this.number();
    if (v !== undefined && !Number.isInteger(v)) {
      this.typeError('a whole number');
      return undefined;
    }
    return v;
  }

  public boolean(): boolean | undefined {
    const v = this.scalar('true or false');
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.typeError('true or false');
      return undefined;
    }
    return v;
  }

  /** An integer or a string (protocols, ports). */
  public intOrString(what: string): number | string | undefined {
    const v = this.scalar(what);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.typeError(what);
    return undefined;
  }

  /** A map of strings to strings (labels). */
  public stringMap(what: string): Record<string, string> | undefined {
    const f = this.fields(what);
    if (!f) return undefined;
    const out: Record<string, string> = {};
    for (const name of f.names()) {
      const v = f.take(name)?.string();
      if (v !== undefined) out[name] = v;
      else out[name] = '';
    }
    return out;
  }
}

/** Explanation of a field calicoctl knows but this reader does not take. */
export type FieldNote = string;

/**
 * The fields of one mapping. Each field is taken once; `finish()` reports
 * every field not taken, as calicoctl's strict decoding does.
 * @internal
 */
export class Fields {
  private readonly taken = new Set<string>();

  constructor(
    public readonly at: At,
    private readonly what: string,
    private readonly entries: ReadonlyArray<{ name: string; key: At; value: At }>,
  ) {}

  /** Names of the fields present, in document order. */
  public names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** True when the field is present and not null. */
  public has(name: string): boolean {
    const e = this.entries.find((x) => x.name === name);
    return e !== undefined && !e.value.isNull;
  }

  /** The field's value, or `undefined` when absent or null. */
  public take(name: string): At | undefined {
    this.taken.add(name);
    const e = this.entries.find((x) => x.name === name);
    return e && !e.value.isNull ? e.value : undefined;
  }

  /** Marks a field as read without reading it. */
  public ignore(name: string): void {
    this.taken.add(name);
  }

  /**
   * Reports each field not taken: with its note when `notes` explains it
   * (a field of another calicoctl version, or one this reader does not
   * support), as an unknown field otherwise.
   */
  public finish(known: readonly string[], notes: Readonly<Record<string, FieldNote>> = {}): void {
    for (const e of this.entries) {
      if (this.taken.has(e.name)) continue;
      const note = notes[e.name];
      if (note !== undefined) e.key.error(`field '${e.name}' in ${this.what}: ${note}`, `Remove '${e.name}'.`);
      else e.key.error(`unknown field '${e.name}' in ${this.what}; calicoctl decodes strictly and rejects it.`, `Remove it, or fix its spelling; the fields are: ${known.join(', ')}.`);
    }
  }
}
