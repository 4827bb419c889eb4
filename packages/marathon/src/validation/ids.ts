/**
 * App ids (Marathon `state/PathId.scala`): segment syntax, canonicalisation of relative ids
 * (`.` / `..`) against a group, and the id rules of app validation.
 */
import { Ctx, fullMatch, index } from './context.js';
import type { AppValidationIssue } from './types.js';

/** Per-segment id regex of Marathon's `PathId` (dot-separated DNS-like labels, or `.` / `..`). */
export const ID_SEGMENT_PATTERN =
  '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$';

/** Marathon's error text for an id segment that does not match {@link ID_SEGMENT_PATTERN}. */
export const ID_SEGMENT_MESSAGE = `must fully match regular expression '${ID_SEGMENT_PATTERN}'`;

/** Last segments Marathon refuses because they clash with REST sub-resources. */
export const RESERVED_ID_KEYWORDS = ['restart', 'tasks', 'versions', '.', '..'] as const;

const RESERVED_MESSAGE = `must not end with any of the following reserved keywords: ${RESERVED_ID_KEYWORDS.join(', ')}`;
const SEGMENT_RE = fullMatch(ID_SEGMENT_PATTERN);
const ID_FIX =
  'Use only lowercase letters, digits, dashes (not at the start or end of a name) and dots between names, separated by "/".';

/**
 * True when `segment` is a valid single id segment (e.g. "my-app", "v1.api", ".", "..").
 * Java `String.matches` semantics: the whole segment must match.
 */
export function isValidPathSegment(segment: string): boolean {
  return SEGMENT_RE.test(segment);
}

/** A parsed Marathon PathId. */
interface PathId {
  readonly segments: readonly string[];
  readonly absolute: boolean;
}

/** Marathon's `PathId(String)`: trims slashes, drops empty segments; absolute iff it starts with "/". */
function parse(id: string): PathId {
  const segments = id.replace(/(^\/+)|(\/+$)/g, '').split('/').filter((s) => s.length > 0);
  return { segments, absolute: id.startsWith('/') };
}

function render(p: PathId): string {
  return p.absolute ? `/${p.segments.join('/')}` : p.segments.join('/');
}

/** Marathon's `canonicalPath(base)`: resolves `.`/`..` (clamping at the root), relative ids against `base`. */
function canonical(p: PathId, base: readonly string[]): string[] {
  const input = p.absolute ? p.segments : [...base, ...p.segments];
  const out: string[] = [];
  for (const s of input) {
    if (s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function childOfMessage(parent: string): string {
  return `Identifier is not child of ${parent}. Hint: use relative paths.`;
}

/** Result of {@link resolveAppId}. */
export type ResolveAppIdResult =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly issue: AppValidationIssue };

/**
 * Canonicalises an app id the way Marathon does for apps inside a group: relative ids are
 * resolved against `parentGroup` (root when omitted), `.` and `..` segments are resolved, and the
 * result must be a direct child of the group, non-root, with valid segments and no reserved last
 * segment. Returns the absolute id, or the first issue (path "/id", stage "validate").
 */
export function resolveAppId(id: string, parentGroup?: string): ResolveAppIdResult {
  const fail = (message: string, fix: string): ResolveAppIdResult => ({
    ok: false,
    issue: { path: '/id', message, fix, stage: 'validate' },
  });
  const raw = parse(id);
  if (!raw.segments.every(isValidPathSegment)) return fail(ID_SEGMENT_MESSAGE, ID_FIX);
  const base = parentGroup === undefined ? [] : canonical(parse(parentGroup), []);
  const resolved = canonical(raw, base);
  if (resolved.length === 0) {
    return fail('Path must contain at least one path element', 'Give the app a name below the root group, e.g. "/my-app".');
  }
  if (parentGroup !== undefined && !sameSegments(resolved.slice(0, -1), base)) {
    return fail(
      childOfMessage(`/${base.join('/')}`),
      'Apps in a group must be direct children of it: use a plain relative name such as "my-app".',
    );
  }
  if ((RESERVED_ID_KEYWORDS as readonly string[]).includes(resolved[resolved.length - 1] ?? '')) {
    return fail(RESERVED_MESSAGE, 'Rename the last id segment; restart, tasks and versions are reserved by the REST API.');
  }
  return { ok: true, id: `/${resolved.join('/')}` };
}

/** Validate-stage id rules (read-stage type/pattern checks live in the read modules). */
export function checkId(id: string, ctx: Ctx): void {
  const raw = parse(id);
  const base = ctx.parentGroup === undefined ? [] : canonical(parse(ctx.parentGroup), []);
  const resolved = canonical(raw, base);
  const charsSource = ctx.is14 ? raw.segments : resolved;
  if (!charsSource.every(isValidPathSegment)) ctx.add('/id', ID_SEGMENT_MESSAGE, ID_FIX);

  if (ctx.parentGroup !== undefined) {
    if (!sameSegments(resolved.slice(0, -1), base)) {
      ctx.add(
        '/id',
        childOfMessage(`/${base.join('/')}`),
        `Make the id a direct child of ${render({ segments: base, absolute: true })}, e.g. a plain relative name.`,
      );
    }
  } else if (ctx.is14) {
    // pathIdValidator: an absolute id must equal its canonical form's parent chain.
    const rawParent = raw.segments.slice(0, -1);
    if (raw.absolute && raw.segments.length > 0 && !sameSegments(canonical(raw, []).slice(0, -1), rawParent)) {
      ctx.add('/id', childOfMessage(render({ segments: rawParent, absolute: true })), 'Do not use "." or ".." in a top-level app id.');
    }
    // No "Path needs to be absolute" here: POST /v2/apps canonicalises the id against the root
    // first (`withCanonizedIds()` in AppsResource.create), so the walkthrough's "frontend"
    // is stored as "/frontend" on Marathon 1.4 too.
  } else if (resolved.length === 0) {
    ctx.add('/id', 'Path must contain at least one path element', 'Give the app a name below the root group, e.g. "/my-app".');
    ctx.add('/', 'must not be root', 'The app id must name an app, not the root group "/".');
  }
  const last = resolved[resolved.length - 1];
  if (last !== undefined && (RESERVED_ID_KEYWORDS as readonly string[]).includes(last)) {
    ctx.add('/id', RESERVED_MESSAGE, 'Rename the last id segment; restart, tasks and versions are reserved by the REST API.');
  }
}

/** `dependencies` must be ids with valid segments. */
export function checkDependencies(deps: readonly string[] | undefined, ctx: Ctx): void {
  (deps ?? []).forEach((dep, i) => {
    if (!parse(dep).segments.every(isValidPathSegment)) ctx.add(index('/dependencies', i), ID_SEGMENT_MESSAGE, ID_FIX);
  });
}

/** True when the 1.4 id is the root group ("/", "" or only slashes). */
export function isRootId(id: string): boolean {
  return parse(id).segments.length === 0;
}
