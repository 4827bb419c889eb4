import type { IConstruct } from 'constructs';
import type { DiagnosticCollector } from '@dcos-cdk/core';
import type { CalicoProblem } from './model/problems.js';

/**
 * Reports a resource's problems on its construct: each one an error (a
 * construct never emits what Calico rejects, nor what cannot work as
 * written), its message prefixed with the path of the offending field.
 * @internal
 */
export function reportProblems(scope: IConstruct, problems: readonly CalicoProblem[], d: DiagnosticCollector): void {
  for (const p of problems) d.error(scope, p.rule, `${p.path}: ${p.message}`, p.fix);
}
