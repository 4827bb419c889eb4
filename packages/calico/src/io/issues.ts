/** A place in a file: 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Something wrong in a calicoctl YAML file, at a position. */
export interface CalicoYamlIssue {
  /** `error`: calicoctl would reject the file; `warning`: it would accept it, but it cannot work as written. */
  readonly severity: 'error' | 'warning';
  /** The file name given to the reader. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Path of the offending value in the document, e.g. `spec.ingress[0].protocol`; `''` for the document itself. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `file:line:column: error: message` and, indented, the fix. */
export function formatIssue(i: CalicoYamlIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.severity}: ${i.message}${i.path ? ` (at ${i.path})` : ''}\n    fix: ${i.fix}`;
}

/** Thrown when calicoctl YAML cannot be read or rendered; lists every error found, with its position. */
export class CalicoYamlError extends Error {
  /** Every issue found, errors and warnings. */
  public readonly issues: readonly CalicoYamlIssue[];

  constructor(issues: readonly CalicoYamlIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`${errors.length} error${errors.length === 1 ? '' : 's'} in calicoctl YAML:\n${errors.map((e) => `  ${formatIssue(e).replace(/\n/g, '\n  ')}`).join('\n')}`);
    this.name = 'CalicoYamlError';
    this.issues = issues;
  }

  /** Only the errors. */
  public get errors(): readonly CalicoYamlIssue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }
}
