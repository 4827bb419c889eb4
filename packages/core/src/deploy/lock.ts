/**
 * The deploy lock interface: one deploy or destroy at a time per cluster.
 * The lock itself lives in the cluster (see `@dcos-cdk/dcos/deploy`'s
 * `MarathonDeployLock`); the engine only uses this interface.
 */
import type { DriverContext } from './driver.js';

/** Who holds a lock. */
export interface LockHolder {
  /** Random id of this holding (to recognise our own lock after a lost response). */
  readonly id: string;
  /** Person and machine, e.g. `alice@laptop pid 4242`. */
  readonly holder: string;
  /** Stack being deployed. */
  readonly stack: string;
  /** `deploy` or `destroy`. */
  readonly operation: string;
  /** When it was taken (ISO-8601), if known. */
  readonly acquiredAt?: string;
}

/** A held lock. */
export interface LockLease {
  /** Our holding. */
  readonly holder: LockHolder;
  /** Releases the lock (only if it is still ours). */
  release(ctx: DriverContext): Promise<void>;
}

/** What a lock request carries. */
export interface LockRequest {
  /** Stack being deployed. */
  readonly stack: string;
  /** `deploy` or `destroy`. */
  readonly operation: string;
  /** Remove a lock held by someone else first (`--break-lock`). */
  readonly breakLock: boolean;
}

/** A cluster-wide lock. */
export interface DeployLock {
  /** Where the lock lives, for messages (e.g. `Marathon app /dcos-cdk-lock`). */
  readonly description: string;
  /** The current holder, or undefined when the lock is free. Never writes. */
  inspect(ctx: DriverContext): Promise<LockHolder | undefined>;
  /** Takes the lock; throws {@link LockHeldError} when someone else holds it. */
  acquire(request: LockRequest, ctx: DriverContext): Promise<LockLease>;
}

/** Formats a duration in seconds as `1h02m`, `3m12s` or `42s`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Age of a holding in seconds, when its time is known. */
export function lockAgeSeconds(holder: LockHolder, now: Date = new Date()): number | undefined {
  if (!holder.acquiredAt) return undefined;
  const t = Date.parse(holder.acquiredAt);
  return Number.isNaN(t) ? undefined : (now.getTime() - t) / 1000;
}

/** Raised when another deploy holds the cluster lock. */
export class LockHeldError extends Error {
  /** The holder. */
  readonly holder: LockHolder;

  constructor(holder: LockHolder, where: string, now: Date = new Date()) {
    const age = lockAgeSeconds(holder, now);
    super(
      `Another ${holder.operation} holds the cluster deploy lock (${where}): ${holder.holder}, stack '${holder.stack}'` +
        (age === undefined ? '' : `, taken ${formatAge(age)} ago`) +
        (holder.acquiredAt ? ` (${holder.acquiredAt})` : '') +
        `. Wait for it to finish and run again; if that run died, pass --break-lock to remove its lock.`,
    );
    this.name = 'LockHeldError';
    this.holder = holder;
  }
}
