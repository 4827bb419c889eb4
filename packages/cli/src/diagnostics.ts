/** A diagnostic as the CLI receives it from a stack (possibly another copy of core). */
export interface ReportedDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly constructPath: string;
  readonly rule: string;
  readonly message: string;
  readonly fix: string;
}

/** Recognizes a SynthesisError from any copy of @dcos-cdk/core. */
export function synthesisDiagnostics(e: unknown): readonly ReportedDiagnostic[] | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as { name?: unknown; diagnostics?: unknown };
  if (err.name !== 'SynthesisError' || !Array.isArray(err.diagnostics)) return undefined;
  return err.diagnostics as ReportedDiagnostic[];
}

/** One diagnostic, two lines: what and where, then the fix. */
export function formatReported(d: ReportedDiagnostic): string {
  return `${d.severity === 'error' ? 'error' : 'warning'}: ${d.constructPath || '<root>'}: ${d.message}\n  rule: ${d.rule}\n  fix:  ${d.fix}`;
}
