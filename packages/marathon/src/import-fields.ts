/**
 * Fields of an app definition that Marathon does not know. Marathon's readers
 * skip unknown fields silently, so a misspelt `"instnaces": 3` deploys with
 * one instance; `dcos-cdk import` reports them instead.
 */
import type { ReadSpec } from './validation/read.js';
import { APP_SPEC_14 } from './validation/read-1.4.js';
import { APP_SPEC_15 } from './validation/read-1.5.js';
import type { MarathonApiVersion } from './validation/types.js';

/** A field Marathon would ignore. */
export interface UnknownAppField {
  /** Path of the field: keys and array indexes, the field's own key last. */
  readonly path: ReadonlyArray<string | number>;
  /** What is wrong with it. */
  readonly message: string;
}

/** Fields of Marathon's answers, accepted (and dropped) in a definition taken from `GET /v2/apps`. */
export const RESPONSE_ONLY_APP_FIELDS: readonly string[] = ['version', 'versionInfo', 'tasks', 'deployments', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'lastTaskFailure', 'readinessCheckResults', 'taskStats', 'taskCounts'];

const SPECS: Readonly<Record<MarathonApiVersion, ReadSpec>> = { '1.4': APP_SPEC_14, '1.5': APP_SPEC_15 };

/** The reader spec of the field at `path` in `spec`, when the spec describes it. */
function specAt(spec: ReadSpec | undefined, path: ReadonlyArray<string | number>): ReadSpec | undefined {
  let s = spec;
  for (const step of path) {
    if (s === undefined) return undefined;
    if (typeof step === 'number') s = s.t === 'array' ? s.items : undefined;
    else if (s.t === 'object') s = s.fields[step]?.spec;
    else if (s.t === 'map') s = s.values;
    else return undefined;
  }
  return s;
}

function walk(value: unknown, spec: ReadSpec, path: Array<string | number>, version: MarathonApiVersion, out: UnknownAppField[]): void {
  if (spec.t === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => walk(v, spec.items, [...path, i], version, out));
    return;
  }
  if (spec.t === 'map' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) walk(v, spec.values, [...path, k], version, out);
    return;
  }
  if (spec.t !== 'object' || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const other: MarathonApiVersion = version === '1.4' ? '1.5' : '1.4';
  for (const [k, v] of Object.entries(value)) {
    const field = spec.fields[k];
    if (field) {
      walk(v, field.spec, [...path, k], version, out);
      continue;
    }
    if (path.length === 0 && RESPONSE_ONLY_APP_FIELDS.includes(k)) continue;
    const where = [...path, k];
    const known = specAt(SPECS[other], where) !== undefined;
    out.push({
      path: where,
      message: known
        ? `field '${k}' is a Marathon ${other} field; Marathon ${version} ignores it.`
        : `unknown field '${k}'; Marathon ${version} ignores fields it does not know, so this one would have no effect.`,
    });
  }
}

/**
 * The fields of `app` that Marathon `version` does not read: misspelt
 * fields, and fields of the other API generation (`networks` sent to
 * Marathon 1.4, `storeUrls` to 1.5). Response-only fields (`version`,
 * `tasks`, ...) are not reported.
 */
export function unknownAppFields(app: unknown, version: MarathonApiVersion): UnknownAppField[] {
  const out: UnknownAppField[] = [];
  walk(app, SPECS[version], [], version, out);
  return out;
}
