/** A problem found in an input of `dcos-cdk import`, at a position. */
export interface ImportIssue {
  /** `error`: nothing is written; `warning`: reported, the import goes on. */
  readonly severity: 'error' | 'warning';
  /** The file (or `marathon:/id`, `etcd:/key` for live input). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `file:line:column: error: message` and, indented, the fix. */
export function formatImportIssue(i: ImportIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.severity}: ${i.message}\n    fix: ${i.fix}`;
}

/** Thrown when the inputs cannot be imported; lists every error (and the warnings found with them). */
export class ImportError extends Error {
  /** Every issue, errors and warnings. */
  public readonly issues: readonly ImportIssue[];

  constructor(issues: readonly ImportIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`${errors.length} error${errors.length === 1 ? '' : 's'} in the input; nothing was written.`);
    this.name = 'ImportError';
    this.issues = issues;
  }

  /** Only the errors. */
  public get errors(): readonly ImportIssue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
