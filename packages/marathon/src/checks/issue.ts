/** A problem with an app's props, named by the prop it comes from. */
export interface PropIssue {
  /** Prop path, e.g. `healthChecks[0].port`; '' for the app as a whole. */
  readonly prop: string;
  /** Rule id of the diagnostic. */
  readonly rule: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** @default 'error' */
  readonly severity?: 'error' | 'warning';
  /** Further props whose Marathon issues this one explains (they are not reported again). */
  readonly covers?: readonly string[];
}

/** True when two prop paths are the same or one contains the other. */
export function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const within = (x: string, y: string): boolean => x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return within(a, b) || within(b, a);
}

/** The diagnostic message of an issue: the prop first. */
export function issueText(issue: PropIssue): string {
  return issue.prop === '' ? issue.message : `${issue.prop}: ${issue.message}`;
}
