import type { IConstruct } from 'constructs';

/** How serious a diagnostic is: an error fails synthesis, a warning is reported. */
export type Severity = 'error' | 'warning';

/**
 * One problem found in the stack, tied to the construct that caused it.
 */
export interface Diagnostic {
  /** `error` fails synthesis; `warning` is printed and recorded. */
  readonly severity: Severity;
  /** Path of the construct in the tree, e.g. `demo/development/frontend`. */
  readonly constructPath: string;
  /** Short rule identifier, e.g. `calico/duplicate-policy-name`. */
  readonly rule: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Formats a diagnostic the way the CLI prints it. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = d.severity === 'error' ? 'error' : 'warning';
  return `${head} [${d.rule}] ${d.constructPath || '<root>'}: ${d.message}\n    fix: ${d.fix}`;
}

/**
 * Thrown by synthesis when validation found one or more errors. It lists all
 * of them, never just the first.
 */
export class SynthesisError extends Error {
  /** Every diagnostic found, errors and warnings. */
  public readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      `Synthesis failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((d) => `  ${formatDiagnostic(d).replace(/\n/g, '\n  ')}`).join('\n'),
    );
    this.name = 'SynthesisError';
    this.diagnostics = diagnostics;
  }

  /** Only the errors. */
  public get errors(): readonly Diagnostic[] {
    return this.diagnostics.filter((d) => d.severity === 'error');
  }
}

/**
 * Collects diagnostics during the validate phase. Handed to every
 * construct's validate hook.
 */
export class DiagnosticCollector {
  private readonly items: Diagnostic[] = [];

  /** Records an error against `scope`. */
  public error(scope: IConstruct, rule: string, message: string, fix: string): void {
    this.items.push({ severity: 'error', constructPath: scope.node.path, rule, message, fix });
  }

  /** Records a warning against `scope`. */
  public warn(scope: IConstruct, rule: string, message: string, fix: string): void {
    this.items.push({ severity: 'warning', constructPath: scope.node.path, rule, message, fix });
  }

  /** Records an already-built diagnostic. */
  public add(d: Diagnostic): void {
    this.items.push(d);
  }

  /** Everything collected so far, in the order found. */
  public get all(): readonly Diagnostic[] {
    return this.items;
  }

  /** True when at least one error was recorded. */
  public get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}
