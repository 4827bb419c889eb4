/**
 * The deploy engine: `diff`, `deploy` and `destroy` runs over a set of
 * drivers. Knows nothing about any particular cluster API. A run plans
 * without writing, stops there when nothing differs (so an unchanged
 * bundle costs zero writes), asks for approval when needed, takes the
 * cluster lock, plans again under the lock and applies change by change,
 * reporting progress. Any failure leaves a state that a re-run converges.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { LoadedBundle } from '../bundle/reader.js';
import { ApprovalRequiredError, decideApproval, emptyBundleLike } from './approval.js';
import type { ApprovalCheck, ApprovalDecision, ApprovalLevel, FlowReport } from './approval.js';
import { countChanges } from './diff-format.js';
import type { ChangeCounts } from './diff-format.js';
import type { ArtifactDriver, DriverContext, PlannedChange, RequestCounters } from './driver.js';
import { LockHeldError } from './lock.js';
import type { DeployLock, LockHolder, LockLease } from './lock.js';
import { buildPlan, changeDependencies, DriverContractError, planSignature, reorderPlan } from './plan.js';
import type { ChangeOrderHook, DeployPlan, PlanMode } from './plan.js';

/** Something that happened during a run, for progress output. */
export type DeployEvent =
  | { readonly type: 'plan'; readonly plan: DeployPlan; readonly replanned: boolean }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'approval'; readonly decision: ApprovalDecision; readonly approvedBy: 'flag' | 'prompt' | 'not-needed' }
  | { readonly type: 'lock'; readonly state: 'acquired' | 'released'; readonly holder: LockHolder }
  | { readonly type: 'start'; readonly change: PlannedChange; readonly index: number; readonly total: number }
  | { readonly type: 'progress'; readonly message: string; readonly change?: PlannedChange }
  | { readonly type: 'done'; readonly change: PlannedChange; readonly index: number; readonly total: number; readonly ms: number }
  | { readonly type: 'failed'; readonly change: PlannedChange; readonly error: Error };

/** Default of {@link RunOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 16;

/** Options shared by diff, deploy and destroy runs. */
export interface RunOptions {
  /** The bundle (read with `readBundle`). */
  readonly bundle: LoadedBundle;
  /** Drivers, one per artifact kind. */
  readonly drivers: readonly ArtifactDriver[];
  /** Kinds to leave alone. */
  readonly skipKinds?: readonly string[];
  /** Override Marathon deployment locks held by others. */
  readonly force?: boolean;
  /** The cluster lock; without it no lock is taken. */
  readonly lock?: DeployLock;
  /** Remove a lock someone else holds (`--break-lock`). */
  readonly breakLock?: boolean;
  /** Approval level; default `broadening`. */
  readonly requireApproval?: ApprovalLevel;
  /** Flow analysis; without it calico changes count as broadening. */
  readonly approvalCheck?: ApprovalCheck;
  /** The bundle deployed before, for the approval check (when known). */
  readonly previousBundle?: LoadedBundle;
  /** Pre-approved (`--yes`). */
  readonly approve?: boolean;
  /** Asks the operator (interactive terminal); undefined when nobody can be asked. */
  readonly confirm?: (decision: ApprovalDecision, plan: DeployPlan) => Promise<boolean>;
  /** Receives progress. */
  readonly onEvent?: (event: DeployEvent) => void;
  /** Aborts the run between changes and during waits (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Counters to use (a fresh pair by default). */
  readonly counters?: RequestCounters;
  /**
   * Most changes applied at the same time (default {@link DEFAULT_CONCURRENCY};
   * 1 applies one at a time). Whatever the value, a change starts only after
   * the changes it must follow finished (see `changeDependencies`).
   */
  readonly concurrency?: number;
  /**
   * Reorders each plan (deploy and diff, not destroy) before it is shown
   * and applied: the CLI's make-before-break order of network policies.
   */
  readonly orderChanges?: ChangeOrderHook;
}

/** Outcome of a deploy or destroy run. */
export interface DeployResult {
  /** `applied`: changes made; `unchanged`: nothing to do; `failed`: a change failed; `aborted`: interrupted. */
  readonly status: 'applied' | 'unchanged' | 'failed' | 'aborted';
  /** Stack name. */
  readonly stack: string;
  /** Deploy or destroy. */
  readonly mode: PlanMode;
  /** The plan that was applied (the one made under the lock). */
  readonly plan: DeployPlan;
  /** Planned changes by action. */
  readonly planned: ChangeCounts;
  /** Changes applied, in the order they finished. */
  readonly applied: readonly PlannedChange[];
  /** The change that failed, and why. */
  readonly failure?: { readonly change: PlannedChange; readonly error: Error };
  /** Requests made against the cluster. */
  readonly requests: RequestCounters;
  /** Wall time. */
  readonly durationMs: number;
}

/** Outcome of a diff run. */
export interface DiffResult {
  /** The plan. */
  readonly plan: DeployPlan;
  /** Planned changes by action. */
  readonly planned: ChangeCounts;
  /** Who holds the deploy lock, when someone does. */
  readonly lockHolder?: LockHolder;
  /** Requests made (reads only). */
  readonly requests: RequestCounters;
}

/** Raised by drivers and the engine when a run is interrupted. */
export class DeployAbortedError extends Error {
  constructor(message = 'Interrupted.') {
    super(message);
    this.name = 'DeployAbortedError';
  }
}

function context(options: RunOptions, stack: string, counters: RequestCounters, current: { change?: PlannedChange }): DriverContext {
  const emit = options.onEvent ?? (() => undefined);
  const ctx: DriverContext = {
    stack,
    force: options.force ?? false,
    counters,
    progress: (message) => emit({ type: 'progress', message, ...(current.change ? { change: current.change } : {}) }),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return ctx;
}

/** Plans a run without writing anything: what `dcos-cdk diff` shows. */
export async function runDiff(options: RunOptions): Promise<DiffResult> {
  const counters = options.counters ?? { reads: 0, writes: 0 };
  const ctx = context(options, options.bundle.manifest.stack, counters, {});
  const lockHolder = options.lock ? await options.lock.inspect(ctx) : undefined;
  const plan = await reorderPlan(await buildPlan({ bundle: options.bundle, drivers: options.drivers, skipKinds: options.skipKinds ?? [], mode: 'deploy' }, ctx), options.bundle, options.orderChanges);
  for (const w of plan.warnings) options.onEvent?.({ type: 'warning', message: w });
  return { plan, planned: countChanges([...plan.changes, ...plan.unchanged]), requests: counters, ...(lockHolder ? { lockHolder } : {}) };
}

/** Converges the cluster on the bundle. */
export function runDeploy(options: RunOptions): Promise<DeployResult> {
  return run(options, 'deploy');
}

/** Deletes everything the stack owns (of the configured kinds), in reverse order. */
export function runDestroy(options: RunOptions): Promise<DeployResult> {
  return run(options, 'destroy');
}

async function flowsFor(options: RunOptions, mode: PlanMode): Promise<FlowReport | undefined> {
  if (!options.approvalCheck) return undefined;
  const after = mode === 'destroy' ? emptyBundleLike(options.bundle) : options.bundle;
  const before = mode === 'destroy' ? options.bundle : options.previousBundle;
  return options.approvalCheck(before, after);
}

async function approve(options: RunOptions, plan: DeployPlan, flows: FlowReport | undefined): Promise<void> {
  const emit = options.onEvent ?? (() => undefined);
  const decision = decideApproval(plan, options.requireApproval ?? 'broadening', flows);
  if (!decision.required) return emit({ type: 'approval', decision, approvedBy: 'not-needed' });
  if (options.approve) return emit({ type: 'approval', decision, approvedBy: 'flag' });
  if (!options.confirm) throw new ApprovalRequiredError(decision.reasons, false);
  if (!(await options.confirm(decision, plan))) throw new ApprovalRequiredError(decision.reasons, true);
  emit({ type: 'approval', decision, approvedBy: 'prompt' });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DeployAbortedError();
}

async function run(options: RunOptions, mode: PlanMode): Promise<DeployResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const stack = options.bundle.manifest.stack;
  const counters = options.counters ?? { reads: 0, writes: 0 };
  const ctx = context(options, stack, counters, {});
  const planOptions = { bundle: options.bundle, drivers: options.drivers, skipKinds: options.skipKinds ?? [], mode };
  const hook = mode === 'deploy' ? options.orderChanges : undefined;
  const result = (status: DeployResult['status'], plan: DeployPlan, applied: PlannedChange[], failure?: DeployResult['failure']): DeployResult => ({
    status,
    stack,
    mode,
    plan,
    planned: countChanges([...plan.changes, ...plan.unchanged]),
    applied,
    requests: counters,
    durationMs: Date.now() - started,
    ...(failure ? { failure } : {}),
  });

  const holder = options.lock ? await options.lock.inspect(ctx) : undefined;
  if (holder && !options.breakLock) throw new LockHeldError(holder, options.lock!.description);
  let plan = await reorderPlan(await buildPlan(planOptions, ctx), options.bundle, hook);
  emit({ type: 'plan', plan, replanned: false });
  for (const w of plan.warnings) emit({ type: 'warning', message: w });
  if (plan.changes.length === 0) {
    if (holder && options.lock) {
      // --break-lock with nothing to change: still remove the stale lock, as asked.
      const lease = await options.lock.acquire({ stack, operation: mode, breakLock: true }, ctx);
      emit({ type: 'lock', state: 'acquired', holder: lease.holder });
      await releaseLock(lease, options, ctx, stack);
      emit({ type: 'lock', state: 'released', holder: lease.holder });
    }
    return result('unchanged', plan, []);
  }
  // The flow analysis only serves the approval decision: skip it when nothing needs approving.
  const flows = options.requireApproval === 'never' ? undefined : await flowsFor(options, mode);
  await approve(options, plan, flows);
  throwIfAborted(options.signal);

  let lease: LockLease | undefined;
  const applied: PlannedChange[] = [];
  try {
    if (options.lock) {
      lease = await options.lock.acquire({ stack, operation: mode, breakLock: options.breakLock ?? false }, ctx);
      emit({ type: 'lock', state: 'acquired', holder: lease.holder });
      const again = await reorderPlan(await buildPlan(planOptions, ctx), options.bundle, hook);
      if (planSignature(again) !== planSignature(plan)) {
        emit({ type: 'plan', plan: again, replanned: true });
        emit({ type: 'warning', message: 'The cluster changed between planning and taking the lock; the plan above replaces the first one.' });
        plan = again;
        if (plan.changes.length > 0) await approve(options, plan, flows);
      }
      if (plan.changes.length === 0) return result('unchanged', plan, []);
    }
    const byKind = new Map<string, ArtifactDriver>();
    for (const d of options.drivers) for (const k of d.kinds) byKind.set(k, d);
    const outcome = await applyChanges(plan, options, byKind, ctx, applied);
    if (outcome.status !== 'applied') return result(outcome.status, plan, applied, outcome.failure);
    return result('applied', plan, applied);
  } finally {
    if (lease) {
      await releaseLock(lease, options, ctx, stack);
      emit({ type: 'lock', state: 'released', holder: lease.holder });
    }
  }
}

interface ApplyOutcome {
  readonly status: 'applied' | 'failed' | 'aborted';
  readonly failure?: { readonly change: PlannedChange; readonly error: Error };
}

/**
 * Applies the plan's changes, up to `options.concurrency` at a time, each
 * only after the earlier changes it must follow (see `changeDependencies`)
 * finished; ready changes start in plan order. After the first failure, or
 * once aborted, no change starts; the running ones are awaited.
 */
async function applyChanges(plan: DeployPlan, options: RunOptions, byKind: ReadonlyMap<string, ArtifactDriver>, ctx: DriverContext, applied: PlannedChange[]): Promise<ApplyOutcome> {
  const emit = options.onEvent ?? (() => undefined);
  const changes = plan.changes;
  const total = changes.length;
  const limit = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const before = changeDependencies(changes, options.bundle);
  const waitingFor = before.map((b) => b.length);
  const after: number[][] = changes.map(() => []);
  before.forEach((b, j) => b.forEach((i) => after[i]!.push(j)));
  // Ready changes, kept sorted by plan index: they start in plan order.
  const ready: number[] = [];
  const makeReady = (j: number): void => {
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ready[mid]! < j) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, j);
  };
  waitingFor.forEach((n, j) => n === 0 && ready.push(j));
  // Concurrent requests each listen to the abort signal: no leak warning for that.
  if (options.signal && getMaxListeners(options.signal) > 0) setMaxListeners(Math.max(getMaxListeners(options.signal), 10 + 4 * limit), options.signal);

  let running = 0;
  let started = 0;
  let finished = 0;
  let failure: ApplyOutcome['failure'];
  let abortFailure: ApplyOutcome['failure'];
  let fatal: { error: unknown } | undefined;

  const applyOne = async (j: number): Promise<void> => {
    const change = changes[j]!;
    const driver = byKind.get(change.kind)!;
    const changeCtx: DriverContext = { ...ctx, progress: (message) => emit({ type: 'progress', message, change }) };
    emit({ type: 'start', change, index: ++started, total });
    const t0 = Date.now();
    try {
      await driver.apply(change, changeCtx);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (options.signal?.aborted && !failure) {
        abortFailure ??= { change, error };
        return;
      }
      emit({ type: 'failed', change, error });
      failure ??= { change, error };
      return;
    }
    applied.push(change);
    emit({ type: 'done', change, index: ++finished, total, ms: Date.now() - t0 });
    for (const k of after[j]!) if (--waitingFor[k]! === 0) makeReady(k);
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (running < limit && ready.length > 0 && !failure && !fatal && !options.signal?.aborted) {
        const j = ready.shift()!;
        running++;
        applyOne(j)
          .catch((e: unknown) => {
            fatal ??= { error: e };
          })
          .finally(() => {
            running--;
            pump();
          });
      }
      if (running === 0) resolve();
    };
    pump();
  });
  if (fatal) throw fatal.error;
  if (failure) return { status: 'failed', failure };
  if (options.signal?.aborted) return { status: 'aborted', ...(abortFailure ? { failure: abortFailure } : {}) };
  if (applied.length !== total) throw new DriverContractError(`Applied ${applied.length} of ${total} changes: the plan's dependencies could not be satisfied.`);
  return { status: 'applied' };
}

async function releaseLock(lease: LockLease, options: RunOptions, ctx: DriverContext, stack: string): Promise<void> {
  // Release even after Ctrl-C: use a context without the aborted signal.
  const releaseCtx: DriverContext = { stack, force: ctx.force, counters: ctx.counters, progress: ctx.progress };
  try {
    await lease.release(releaseCtx);
  } catch (e) {
    options.onEvent?.({
      type: 'warning',
      message: `Could not release the deploy lock (${options.lock?.description ?? 'lock'}): ${(e as Error).message}. The next run will report it as held; remove it with --break-lock once you are sure no deploy is running.`,
    });
  }
}
