/**
 * Planning: hands the bundle's artifacts to the drivers, collects their
 * planned changes and puts them in a safe order. Creates and updates follow
 * the manifest (dependency) order; deletes come after them, in reverse
 * dependency order; no-ops are kept apart.
 */
import type { LoadedBundle } from '../bundle/reader.js';
import type { ArtifactDriver, DesiredArtifact, DriverContext, PlannedChange } from './driver.js';

/** What a plan is for. */
export type PlanMode = 'deploy' | 'destroy';

/** Options of {@link buildPlan}. */
export interface PlanOptions {
  /** The bundle to converge on (for `destroy`: the bundle that names the stack). */
  readonly bundle: LoadedBundle;
  /** One driver per artifact kind. */
  readonly drivers: readonly ArtifactDriver[];
  /** Kinds to leave alone (`--skip-kinds`): neither planned nor applied. */
  readonly skipKinds?: readonly string[];
  /** `deploy` (default) converges on the bundle; `destroy` deletes every owned resource. */
  readonly mode?: PlanMode;
}

/** The ordered changes of a deploy or destroy. */
export interface DeployPlan {
  /** Name of the stack. */
  readonly stack: string;
  /** What the plan is for. */
  readonly mode: PlanMode;
  /** Changes to apply, in order (no no-ops). */
  readonly changes: readonly PlannedChange[];
  /** Artifacts already in the desired state. */
  readonly unchanged: readonly PlannedChange[];
  /** Artifacts of skipped kinds. */
  readonly skipped: readonly DesiredArtifact[];
  /** Things the operator should know (e.g. dependencies on skipped kinds). */
  readonly warnings: readonly string[];
}

/** Raised when the bundle holds artifact kinds that no configured driver handles. */
export class MissingDriverError extends Error {
  /** The kinds without a driver, in manifest order. */
  readonly kinds: readonly string[];

  constructor(kinds: readonly string[], message?: string) {
    super(
      message ??
        `No deploy driver is configured for artifact kind(s) ${kinds.join(', ')}. Configure them, or pass --skip-kinds ${kinds.join(',')} to deploy the rest.`,
    );
    this.name = 'MissingDriverError';
    this.kinds = kinds;
  }
}

/**
 * Raised by drivers when the bundle wants a resource that exists but is not
 * owned by the stack (no ownership label, or another stack's): deploy never
 * changes or deletes it.
 */
export class OwnershipConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnershipConflictError';
  }
}

/** Raised when a driver returns something the engine cannot use. */
export class DriverContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverContractError';
  }
}

/** Kinds in the order they depend on each other, for resources the manifest no longer lists. */
export const DEFAULT_KIND_ORDER: readonly string[] = [
  'ec2-instance-attribute',
  'mesos-dns-config',
  'cni-network',
  'dcos-package',
  'calico-ippool',
  'calico-profile',
  'calico-policy',
  'marathon-app',
];

/** The bundle's artifacts with their contents, in manifest order. */
export function desiredArtifacts(bundle: LoadedBundle): DesiredArtifact[] {
  return bundle.manifest.artifacts.map((a) => ({
    id: a.id,
    kind: a.kind,
    file: a.file,
    content: bundle.contents.get(a.id) ?? '',
    constructPath: a.constructPath,
    dependsOn: a.dependsOn,
  }));
}

/** Kinds of the bundle that neither a driver handles nor `skipKinds` names, in manifest order. */
export function kindsWithoutDriver(bundle: LoadedBundle, drivers: readonly ArtifactDriver[], skipKinds: readonly string[] = []): string[] {
  const handled = new Set(drivers.flatMap((d) => d.kinds));
  const skip = new Set(skipKinds);
  const missing: string[] = [];
  for (const a of bundle.manifest.artifacts) {
    if (!handled.has(a.kind) && !skip.has(a.kind) && !missing.includes(a.kind)) missing.push(a.kind);
  }
  return missing;
}

function checkDrivers(drivers: readonly ArtifactDriver[]): void {
  const seen = new Map<string, number>();
  drivers.forEach((d, i) => {
    for (const k of d.kinds) {
      if (seen.has(k)) throw new DriverContractError(`Two deploy drivers handle artifact kind '${k}'; configure only one.`);
      seen.set(k, i);
    }
  });
}

/**
 * Orders changes: creates and updates in manifest order, then deletes in
 * reverse dependency order (reverse manifest order for artifacts the
 * manifest still lists, then by kind: apps before policies before packages).
 * No-ops are dropped.
 */
export function orderChanges(changes: readonly PlannedChange[], bundle: LoadedBundle): PlannedChange[] {
  const artifacts = bundle.manifest.artifacts;
  const index = new Map(artifacts.map((a, i) => [a.id, i]));
  const lastOfKind = new Map<string, number>();
  artifacts.forEach((a, i) => lastOfKind.set(a.kind, i));
  const forward = changes.filter((c) => c.action === 'create' || c.action === 'update');
  const deletes = changes.filter((c) => c.action === 'delete');
  const fwdKey = (c: PlannedChange): number => index.get(c.id) ?? artifacts.length + (lastOfKind.get(c.kind) ?? 0);
  forward.sort((a, b) => fwdKey(a) - fwdKey(b) || a.id.localeCompare(b.id));
  const delKey = (c: PlannedChange): number => {
    const i = index.get(c.id);
    if (i !== undefined) return i;
    const k = lastOfKind.get(c.kind);
    if (k !== undefined) return k + 0.5;
    const d = DEFAULT_KIND_ORDER.indexOf(c.kind);
    return -1000 + (d < 0 ? DEFAULT_KIND_ORDER.length : d);
  };
  deletes.sort((a, b) => delKey(b) - delKey(a) || b.id.localeCompare(a.id));
  return [...forward, ...deletes];
}

/**
 * Asks every driver for its changes and orders them. Never writes to the
 * cluster. Throws {@link MissingDriverError} when bundle kinds have no driver
 * and are not skipped.
 */
export async function buildPlan(options: PlanOptions, ctx: DriverContext): Promise<DeployPlan> {
  const { bundle } = options;
  const mode = options.mode ?? 'deploy';
  const skip = new Set(options.skipKinds ?? []);
  checkDrivers(options.drivers);
  const missing = kindsWithoutDriver(bundle, options.drivers, [...skip]);
  if (missing.length > 0) throw new MissingDriverError(missing);

  const all = desiredArtifacts(bundle);
  const skipped = all.filter((a) => skip.has(a.kind));
  const wanted = mode === 'destroy' ? [] : all.filter((a) => !skip.has(a.kind));
  const warnings: string[] = [];
  if (mode === 'deploy') {
    const skippedKind = new Map(skipped.map((a) => [a.id, a.kind]));
    const dependents = wanted.filter((a) => a.dependsOn.some((d) => skippedKind.has(d)));
    if (dependents.length > 0) {
      const kinds = [...new Set(dependents.flatMap((a) => a.dependsOn.map((d) => skippedKind.get(d)).filter((k): k is string => k !== undefined)))];
      warnings.push(
        `${dependents.length} artifact(s) (${dependents.map((a) => a.id).join(', ')}) depend on skipped ${kinds.join(', ')} artifacts; make sure those are in place.`,
      );
    }
  }

  const planned: PlannedChange[] = [];
  for (const driver of options.drivers) {
    const kinds = driver.kinds.filter((k) => !skip.has(k));
    if (kinds.length === 0) continue;
    const mine = wanted.filter((a) => kinds.includes(a.kind));
    const changes = await driver.plan(mine, ctx);
    for (const c of changes) {
      if (!driver.kinds.includes(c.kind)) {
        throw new DriverContractError(`The driver for ${driver.kinds.join(', ')} planned a change of kind '${c.kind}' (${c.id}).`);
      }
      if (skip.has(c.kind)) continue;
      if (mode === 'destroy' && c.action !== 'delete' && c.action !== 'noop') {
        throw new DriverContractError(`The driver for ${c.kind} planned '${c.action}' for ${c.id} during destroy.`);
      }
      planned.push(c);
    }
  }
  const seen = new Set<string>();
  for (const c of planned) {
    const key = `${c.action === 'delete' ? 'delete' : 'upsert'}:${c.id}`;
    if (seen.has(key)) throw new DriverContractError(`Two planned changes for ${c.id}.`);
    seen.add(key);
  }
  return {
    stack: bundle.manifest.stack,
    mode,
    changes: orderChanges(planned, bundle),
    unchanged: planned.filter((c) => c.action === 'noop'),
    skipped,
    warnings,
  };
}

/** What a {@link ChangeOrderHook} returns. */
export interface ChangeOrder {
  /** The plan's changes (every one, each once), in the order to apply them. */
  readonly changes: readonly PlannedChange[];
  /** Things the operator should know about the order (added to the plan's warnings). */
  readonly warnings?: readonly string[];
}

/**
 * Reorders a plan's changes before they are shown and applied, e.g. the
 * make-before-break order of network policy changes. It must return a
 * permutation of `plan.changes`; it may throw to refuse the plan.
 */
export type ChangeOrderHook = (plan: DeployPlan, bundle: LoadedBundle) => ChangeOrder | Promise<ChangeOrder>;

/**
 * Applies a {@link ChangeOrderHook} to a plan. Throws
 * {@link DriverContractError} when the hook drops, adds or repeats changes.
 */
export async function reorderPlan(plan: DeployPlan, bundle: LoadedBundle, hook: ChangeOrderHook | undefined): Promise<DeployPlan> {
  if (!hook || plan.changes.length < 2) return plan;
  const ordered = await hook(plan, bundle);
  const given = new Set(plan.changes);
  const seen = new Set<PlannedChange>();
  for (const c of ordered.changes) {
    if (!given.has(c) || seen.has(c)) throw new DriverContractError(`The change order hook returned a change that is not in the plan, or twice (${c.id}).`);
    seen.add(c);
  }
  if (seen.size !== plan.changes.length) throw new DriverContractError('The change order hook dropped changes of the plan.');
  return { ...plan, changes: [...ordered.changes], warnings: [...plan.warnings, ...(ordered.warnings ?? [])] };
}

/** A stable text of a plan's changes, to notice when a re-plan differs. */
export function planSignature(plan: DeployPlan): string {
  return JSON.stringify(plan.changes.map((c) => [c.action, c.id, c.fields.map((f) => f.path)]));
}

/**
 * Kinds whose changes are applied strictly one after the other, in plan
 * order, by chain: the `calico-*` changes (their make-before-break order
 * matters) and the node settings (they restart agents on the same nodes).
 */
export function serialChain(kind: string): string | undefined {
  if (kind.startsWith('calico-')) return 'calico';
  if (kind === 'mesos-dns-config' || kind === 'cni-network') return 'node-settings';
  return undefined;
}

/**
 * For each change of an ordered plan, the indexes of the earlier changes it
 * must wait for when changes are applied concurrently. A change waits for an
 * earlier change when:
 * - the two artifacts depend on each other, directly or through other
 *   artifacts of the manifest (either way round: deletes run in reverse);
 * - both are in the same {@link serialChain} (the previous one of the chain);
 * - one is a delete and the other is not (deletes never overtake creates and
 *   updates, nor the other way round);
 * - both are deletes of different kinds and one of them is not in the
 *   manifest (no dependency information: the kind order is kept).
 * Every edge points backwards in the plan, so the plan order is always a
 * valid serial order and applying never deadlocks.
 */
export function changeDependencies(changes: readonly PlannedChange[], bundle: LoadedBundle): number[][] {
  const deps = new Map(bundle.manifest.artifacts.map((a) => [a.id, a.dependsOn]));
  const dependents = new Map<string, string[]>();
  for (const a of bundle.manifest.artifacts) {
    for (const d of a.dependsOn) {
      const list = dependents.get(d);
      if (list) list.push(a.id);
      else dependents.set(d, [a.id]);
    }
  }
  const closure = (start: string, next: (id: string) => readonly string[] | undefined): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(next(start) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of next(id) ?? []) if (!seen.has(n)) stack.push(n);
    }
    return seen;
  };
  const positions = new Map<string, number[]>();
  changes.forEach((c, i) => {
    const list = positions.get(c.id);
    if (list) list.push(i);
    else positions.set(c.id, [i]);
  });
  const lastOfChain = new Map<string, number>();
  const deletes: number[] = [];
  const others: number[] = [];
  return changes.map((c, j) => {
    const before = new Set<number>();
    const add = (i: number): void => {
      if (i < j) before.add(i);
    };
    if (deps.has(c.id)) {
      for (const id of [...closure(c.id, (x) => deps.get(x)), ...closure(c.id, (x) => dependents.get(x))]) for (const i of positions.get(id) ?? []) add(i);
    }
    for (const i of positions.get(c.id) ?? []) add(i);
    const chain = serialChain(c.kind);
    if (chain !== undefined) {
      const prev = lastOfChain.get(chain);
      if (prev !== undefined) add(prev);
      lastOfChain.set(chain, j);
    }
    const isDelete = c.action === 'delete';
    for (const i of isDelete ? others : deletes) add(i);
    if (isDelete) {
      for (const i of deletes) {
        const o = changes[i]!;
        if (o.kind !== c.kind && (!deps.has(o.id) || !deps.has(c.id))) add(i);
      }
      deletes.push(j);
    } else {
      others.push(j);
    }
    return [...before].sort((a, b) => a - b);
  });
}
