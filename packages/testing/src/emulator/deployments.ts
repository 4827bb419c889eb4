/**
 * Deployment plans (marathon.md section 2; Marathon `DeploymentPlan`): steps are
 * 1. StopApplication for removed apps, 2. StartApplication for new apps, then
 * 3. ScaleApplication / RestartApplication layered by the longest dependency path.
 * Plans stay in `/v2/deployments` for a fixed duration, then complete.
 */
import { arrayAt, jsonEqual } from './json.js';
import { canonicalId, isDescendant, parentId } from './path-id.js';
import type { JsonObject, JsonValue } from './types.js';

/** Deployment action names used by Marathon. */
export type ActionName = 'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication';

/** One action of a step. */
export interface PlanAction {
  /** Action name. */
  action: ActionName;
  /** App id. */
  app: string;
}

/** A deployment plan. */
export interface DeploymentPlan {
  /** UUID. */
  id: string;
  /** Target root version. */
  version: string;
  /** Steps, each a list of parallel actions. */
  steps: PlanAction[][];
  /** Definitions before the change (null = did not exist), for affected apps. */
  original: Map<string, JsonObject | null>;
  /** Definitions after the change (null = removed), for affected apps. */
  target: Map<string, JsonObject | null>;
  /** Start time in ms (monotonic wall clock). */
  startedAt: number;
}

/** Definition fields that do not count as configuration. */
const NON_CONFIG = new Set(['version', 'versionInfo', 'instances']);

function configOf(def: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(def)) if (!NON_CONFIG.has(k)) out[k] = v;
  return out;
}

/** True when two definitions differ in anything but `instances` and version fields. */
export function isConfigChange(a: JsonObject, b: JsonObject): boolean {
  return !jsonEqual(configOf(a), configOf(b));
}

function dependencyIds(def: JsonObject, all: Map<string, JsonObject>): string[] {
  const out: string[] = [];
  const base = parentId(String(def.id));
  for (const d of arrayAt(def, 'dependencies') ?? []) {
    if (typeof d !== 'string') continue;
    const dep = canonicalId(d, base);
    for (const id of all.keys()) if (id === dep || isDescendant(id, dep)) out.push(id);
  }
  return out;
}

function longestPath(id: string, all: Map<string, JsonObject>, memo: Map<string, number>, visiting: Set<string>): number {
  const known = memo.get(id);
  if (known !== undefined) return known;
  const def = all.get(id);
  if (!def || visiting.has(id)) return 1;
  visiting.add(id);
  let max = 0;
  for (const dep of dependencyIds(def, all)) if (dep !== id) max = Math.max(max, longestPath(dep, all, memo, visiting));
  visiting.delete(id);
  memo.set(id, max + 1);
  return max + 1;
}

/**
 * Steps from `original` to `target` (both restricted to the changed apps). `restart` forces
 * RestartApplication; `allTarget` is the whole target tree (for the dependency graph).
 */
export function buildSteps(
  original: Map<string, JsonObject | null>,
  target: Map<string, JsonObject | null>,
  restart: Set<string>,
  allTarget: Map<string, JsonObject>,
): PlanAction[][] {
  const steps: PlanAction[][] = [];
  const ids = [...target.keys()].sort();
  steps.push(ids.filter((id) => original.get(id) && !target.get(id)).map((app) => ({ action: 'StopApplication', app })));
  steps.push(ids.filter((id) => !original.get(id) && target.get(id)).map((app) => ({ action: 'StartApplication', app })));
  const memo = new Map<string, number>();
  const layers = new Map<number, PlanAction[]>();
  for (const id of ids) {
    const before = original.get(id) ?? null;
    const after = target.get(id) ?? null;
    if (!after) continue;
    let action: ActionName | undefined;
    if (!before) action = 'ScaleApplication';
    else if (restart.has(id) || isConfigChange(before, after)) action = 'RestartApplication';
    else if (before.instances !== after.instances) action = 'ScaleApplication';
    if (!action) continue;
    const depth = longestPath(id, allTarget, memo, new Set());
    const layer = layers.get(depth) ?? [];
    layer.push({ action, app: id });
    layers.set(depth, layer);
  }
  for (const depth of [...layers.keys()].sort((a, b) => a - b)) steps.push(layers.get(depth)!);
  return steps.filter((s) => s.length > 0);
}

/** Ids of the apps a plan touches. */
export function affectedApps(plan: { steps: PlanAction[][] }): string[] {
  return [...new Set(plan.steps.flat().map((a) => a.app))].sort();
}

/** Steps as Marathon renders them. */
export function stepsJson(steps: PlanAction[][]): JsonValue[] {
  return steps.map((s) => ({ actions: s.map((a) => ({ action: a.action, app: a.app })) }));
}

/** Running deployments with completion timers. */
export class DeploymentManager {
  private readonly running = new Map<string, { plan: DeploymentPlan; timer: NodeJS.Timeout }>();

  constructor(
    private readonly durationMs: number,
    private readonly onComplete: (plan: DeploymentPlan) => void,
  ) {}

  /** Register a plan; empty plans complete at once and are never listed. */
  start(plan: DeploymentPlan): void {
    if (plan.steps.length === 0) {
      this.onComplete(plan);
      return;
    }
    const timer = setTimeout(() => {
      this.running.delete(plan.id);
      this.onComplete(plan);
    }, this.durationMs);
    this.running.set(plan.id, { plan, timer });
  }

  /** Running plans touching any of `appIds`. */
  conflicts(appIds: string[]): DeploymentPlan[] {
    const wanted = new Set(appIds);
    return [...this.running.values()].map((r) => r.plan).filter((p) => affectedApps(p).some((a) => wanted.has(a)));
  }

  /** Running plan by id. */
  get(id: string): DeploymentPlan | undefined {
    return this.running.get(id)?.plan;
  }

  /** Stop tracking a plan without completing it. */
  cancel(id: string): DeploymentPlan | undefined {
    const r = this.running.get(id);
    if (!r) return undefined;
    clearTimeout(r.timer);
    this.running.delete(id);
    return r.plan;
  }

  /** All running plans, oldest first. */
  list(): DeploymentPlan[] {
    return [...this.running.values()].map((r) => r.plan);
  }

  /** Ids of running plans touching an app. */
  deploymentsOf(appId: string): string[] {
    return this.conflicts([appId]).map((p) => p.id);
  }

  /** Cancel everything (no completion callbacks). */
  clear(): void {
    for (const r of this.running.values()) clearTimeout(r.timer);
    this.running.clear();
  }

  /** Marathon JSON of a running plan; the current step advances with elapsed time. */
  toJson(plan: DeploymentPlan, now = Date.now()): JsonObject {
    const total = plan.steps.length;
    const per = this.durationMs / Math.max(total, 1);
    const current = Math.min(total, Math.floor((now - plan.startedAt) / Math.max(per, 1)) + 1);
    const step = plan.steps[current - 1] ?? [];
    return {
      id: plan.id,
      version: plan.version,
      affectedApps: affectedApps(plan),
      affectedPods: [],
      steps: stepsJson(plan.steps),
      currentActions: step.map((a) => ({ action: a.action, app: a.app, readinessCheckResults: [] })),
      currentStep: current,
      totalSteps: total,
    };
  }
}
