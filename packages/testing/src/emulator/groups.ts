/**
 * `/v2/groups` routes (marathon.md section 2, "Group PUT semantics"): a given `apps` array
 * replaces the group's app set, a given `groups` array replaces the subgroups, absent fields
 * keep their values, ids resolve relative to the group; `version` rolls back, `scaleBy` scales.
 */
import { resolveAppId } from '@dcos-cdk/marathon';
import { checkApp, throwIssues } from './app-input.js';
import type { AppChange } from './changes.js';
import { NO_EMBEDS, parseEmbeds, renderApp } from './context.js';
import type { AppEmbeds, MarathonContext } from './context.js';
import { stepsJson } from './deployments.js';
import { deploymentResult, marathonError, parseJsonBody, queryBool } from './http.js';
import type { RouteRequest, RouteResponse } from './http.js';
import { cloneJson, isJsonObject, numberAt } from './json.js';
import { canonicalId, isDescendant } from './path-id.js';
import { prefixIssues } from './validation.js';
import type { AppValidationIssue, JsonObject, JsonValue } from './types.js';

/** 404 for an unknown group. */
export function unknownGroup(id: string): Error {
  return marathonError(404, `Group '${id}' does not exist`);
}

function groupIdOf(rawId: string): string {
  return canonicalId(decodeURIComponent(rawId));
}

interface RenderOptions {
  apps: boolean;
  groups: boolean;
  appEmbeds: AppEmbeds;
}

function renderGroup(ctx: MarathonContext, id: string, options: RenderOptions): JsonObject {
  const group = ctx.state.groups.get(id)!;
  const out: JsonObject = { id };
  if (options.apps) out.apps = ctx.state.childAppIds(id).map((a) => renderApp(ctx, a, options.appEmbeds)!);
  if (options.groups) out.groups = ctx.state.childGroupIds(id).map((g) => renderGroup(ctx, g, options));
  out.pods = [];
  out.dependencies = [...group.dependencies];
  out.version = group.version;
  return out;
}

/** Group tree `{id, apps, groups, pods, dependencies, version}` with plain app definitions. */
export function groupTree(ctx: MarathonContext, id = '/'): JsonObject | undefined {
  return ctx.state.groups.has(id) ? renderGroup(ctx, id, { apps: true, groups: true, appEmbeds: NO_EMBEDS }) : undefined;
}

/** GET /v2/groups[/{id}] */
export function showGroup(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const id = groupIdOf(rawId);
  if (!ctx.state.groups.has(id)) throw unknownGroup(id);
  const embed = req.query.getAll('embed');
  const options: RenderOptions =
    embed.length === 0
      ? { apps: true, groups: true, appEmbeds: NO_EMBEDS }
      : {
          apps: embed.some((e) => e.startsWith('group.apps')),
          groups: embed.includes('group.groups'),
          appEmbeds: parseEmbeds(embed, ['group.apps.'], NO_EMBEDS),
        };
  return { status: 200, body: renderGroup(ctx, id, options) };
}

/** GET /v2/groups/{id}/versions */
export function groupVersions(ctx: MarathonContext, rawId: string): RouteResponse {
  const id = groupIdOf(rawId);
  if (!ctx.state.groups.has(id)) throw unknownGroup(id);
  const versions = new Set<string>();
  for (const s of ctx.state.snapshots) {
    const v = s.groups.get(id)?.version;
    if (v) versions.add(v);
  }
  return { status: 200, body: [...versions].reverse() };
}

interface GroupPlan {
  changes: Map<string, AppChange>;
  upsert: Array<{ id: string; dependencies?: string[] }>;
  remove: string[];
  issues: AppValidationIssue[];
}

function removeSubtree(ctx: MarathonContext, gid: string, plan: GroupPlan): void {
  plan.remove.push(gid);
  for (const a of ctx.state.appIdsUnder(gid)) if (!plan.changes.has(a)) plan.changes.set(a, { id: a, def: null });
}

function planGroup(ctx: MarathonContext, gid: string, update: JsonObject, prefix: string, plan: GroupPlan): void {
  const exists = ctx.state.groups.has(gid);
  const deps = Array.isArray(update.dependencies)
    ? update.dependencies.filter((d): d is string => typeof d === 'string').map((d) => canonicalId(d, gid))
    : undefined;
  plan.upsert.push(deps ? { id: gid, dependencies: deps } : { id: gid });
  if (Array.isArray(update.apps)) {
    const given = new Set<string>();
    update.apps.forEach((raw, i) => {
      const checked = checkApp(ctx, raw, { operation: 'group', baseGroup: gid }, `${prefix}/apps(${i})`);
      plan.issues.push(...checked.issues);
      if (!checked.app) return;
      given.add(checked.app.id);
      plan.changes.set(checked.app.id, { id: checked.app.id, def: checked.app.def });
    });
    if (exists) {
      for (const a of ctx.state.childAppIds(gid)) if (!given.has(a)) plan.changes.set(a, { id: a, def: null });
    }
  }
  if (Array.isArray(update.groups)) {
    const given = new Set<string>();
    update.groups.forEach((raw, j) => {
      const path = `${prefix}/groups(${j})`;
      if (!isJsonObject(raw) || typeof raw.id !== 'string') {
        plan.issues.push({ path: `${path}/id`, message: 'error.path.missing', fix: 'give the group an id', stage: 'read' });
        return;
      }
      // Subgroups follow the id rules of apps in a group: valid segments, direct child of the group.
      const sub = resolveAppId(raw.id, gid);
      if (!sub.ok) {
        plan.issues.push(...prefixIssues([sub.issue], path));
        return;
      }
      given.add(sub.id);
      planGroup(ctx, sub.id, raw, path, plan);
    });
    if (exists) for (const g of ctx.state.childGroupIds(gid)) if (!given.has(g)) removeSubtree(ctx, g, plan);
  }
}

function commitPlan(ctx: MarathonContext, plan: GroupPlan, force: boolean, dryRun = false) {
  throwIssues(ctx, plan.issues);
  return ctx.engine.commit([...plan.changes.values()], { force, dryRun, groups: { upsert: plan.upsert, remove: plan.remove } });
}

function emptyPlan(): GroupPlan {
  return { changes: new Map(), upsert: [], remove: [], issues: [] };
}

function readGroupBody(ctx: MarathonContext, text: string): JsonObject {
  const body: JsonValue = parseJsonBody(text);
  if (!isJsonObject(body)) {
    throwIssues(ctx, [{ path: '/', message: 'error.expected.jsobject', fix: 'send a JSON object', stage: 'read' }]);
  }
  return body as JsonObject;
}

function effectiveId(body: JsonObject, pathId: string): string {
  return typeof body.id === 'string' ? canonicalId(body.id, pathId) : pathId;
}

/** POST /v2/groups[/{id}] */
export function createGroup(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const body = readGroupBody(ctx, req.body);
  const id = effectiveId(body, groupIdOf(rawId));
  if (ctx.state.groups.has(id)) throw marathonError(409, `Group ${id} is already created. Use PUT to change this group.`);
  const plan = emptyPlan();
  planGroup(ctx, id, body, '', plan);
  const deployment = commitPlan(ctx, plan, queryBool(req.query, 'force', false));
  return deploymentResult(deployment, 201, { Location: req.baseUrl + id });
}

function rollbackPlan(ctx: MarathonContext, gid: string, version: string): GroupPlan {
  const snap = ctx.state.snapshots.find((s) => s.groups.get(gid)?.version === version);
  if (!snap) throw marathonError(404, `Group '${gid}' does not exist in version ${version}`);
  const plan = emptyPlan();
  const inside = (id: string): boolean => id === gid || isDescendant(id, gid);
  for (const a of ctx.state.appIdsUnder(gid)) if (!snap.apps.has(a)) plan.changes.set(a, { id: a, def: null });
  for (const [a, def] of snap.apps) {
    if (!inside(a)) continue;
    const copy = cloneJson(def);
    delete copy.version;
    delete copy.versionInfo;
    plan.changes.set(a, { id: a, def: copy });
  }
  for (const g of ctx.state.groups.keys()) if (g !== gid && inside(g) && !snap.groups.has(g)) removeSubtree(ctx, g, plan);
  for (const [g, stored] of snap.groups) if (inside(g)) plan.upsert.push({ id: g, dependencies: [...stored.dependencies] });
  return plan;
}

function scalePlan(ctx: MarathonContext, gid: string, factor: number): GroupPlan {
  const plan = emptyPlan();
  for (const a of ctx.state.appIdsUnder(gid)) {
    const def = cloneJson(ctx.state.apps.get(a)!.def);
    def.instances = Math.ceil((numberAt(def, 'instances') ?? 0) * factor);
    plan.changes.set(a, { id: a, def });
  }
  return plan;
}

/** PUT /v2/groups[/{id}] */
export function updateGroup(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const body = readGroupBody(ctx, req.body);
  const id = effectiveId(body, groupIdOf(rawId));
  const force = queryBool(req.query, 'force', false);
  let plan: GroupPlan;
  if (typeof body.version === 'string') {
    if (!ctx.state.groups.has(id)) throw unknownGroup(id);
    plan = rollbackPlan(ctx, id, body.version);
  } else if (typeof body.scaleBy === 'number') {
    if (!ctx.state.groups.has(id)) throw unknownGroup(id);
    plan = scalePlan(ctx, id, body.scaleBy);
  } else {
    plan = emptyPlan();
    planGroup(ctx, id, body, '', plan);
  }
  if (queryBool(req.query, 'dryRun', false)) {
    const dry = commitPlan(ctx, plan, true, true);
    return { status: 200, body: { steps: stepsJson(dry.steps) } };
  }
  return deploymentResult(commitPlan(ctx, plan, force));
}

/** DELETE /v2/groups[/{id}] */
export function deleteGroup(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const id = groupIdOf(rawId);
  if (!ctx.state.groups.has(id)) throw unknownGroup(id);
  const plan = emptyPlan();
  if (id === '/') for (const g of ctx.state.childGroupIds('/')) removeSubtree(ctx, g, plan);
  else removeSubtree(ctx, id, plan);
  for (const a of ctx.state.appIdsUnder(id)) if (!plan.changes.has(a)) plan.changes.set(a, { id: a, def: null });
  return deploymentResult(commitPlan(ctx, plan, queryBool(req.query, 'force', false)));
}
