/** `/v2/apps` routes (marathon.md section 2). */
import { checkApp, readApp, throwIssues } from './app-input.js';
import type { AppChange } from './changes.js';
import { NO_EMBEDS, SINGLE_APP_EMBEDS, parseEmbeds, renderApp } from './context.js';
import type { MarathonContext } from './context.js';
import { deploymentResult, marathonError, parseJsonBody, queryBool } from './http.js';
import type { RouteRequest, RouteResponse } from './http.js';
import { cloneJson, isJsonObject, objectAt, stringAt } from './json.js';
import { parseLabelSelector } from './label-selector.js';
import { issuesToError } from './validation.js';
import { canonicalId } from './path-id.js';
import type { AppValidationIssue, JsonObject, JsonValue } from './types.js';

/** 404 for an unknown app (optionally in a version). */
export function unknownApp(id: string, version?: string): Error {
  return marathonError(404, `App '${id}' does not exist` + (version ? ` in version ${version}` : ''));
}

function decodeId(raw: string): string {
  return canonicalId(decodeURIComponent(raw));
}

function labelsOf(def: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(objectAt(def, 'labels') ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/** GET /v2/apps */
export function listApps(ctx: MarathonContext, req: RouteRequest): RouteResponse {
  const cmd = req.query.get('cmd')?.toLowerCase();
  const idFilter = req.query.get('id')?.toLowerCase();
  const label = req.query.get('label');
  const selector = label ? parseLabelSelector(label) : undefined;
  const embeds = parseEmbeds(req.query.getAll('embed'), ['apps.', 'app.'], { ...NO_EMBEDS, counts: true, deployments: true });
  const apps: JsonValue[] = [];
  for (const id of [...ctx.state.apps.keys()].sort()) {
    const def = ctx.state.apps.get(id)!.def;
    if (cmd !== undefined && !(stringAt(def, 'cmd') ?? '').toLowerCase().includes(cmd)) continue;
    if (idFilter !== undefined && !id.toLowerCase().includes(idFilter)) continue;
    if (selector && !selector(labelsOf(def))) continue;
    apps.push(renderApp(ctx, id, embeds)!);
  }
  return { status: 200, body: { apps } };
}

/** POST /v2/apps */
export function createApp(ctx: MarathonContext, req: RouteRequest): RouteResponse {
  const app = readApp(ctx, req.body, { operation: 'create', baseGroup: '/' });
  if (ctx.state.apps.has(app.id)) throw marathonError(409, `An app with id [${app.id}] already exists.`);
  const plan = ctx.engine.commit([{ id: app.id, def: app.def }], { force: queryBool(req.query, 'force', false) });
  const body: JsonObject = {
    ...renderApp(ctx, app.id, NO_EMBEDS)!,
    tasksStaged: 0,
    tasksRunning: 0,
    tasksHealthy: 0,
    tasksUnhealthy: 0,
    deployments: [{ id: plan.id }],
    tasks: [],
  };
  return {
    status: 201,
    body,
    headers: { Location: req.baseUrl + app.id, 'Marathon-Deployment-Id': plan.id },
  };
}

/** GET /v2/apps/{id} (and `{group}/*`) */
export function showApp(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const embeds = parseEmbeds(req.query.getAll('embed'), ['app.', 'apps.'], SINGLE_APP_EMBEDS);
  const star = /^(.*\/)?\*$/.exec(rawId);
  if (star) {
    const group = canonicalId(decodeURIComponent(star[1] ?? '/'));
    return { status: 200, body: { '*': ctx.state.appIdsUnder(group).map((id) => renderApp(ctx, id, embeds)!) } };
  }
  const id = decodeId(rawId);
  const app = renderApp(ctx, id, embeds);
  if (!app) throw unknownApp(id);
  return { status: 200, body: { app } };
}

function isRollback(body: JsonValue): body is JsonObject & { version: string } {
  return isJsonObject(body) && typeof body.version === 'string' && Object.keys(body).length === 1;
}

/** Definition of an app as stored in `version` (without its version fields). */
function versionedDefinition(ctx: MarathonContext, id: string, version: string): JsonObject {
  const found = ctx.state.apps.get(id)?.history.find((h) => h.version === version);
  if (!found) throw unknownApp(id, version);
  const def = cloneJson(found);
  delete def.version;
  delete def.versionInfo;
  return def;
}

/** PUT / PATCH /v2/apps/{id} */
export function updateApp(ctx: MarathonContext, req: RouteRequest, rawId: string, patch: boolean): RouteResponse {
  const id = decodeId(rawId);
  const force = queryBool(req.query, 'force', false);
  const body = parseJsonBody(req.body);
  const current = ctx.state.apps.get(id)?.def;
  if (!patch && isRollback(body)) {
    if (!current) throw unknownApp(id);
    const plan = ctx.engine.commit([{ id, def: versionedDefinition(ctx, id, body.version) }], { force });
    return deploymentResult(plan);
  }
  if (!current && patch) throw unknownApp(id);
  const partial = patch || queryBool(req.query, 'partialUpdate', true);
  const checked = checkApp(ctx, body, { operation: 'update', baseGroup: '/', pathId: id, mergeInto: partial ? current : undefined });
  throwIssues(ctx, checked.issues);
  const plan = ctx.engine.commit([{ id, def: checked.app!.def }], { force });
  if (!current) return deploymentResult(plan, 201, { Location: req.baseUrl + id });
  return deploymentResult(plan);
}

/** PUT / PATCH /v2/apps (array, one deployment) */
export function updateApps(ctx: MarathonContext, req: RouteRequest, patch: boolean): RouteResponse {
  const body = parseJsonBody(req.body);
  const force = queryBool(req.query, 'force', false);
  const partial = patch || queryBool(req.query, 'partialUpdate', true);
  if (!Array.isArray(body)) {
    throw issuesToError([{ path: '/', message: 'error.expected.jsarray', fix: 'send an array of apps', stage: 'read' }], ctx.version)!;
  }
  const issues: AppValidationIssue[] = [];
  const changes: AppChange[] = [];
  body.forEach((item, i) => {
    if (!isJsonObject(item) || typeof item.id !== 'string') {
      issues.push({ path: `/(${i})/id`, message: 'error.path.missing', fix: 'give every app an id', stage: 'read' });
      return;
    }
    const id = canonicalId(item.id);
    const current = ctx.state.apps.get(id)?.def;
    if (!current && patch) throw unknownApp(id);
    const checked = checkApp(ctx, item, { operation: 'update', baseGroup: '/', mergeInto: partial ? current : undefined }, `/(${i})`);
    issues.push(...checked.issues);
    if (checked.app) changes.push({ id: checked.app.id, def: checked.app.def });
  });
  throwIssues(ctx, issues);
  return deploymentResult(ctx.engine.commit(changes, { force }));
}

/** DELETE /v2/apps/{id} (force defaults to true) */
export function deleteApp(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const id = decodeId(rawId);
  if (!ctx.state.apps.has(id)) throw unknownApp(id);
  return deploymentResult(ctx.engine.commit([{ id, def: null }], { force: queryBool(req.query, 'force', true) }));
}

/** POST /v2/apps/{id}/restart */
export function restartApp(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const id = decodeId(rawId);
  const current = ctx.state.apps.get(id)?.def;
  if (!current) throw unknownApp(id);
  const plan = ctx.engine.commit([{ id, def: current, restart: true }], { force: queryBool(req.query, 'force', false) });
  return deploymentResult(plan);
}

/** GET /v2/apps/{id}/versions */
export function appVersions(ctx: MarathonContext, rawId: string): RouteResponse {
  const id = decodeId(rawId);
  const app = ctx.state.apps.get(id);
  if (!app) throw unknownApp(id);
  return { status: 200, body: { versions: app.history.map((h) => String(h.version)).reverse() } };
}

/** GET /v2/apps/{id}/versions/{version} */
export function appVersion(ctx: MarathonContext, rawId: string, version: string): RouteResponse {
  const id = decodeId(rawId);
  const found = ctx.state.apps.get(id)?.history.find((h) => h.version === decodeURIComponent(version));
  if (!found) throw unknownApp(id, decodeURIComponent(version));
  return { status: 200, body: cloneJson(found) };
}

/** GET /v2/apps/{id}/tasks */
export function appTasks(ctx: MarathonContext, rawId: string): RouteResponse {
  const id = decodeId(rawId);
  const app = ctx.state.apps.get(id);
  if (!app) throw unknownApp(id);
  return { status: 200, body: { tasks: cloneJson(app.tasks) } };
}
