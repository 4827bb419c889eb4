/**
 * Whether Calico rejects a value (`invalid`: calicoctl or its validator
 * refuses it) or accepts it although it cannot do what it says (`mistake`:
 * the rule never matches as written, or Felix silently drops the resource).
 * Constructs treat both as errors; the YAML reader reports mistakes as
 * warnings, because calicoctl would accept the file.
 */
export type ProblemKind = 'invalid' | 'mistake';

/** One thing wrong with a Calico resource: where, what, and how to fix it. */
export interface CalicoProblem {
  /**
   * Where, as a path into the resource in the terms of the rule model:
   * `name`, `selector`, `ingress[0].source.nets[1]`, `labels["app"]`.
   */
  readonly path: string;
  /** Diagnostic rule id, e.g. `calico/rule` or `calico/selector-syntax`. */
  readonly rule: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether Calico rejects it or accepts it uselessly. */
  readonly kind: ProblemKind;
}

/** @deprecated Use {@link CalicoProblem}; a rule's problems have the same shape. */
export type RuleProblem = CalicoProblem;

/**
 * Collects problems under a path prefix. `at('ingress[0]')` gives a view
 * that writes into the same list with a longer prefix.
 * @internal
 */
export class ProblemSink {
  constructor(
    public readonly list: CalicoProblem[] = [],
    private readonly prefix = '',
    private readonly defaultRule = 'calico/rule',
  ) {}

  /** A view whose paths start with `path`; `rule` becomes its default rule id. */
  public at(path: string, rule?: string): ProblemSink {
    return new ProblemSink(this.list, joinPath(this.prefix, path), rule ?? this.defaultRule);
  }

  /** Records something Calico rejects. */
  public invalid(path: string, message: string, fix: string, rule?: string): void {
    this.list.push({ path: joinPath(this.prefix, path), rule: rule ?? this.defaultRule, message, fix, kind: 'invalid' });
  }

  /** Records something Calico accepts but that cannot work as written. */
  public mistake(path: string, message: string, fix: string, rule?: string): void {
    this.list.push({ path: joinPath(this.prefix, path), rule: rule ?? this.defaultRule, message, fix, kind: 'mistake' });
  }

  /** True when something Calico rejects was recorded. */
  public get hasInvalid(): boolean {
    return this.list.some((p) => p.kind === 'invalid');
  }
}

/** Joins two path parts: `a` + `b` is `a.b`, `a` + `[0]` is `a[0]`. */
export function joinPath(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return b.startsWith('[') ? `${a}${b}` : `${a}.${b}`;
}

/** The path step of a map key: `["app"]`, readable and unambiguous for keys with dots or slashes. */
export function keyStep(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

/** Splits a problem path into its steps: `ingress[0].source` is `['ingress', 0, 'source']`. */
export function splitPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /\.?([A-Za-z_-][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]!) as string);
  }
  return out;
}
