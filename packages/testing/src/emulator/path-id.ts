/**
 * Canonical Marathon path ids (`/group/app`) for routing and storage. Id validation (segment
 * syntax, reserved names, "child of" rules) is the `@dcos-cdk/marathon` validator's job.
 */

/** Segments of an id, ignoring empty ones. */
function segments(id: string): string[] {
  return id.split('/').filter((s) => s.length > 0);
}

/**
 * Canonical absolute id: relative ids resolve against `base`, `.` and `..` are resolved,
 * empty segments dropped. The root is `/`.
 */
export function canonicalId(id: string, base = '/'): string {
  const parts = id.startsWith('/') ? [] : segments(base);
  for (const seg of segments(id)) {
    if (seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

/** Parent group id (`/` for top-level ids and for the root). */
export function parentId(id: string): string {
  const parts = segments(id);
  parts.pop();
  return '/' + parts.join('/');
}

/** True when `id` lies strictly below `group`. */
export function isDescendant(id: string, group: string): boolean {
  if (group === '/') return id !== '/';
  return id.startsWith(group + '/');
}

/** `id` itself and all its ancestors up to the root, root last. */
export function selfAndAncestors(id: string): string[] {
  const out: string[] = [];
  let cur = id;
  for (;;) {
    out.push(cur);
    if (cur === '/') return out;
    cur = parentId(cur);
  }
}
