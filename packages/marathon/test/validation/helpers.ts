/** Shared helpers for the validator tests. */
import { expect } from 'chai';
import {
  type AppValidationIssue,
  type AppValidationOptions,
  type MarathonApiVersion,
  validateAppDefinition,
} from '../../src/validation/index.js';

/** Expected issue as [path, message, stage]. */
export type Expected = readonly [path: string, message: string, stage: 'read' | 'validate'];

/** A table-driven case: `expect` lists exactly the issues Marathon reports ([] = accepted). */
export interface Case {
  readonly name: string;
  readonly version: MarathonApiVersion;
  readonly app: unknown;
  readonly options?: AppValidationOptions;
  readonly expect: readonly Expected[];
}

/** Minimal valid app. */
export const base = { id: '/app', cmd: 'sleep 100' } as const;

/** Base app plus overrides. */
export function app(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...base, ...overrides };
}

function show(issues: readonly AppValidationIssue[]): string {
  return JSON.stringify(issues.map((i) => [i.path, i.message, i.stage]), null, 1);
}

/** Asserts the exact set of issues (order-insensitive) and that every issue has a fix sentence. */
export function expectIssues(issues: readonly AppValidationIssue[], expected: readonly Expected[]): void {
  const actual = issues.map((i) => `${i.stage} ${i.path} :: ${i.message}`).sort();
  const wanted = expected.map(([p, m, s]) => `${s} ${p} :: ${m}`).sort();
  expect(actual, show(issues)).to.deep.equal(wanted);
  for (const i of issues) expect(i.fix, `fix for ${i.path}`).to.be.a('string').and.not.equal('');
}

/** Registers one mocha `it` per case. */
export function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    it(`${c.version}: ${c.name}`, () => {
      expectIssues(validateAppDefinition(c.app, c.version, c.options), c.expect);
    });
  }
}
