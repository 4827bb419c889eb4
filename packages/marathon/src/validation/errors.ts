/**
 * Marathon's HTTP error bodies for rejected app definitions (`api/MarathonExceptionMapper.scala`,
 * `api/v2/Validation.scala` failureWrites).
 */
import type { AppValidationIssue, MarathonApiVersion } from './types.js';

/** Status and JSON body Marathon answers with. */
export interface MarathonErrorResponse {
  readonly status: number;
  readonly body: { message: string; details: Array<{ path: string; errors: string[] }> };
}

/**
 * Marathon's error response body and status for a list of issues (for the emulator).
 *
 * - Any read-stage issue: `{"message":"Invalid JSON","details":[...]}` with status 400 (1.4) or
 *   422 (1.5); only the read-stage issues are listed (Marathon never validates a body it could not
 *   read). Play renders the root path as "" so an issue at "/" is listed with path "".
 * - Otherwise: `{"message":"Object is not valid","details":[...]}` with status 422.
 *
 * Details are grouped by path in first-seen order (Marathon's own order comes from a hash map and is
 * unspecified); duplicate messages per path are dropped. An empty issue list yields status 200 and
 * an empty details array.
 */
export function marathonErrorResponse(
  issues: readonly AppValidationIssue[],
  version: MarathonApiVersion,
): MarathonErrorResponse {
  if (issues.length === 0) return { status: 200, body: { message: '', details: [] } };
  const readIssues = issues.filter((i) => i.stage === 'read');
  const isRead = readIssues.length > 0;
  const selected = isRead ? readIssues : issues;
  const details: Array<{ path: string; errors: string[] }> = [];
  for (const issue of selected) {
    const path = isRead && issue.path === '/' ? '' : issue.path;
    let entry = details.find((d) => d.path === path);
    if (entry === undefined) {
      entry = { path, errors: [] };
      details.push(entry);
    }
    if (!entry.errors.includes(issue.message)) entry.errors.push(issue.message);
  }
  return {
    status: isRead ? (version === '1.4' ? 400 : 422) : 422,
    body: { message: isRead ? 'Invalid JSON' : 'Object is not valid', details },
  };
}
