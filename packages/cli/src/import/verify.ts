/**
 * The round trip: the synthesized bundle must hold exactly the inputs' apps
 * and Calico resources, meaning the same (Marathon apps compared after
 * Marathon's own normalization and defaults; Calico resources in canonical
 * form), and nothing else.
 */
import { isPlainObject, jsonEqual, type Bundle, type JsonValue } from '@dcos-cdk/core';
import { readCalicoYaml, type CalicoResource } from '@dcos-cdk/calico';
import { compareApps } from '@dcos-cdk/marathon/deploy';
import { overrideKey, RESPONSE_ONLY_APP_FIELDS, translateTo15, type MarathonApiVersion, type MarathonAppJson, type MarathonImportOverride } from '@dcos-cdk/marathon';
import type { ImportPlan, PlannedApp, PlannedCalico } from './plan.js';

/** A difference between an input and what the stack synthesizes. */
export interface RoundTripDifference {
  /** The app or resource. */
  readonly item: PlannedApp | PlannedCalico;
  /** What differs (field paths). */
  readonly fields: readonly string[];
}

/**
 * The input app as Marathon would store it: id absolute, nulls and
 * response-only fields dropped, and for Marathon 1.5+ the 1.4 networking
 * fields translated as Marathon 1.5 translates them.
 */
export function inputApp(a: PlannedApp, format: MarathonApiVersion): Record<string, unknown> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isPlainObject(v)) return v;
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) o[k] = strip(x);
    return o;
  };
  const json = strip(a.input.json) as Record<string, unknown>;
  for (const k of RESPONSE_ONLY_APP_FIELDS) delete json[k];
  const app = { ...json, id: a.id };
  return format === '1.5' ? (translateTo15(app as unknown as MarathonAppJson) as unknown as Record<string, unknown>) : app;
}

/** The semantic differences between an input app and its rendering ([] when Marathon sees the same app). */
export function appDifferences(input: Record<string, unknown>, rendered: Record<string, unknown>): string[] {
  return compareApps(rendered, input).map((c) => c.path);
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
}

/** A Calico resource with the defaults that mean "off" filled in, for comparison. */
export function comparableResource(r: CalicoResource): unknown {
  if (r.kind === 'ipPool') return sorted({ ...r, ipipMode: r.ipipMode ?? 'never', natOutgoing: r.natOutgoing ?? false, disabled: r.disabled ?? false, name: undefined });
  return sorted(r);
}

/** The input resource as the stack should write it (renamed with `--rename-duplicates`). */
export function expectedResource(c: PlannedCalico): CalicoResource {
  const r = c.input.located.resource;
  return c.input.name !== undefined && r.kind === 'policy' ? { ...r, name: c.input.name } : r;
}

/** Compares the bundle with the plan's inputs. */
export function verifyBundle(plan: ImportPlan, bundle: Bundle, constructs: ReadonlyMap<string, PlannedApp | PlannedCalico>): RoundTripDifference[] {
  const out: RoundTripDifference[] = [];
  const seen = new Set<PlannedApp | PlannedCalico>();
  for (const a of bundle.artifacts) {
    const item = constructs.get(a.constructPath);
    if (!item) throw new Error(`the imported stack emitted ${a.id} (${a.constructPath}), which no input holds.`);
    seen.add(item);
    if ('props' in item) {
      const fields = appDifferences(inputApp(item, plan.targets.format), JSON.parse(a.content) as Record<string, unknown>);
      if (fields.length > 0) out.push({ item, fields });
      continue;
    }
    const back = readCalicoYaml(a.content, a.file).resources;
    const expected = comparableResource(expectedResource(item));
    if (back.length !== 1 || JSON.stringify(comparableResource(back[0]!)) !== JSON.stringify(expected)) {
      out.push({ item, fields: [`${a.file} reads back as ${JSON.stringify(back.map(comparableResource))}, expected ${JSON.stringify(expected)}`] });
    }
  }
  for (const item of [...plan.apps, ...plan.calico]) if (!seen.has(item)) out.push({ item, fields: ['(not synthesized)'] });
  return out;
}

function leafPaths(a: unknown, b: unknown, path: string[], out: string[][]): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) leafPaths(a[k], b[k], [...path, k], out);
    return;
  }
  if (!jsonEqual(a ?? null, b ?? null) || (a === undefined) !== (b === undefined)) out.push(path);
}

function getPath(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) cur = isPlainObject(cur) ? cur[k] : undefined;
  return cur;
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(root);
  let cur: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = structuredClone(value);
  return copy;
}

/**
 * Overrides that make `rendered` mean what `input` means, for fields the
 * typed mapping missed: each field whose value differs is set (or removed)
 * as written in the input, keeping only those that matter to Marathon.
 * Both must be in the same JSON generation.
 */
export function overridesFor(input: Record<string, unknown>, rendered: Record<string, unknown>): MarathonImportOverride[] {
  const paths: string[][] = [];
  leafPaths(input, rendered, [], paths);
  let current = rendered;
  let left = appDifferences(input, current).length;
  const out: MarathonImportOverride[] = [];
  for (const p of paths.filter((x) => x[0] !== 'id')) {
    if (left === 0) break;
    const value = getPath(input, p);
    const next = setPath(current, p, value);
    const n = appDifferences(input, next).length;
    if (n >= left) continue;
    current = next;
    left = n;
    out.push({ path: p.map(overrideKey).join('.'), ...(value !== undefined ? { value: value as JsonValue } : {}), reason: 'the typed props render this field differently from the input; kept as written' });
  }
  return out;
}
