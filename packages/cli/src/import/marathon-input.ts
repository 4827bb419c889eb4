/**
 * Marathon app definitions in the inputs: one app, an array of apps, or a
 * group `{ id, apps, groups }` (as `GET /v2/groups` returns it), each app
 * with its position, checked with Marathon's own rules for the target
 * version.
 */
import { resolveAppId, unknownAppFields, validateAppDefinition, type MarathonApiVersion } from '@dcos-cdk/marathon';
import type { ImportIssue } from './issues.js';
import type { JsonPath, JsonSource } from './json-source.js';

/** One app definition found in an input. */
export interface AppInput {
  readonly source: JsonSource;
  /** Path of the app in its document. */
  readonly path: JsonPath;
  /** The definition as written. */
  readonly json: Readonly<Record<string, unknown>>;
  /** The group it sits in, for apps of a group document. */
  readonly parentGroup?: string;
  /** Its absolute id, when the id is valid. */
  readonly id?: string;
  /** `file:line:column` of the app. */
  readonly where: string;
}

const GROUP_FIELDS = ['id', 'apps', 'groups', 'dependencies', 'version', 'pods', 'enforceRole'];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for a group document: `apps` or `groups` and none of an app's own fields. */
function isGroup(v: Record<string, unknown>): boolean {
  return (Array.isArray(v.apps) || Array.isArray(v.groups)) && Object.keys(v).every((k) => GROUP_FIELDS.includes(k));
}

function issue(source: JsonSource, path: JsonPath, message: string, fix: string, atKey = false, severity: 'error' | 'warning' = 'error'): ImportIssue {
  return { severity, file: source.file, ...source.locate(path, atKey), message, fix };
}

function where(source: JsonSource, path: JsonPath): string {
  const p = source.locate(path);
  return `${source.file}:${p.line}:${p.column}`;
}

function app(source: JsonSource, path: JsonPath, v: unknown, parentGroup: string | undefined, issues: ImportIssue[]): AppInput | undefined {
  if (!isObj(v)) {
    issues.push(issue(source, path, 'expected a Marathon app definition (a JSON object with an "id").', 'Write the app as an object, or a list of them.'));
    return undefined;
  }
  let id: string | undefined;
  if (typeof v.id === 'string' && v.id !== '') {
    const r = resolveAppId(v.id, parentGroup);
    if (r.ok) id = r.id;
  }
  return { source, path, json: v, ...(parentGroup !== undefined ? { parentGroup } : {}), ...(id !== undefined ? { id } : {}), where: where(source, path) };
}

function group(source: JsonSource, path: JsonPath, g: Record<string, unknown>, parent: string, out: AppInput[], issues: ImportIssue[]): void {
  let id = parent;
  if (g.id !== undefined) {
    const raw = String(g.id);
    const segments = (raw.startsWith('/') ? raw : `${parent}/${raw}`).split('/').filter((s) => s !== '' && s !== '.');
    const resolved: string[] = [];
    for (const s of segments) if (s === '..') resolved.pop(); else resolved.push(s);
    id = `/${resolved.join('/')}`;
  }
  for (const key of Object.keys(g)) {
    if (!GROUP_FIELDS.includes(key)) issues.push(issue(source, [...path, key], `unknown field '${key}' in a Marathon group.`, `A group has ${GROUP_FIELDS.join(', ')}.`, true));
  }
  if (Array.isArray(g.dependencies) && g.dependencies.length > 0) {
    issues.push(issue(source, [...path, 'dependencies'], `group ${id} has dependencies; dcos-cdk imports apps, and group-level dependencies have no typed equivalent.`, "Move the dependencies to the group's apps (their 'dependencies'), then import again."));
  }
  if (Array.isArray(g.pods) && g.pods.length > 0) {
    issues.push(issue(source, [...path, 'pods'], `group ${id} has pods; dcos-cdk imports Marathon apps, not pods.`, 'Import the pods separately (they are not supported), or remove them from the file.'));
  }
  // `{ "apps": [...] }` without an id is a GET /v2/apps answer: a list of apps anywhere in the tree, not a group.
  const parentGroup = g.id === undefined && path.length === 0 ? undefined : id;
  (Array.isArray(g.apps) ? g.apps : []).forEach((a, i) => {
    const x = app(source, [...path, 'apps', i], a, parentGroup, issues);
    if (x) out.push(x);
  });
  (Array.isArray(g.groups) ? g.groups : []).forEach((sub, i) => {
    if (isObj(sub)) group(source, [...path, 'groups', i], sub, id, out, issues);
    else issues.push(issue(source, [...path, 'groups', i], 'expected a Marathon group (an object).', 'Write the group as an object with id, apps and groups.'));
  });
}

/** The app definitions of a JSON document. */
export function extractApps(source: JsonSource): { apps: AppInput[]; issues: ImportIssue[] } {
  const apps: AppInput[] = [];
  const issues: ImportIssue[] = [];
  const v = source.value;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      const a = app(source, [i], x, undefined, issues);
      if (a) apps.push(a);
    });
  } else if (isObj(v) && isGroup(v)) group(source, [], v, '/', apps, issues);
  else {
    const a = app(source, [], v, undefined, issues);
    if (a) apps.push(a);
  }
  return { apps, issues };
}

/** Marathon's path (`/healthChecks(0)/portIndex`) as a JSON path. */
export function marathonPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const seg of path.split('/').filter((s) => s !== '')) {
    const m = /^([^()]*)((?:\(\d+\))*)$/.exec(seg);
    if (!m) {
      out.push(seg);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\((\d+)\)/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** DC/OS starts Marathon with these features; Enterprise adds `secrets`. */
const DCOS_FEATURES = ['vips', 'task_killing', 'external_volumes', 'gpu_resources'];

/**
 * Checks an app as Marathon `format` would (unknown fields first: Marathon
 * would silently drop them), with its id made absolute first, as the server
 * stores it. Every issue carries the position of the offending field.
 */
export function checkApp(a: AppInput, format: MarathonApiVersion, enterprise: boolean): ImportIssue[] {
  const out: ImportIssue[] = unknownAppFields(a.json, format).map((u) =>
    issue(a.source, [...a.path, ...u.path], u.message, 'Remove the field or fix its spelling; see the Marathon app definition of that version.', true),
  );
  const json = a.id !== undefined && a.parentGroup === undefined ? { ...a.json, id: a.id } : a.json;
  const features = enterprise ? [...DCOS_FEATURES, 'secrets'] : DCOS_FEATURES;
  for (const i of validateAppDefinition(json, format, { features, ...(a.parentGroup !== undefined ? { parentGroup: a.parentGroup } : {}) })) {
    out.push(issue(a.source, [...a.path, ...marathonPath(i.path)], `Marathon ${format} would reject the app${a.id ? ` ${a.id}` : ''}: ${i.path === '/' ? '' : `${i.path}: `}${i.message}`, i.fix));
  }
  return out;
}
