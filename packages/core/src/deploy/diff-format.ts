/**
 * Readable text for planned changes: one header line per change and, for
 * creates and updates, one line per field, in the style of `terraform plan`
 * and `cdk diff`:
 *
 * ```
 * ~ update  marathon-app:/frontend  Marathon app /frontend
 *     ~ cpus: 0.1 → 0.2
 *     + labels.tier: "web"
 *     - healthChecks[0]: {"protocol":"HTTP"}
 * ```
 */
import type { ChangeAction, PlannedChange } from './driver.js';

/** Options of {@link formatChange} and {@link formatPlan}. */
export interface DiffFormatOptions {
  /** Longest rendering of one value before it is cut with `…`. Default 120. */
  readonly maxValueLength?: number;
  /** Most field lines shown per change before `… and N more`. Default 50. */
  readonly maxFields?: number;
  /** Also list unchanged artifacts. Default false. */
  readonly showUnchanged?: boolean;
}

/** Counts of planned changes by action. */
export interface ChangeCounts {
  create: number;
  update: number;
  delete: number;
  noop: number;
}

const SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-', noop: '=' };

/** Renders a JSON value on one line, cut at `max` characters. */
export function renderValue(value: unknown, max = 120): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** Counts changes by action. */
export function countChanges(changes: readonly PlannedChange[]): ChangeCounts {
  const counts: ChangeCounts = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const c of changes) counts[c.action]++;
  return counts;
}

/** Lines describing one change: a header and its field-level differences. */
export function formatChange(change: PlannedChange, options: DiffFormatOptions = {}): string[] {
  const max = options.maxValueLength ?? 120;
  const maxFields = options.maxFields ?? 50;
  const lines = [`${SYMBOL[change.action]} ${change.action.padEnd(6)}  ${change.id}  ${change.resource}`];
  if (change.action === 'delete' || change.action === 'noop') return lines;
  const fields = change.fields.slice(0, maxFields);
  for (const f of fields) {
    if (f.before === undefined && f.after !== undefined) lines.push(`    + ${f.path}: ${renderValue(f.after, max)}`);
    else if (f.after === undefined && f.before !== undefined) lines.push(`    - ${f.path}: ${renderValue(f.before, max)}`);
    else lines.push(`    ~ ${f.path}: ${renderValue(f.before, max)} → ${renderValue(f.after, max)}`);
  }
  if (change.fields.length > fields.length) lines.push(`    … and ${change.fields.length - fields.length} more`);
  return lines;
}

/** One-line summary, e.g. `2 to create, 1 to update, 0 to delete, 5 unchanged`. */
export function summarizeCounts(counts: ChangeCounts): string {
  return `${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.noop} unchanged`;
}

/**
 * Lines for a whole plan: every change (in the given order) followed by a
 * summary line; `No changes.` when nothing differs.
 */
export function formatPlan(changes: readonly PlannedChange[], options: DiffFormatOptions = {}): string[] {
  const counts = countChanges(changes);
  const lines: string[] = [];
  for (const c of changes) {
    if (c.action === 'noop' && !options.showUnchanged) continue;
    lines.push(...formatChange(c, options));
  }
  if (counts.create + counts.update + counts.delete === 0) lines.push(`No changes (${counts.noop} unchanged).`);
  else lines.push(`Plan: ${summarizeCounts(counts)}.`);
  return lines;
}
