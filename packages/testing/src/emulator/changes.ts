/**
 * Committing changes: every change is one root update producing one deployment plan
 * (marathon.md section 2). Assigns versions (`version`, `versionInfo.lastScalingAt`,
 * `versionInfo.lastConfigChangeAt`), service ports, checks the deployment lock, applies the
 * new tree and starts the deployment.
 */
import { randomUUID } from 'node:crypto';
import { buildSteps, isConfigChange, affectedApps } from './deployments.js';
import type { DeploymentManager, DeploymentPlan } from './deployments.js';
import { marathonError } from './http.js';
import type { HttpError } from './http.js';
import { cloneJson, isJsonObject } from './json.js';
import { parentId } from './path-id.js';
import { assignServicePorts, servicePortsOf } from './service-ports.js';
import type { MarathonState, VersionClock } from './state.js';
import type { JsonObject } from './types.js';

/** Marathon's lock message (the `<DEPLOYMENT_ID>` placeholder is literal upstream). */
export const LOCK_MESSAGE =
  "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.";

/** 409 answer for a locked app. */
export function lockError(deploymentIds: string[]): HttpError {
  return marathonError(409, LOCK_MESSAGE, { deployments: deploymentIds.map((id) => ({ id })) });
}

/** A change to one app. */
export interface AppChange {
  /** Canonical app id. */
  id: string;
  /** New normalized definition, or null to remove the app. */
  def: JsonObject | null;
  /** Store `def` as is (version fields included): used for rollbacks to stored versions. */
  keepVersion?: boolean;
  /** Force a RestartApplication and new config version. */
  restart?: boolean;
}

/** Group-level parts of a change. */
export interface GroupChange {
  /** Groups to create or update (dependencies replaced when given). */
  upsert?: Array<{ id: string; dependencies?: string[] }>;
  /** Groups to remove with their subtree (their apps must be listed as removals too). */
  remove?: string[];
}

/** Options of {@link ChangeEngine.commit}. */
export interface CommitOptions {
  /** Cancel conflicting deployments instead of answering 409. */
  force: boolean;
  /** Compute the plan without applying it. */
  dryRun?: boolean;
  /** Group-level changes. */
  groups?: GroupChange;
}

function withVersion(def: JsonObject, current: JsonObject | null, ts: string, restart: boolean): JsonObject {
  const out = cloneJson(def);
  const prevInfo = current && isJsonObject(current.versionInfo) ? current.versionInfo : undefined;
  if (!current || restart || isConfigChange(current, def)) {
    out.version = ts;
    out.versionInfo = { lastScalingAt: ts, lastConfigChangeAt: ts };
  } else if (current.instances !== def.instances) {
    out.version = ts;
    out.versionInfo = { lastScalingAt: ts, lastConfigChangeAt: prevInfo?.lastConfigChangeAt ?? ts };
  } else {
    out.version = current.version ?? ts;
    out.versionInfo = cloneJson(prevInfo ?? { lastScalingAt: ts, lastConfigChangeAt: ts });
  }
  return out;
}

/** Applies changes to the state and the deployment manager. */
export class ChangeEngine {
  constructor(
    private readonly state: MarathonState,
    private readonly deployments: DeploymentManager,
    private readonly versions: VersionClock,
  ) {}

  /** Next version timestamp. */
  nextVersion(): string {
    return this.versions.next();
  }

  /** Commit a change set; throws the 409 lock error when a running deployment holds an app and `force` is false. */
  commit(changes: AppChange[], options: CommitOptions): DeploymentPlan {
    const ts = this.versions.next();
    const original = new Map<string, JsonObject | null>();
    const target = new Map<string, JsonObject | null>();
    const restart = new Set<string>();
    const changedIds = new Set(changes.map((c) => c.id));
    const taken = new Set<number>();
    for (const [id, a] of this.state.apps) if (!changedIds.has(id)) for (const p of servicePortsOf(a.def)) taken.add(p);

    for (const change of changes) {
      const current = this.state.apps.get(change.id)?.def ?? null;
      original.set(change.id, current);
      if (!change.def) {
        target.set(change.id, null);
        continue;
      }
      if (change.keepVersion) {
        target.set(change.id, cloneJson(change.def));
        continue;
      }
      const def = cloneJson(change.def);
      def.id = change.id;
      assignServicePorts(def, current ?? undefined, taken);
      target.set(change.id, withVersion(def, current, ts, change.restart === true));
      if (change.restart) restart.add(change.id);
    }

    const allTarget = this.state.appDefs();
    for (const [id, def] of target) {
      if (def) allTarget.set(id, def);
      else allTarget.delete(id);
    }
    const steps = buildSteps(original, target, restart, allTarget);
    const plan: DeploymentPlan = { id: randomUUID(), version: ts, steps, original, target, startedAt: Date.now() };
    const conflicts = this.deployments.conflicts(affectedApps(plan));
    if (conflicts.length > 0 && !options.force) throw lockError(conflicts.map((c) => c.id));
    if (options.dryRun) return plan;
    for (const c of conflicts) this.deployments.cancel(c.id);
    this.apply(plan, options.groups ?? {}, ts);
    this.deployments.start(plan);
    return plan;
  }

  private apply(plan: DeploymentPlan, groups: GroupChange, ts: string): void {
    const touched = new Set<string>();
    for (const [id, def] of plan.target) {
      if (def === null) {
        if (this.state.apps.delete(id)) touched.add(parentId(id));
      }
    }
    for (const g of groups.remove ?? []) {
      this.state.removeGroupTree(g);
      touched.add(parentId(g));
    }
    for (const [id, def] of plan.target) {
      if (!def) continue;
      const before = this.state.apps.get(id)?.def;
      if (before && before.version === def.version && !isConfigChange(before, def)) continue;
      this.state.ensureGroup(parentId(id), ts);
      this.state.putApp(id, def);
      touched.add(parentId(id));
    }
    for (const g of groups.upsert ?? []) {
      this.state.ensureGroup(g.id, ts);
      const group = this.state.groups.get(g.id)!;
      if (g.dependencies) group.dependencies = g.dependencies;
      touched.add(g.id);
    }
    if (touched.size === 0) return;
    for (const g of touched) this.state.touchGroups(g, ts);
    this.state.snapshot(ts);
  }
}
