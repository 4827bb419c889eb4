import type { IConstruct } from 'constructs';
import type { DiagnosticCollector } from '@dcos-cdk/core';
import type { CalicoProblem } from './model/problems.js';

/** How a construct reports problems Calico accepts but that cannot work as written. */
export type MistakeSeverity = 'error' | 'warning';

/**
 * Reports a resource's problems on its construct, each message prefixed with
 * the path of the offending field: what Calico rejects is always an error;
 * what it accepts uselessly (a mistake) is an error too, unless the construct
 * asked for warnings (`mistakes: 'warning'`, as imported resources do).
 * @internal
 */
export function reportProblems(scope: IConstruct, problems: readonly CalicoProblem[], d: DiagnosticCollector, mistakes: MistakeSeverity = 'error'): void {
  for (const p of problems) {
    if (p.kind === 'mistake' && mistakes === 'warning') d.warn(scope, p.rule, `${p.path}: ${p.message} (kept as written: mistakes: 'warning')`, p.fix);
    else d.error(scope, p.rule, `${p.path}: ${p.message}`, p.fix);
  }
}

/** True when the problems leave the resource fit to emit. @internal */
export function emittable(problems: readonly CalicoProblem[], mistakes: MistakeSeverity = 'error'): boolean {
  return problems.every((p) => p.kind === 'mistake' && mistakes === 'warning');
}
