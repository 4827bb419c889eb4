/**
 * Turning app validation issues into Marathon's error answers (marathon.md section 2, "Errors"):
 * - `validate` issues → 422 `{"message":"Object is not valid","details":[{path, errors}]}`
 * - `read` issues → `{"message":"Invalid JSON","details":[{path, errors}]}`, 400 in 1.4, 422 in 1.5
 */
import { HttpError } from './http.js';
import type { AppValidationIssue, JsonObject, MarathonVersion } from './types.js';

/** Prefix issue paths, e.g. with `/apps(0)`; the root path `/` becomes the prefix itself. */
export function prefixIssues(issues: AppValidationIssue[], prefix: string): AppValidationIssue[] {
  if (prefix === '') return issues;
  return issues.map((i) => ({ ...i, path: i.path === '/' ? prefix : prefix + i.path }));
}

function details(issues: AppValidationIssue[]): JsonObject[] {
  const byPath = new Map<string, string[]>();
  for (const i of issues) {
    const list = byPath.get(i.path) ?? [];
    list.push(i.message);
    byPath.set(i.path, list);
  }
  return [...byPath].map(([path, errors]) => ({ path, errors }));
}

/** Error answer for issues (read issues win), or undefined when there are none. */
export function issuesToError(issues: AppValidationIssue[], version: MarathonVersion): HttpError | undefined {
  const read = issues.filter((i) => i.stage === 'read');
  if (read.length > 0) {
    return new HttpError({ status: version === '1.4' ? 400 : 422, body: { message: 'Invalid JSON', details: details(read) } });
  }
  if (issues.length > 0) {
    return new HttpError({ status: 422, body: { message: 'Object is not valid', details: details(issues) } });
  }
  return undefined;
}
