/**
 * The cluster deploy lock: a Marathon app `/dcos-cdk-lock` with zero
 * instances whose labels name the holder. Creating an app is atomic in
 * Marathon (`POST /v2/apps` answers 409 when the id exists), so whoever
 * creates it holds the lock; releasing deletes it, after checking it is
 * still ours. A random id in the labels recognises our own lock when the
 * response to the create was lost. One lock per cluster, shared by all
 * stacks. A stale lock (a run killed with SIGKILL) is removed with
 * `--break-lock`, or `dcos marathon app remove /dcos-cdk-lock`.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { LockHeldError } from '@dcos-cdk/core';
import type { DeployLock, DriverContext, LockHolder, LockLease, LockRequest } from '@dcos-cdk/core';
import { isTransient } from './connection.js';
import type { DcosConnection } from './connection.js';
import { appLabels } from './marathon-api.js';
import type { MarathonAppJson } from './marathon-api.js';

/** Marathon id of the lock app. */
export const LOCK_APP_ID = '/dcos-cdk-lock';

/** Label names of the lock app. */
export const LOCK_LABELS = {
  marker: 'DCOS_CDK_LOCK',
  id: 'DCOS_CDK_LOCK_ID',
  holder: 'DCOS_CDK_LOCK_HOLDER',
  stack: 'DCOS_CDK_LOCK_STACK',
  operation: 'DCOS_CDK_LOCK_OPERATION',
  acquiredAt: 'DCOS_CDK_LOCK_ACQUIRED_AT',
} as const;

/** Options of {@link MarathonDeployLock}. */
export interface MarathonDeployLockOptions {
  /** Lock app id (default {@link LOCK_APP_ID}). */
  readonly appId?: string;
  /** Holder description (default `user@host pid N`). */
  readonly holder?: string;
  /** Clock (tests). */
  readonly clock?: () => Date;
}

/** `user@host pid N` of this process. */
export function defaultHolderName(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

/** Reads the holder from a lock app, or undefined when the app is not a lock. */
export function holderOf(app: MarathonAppJson): LockHolder | undefined {
  const l = appLabels(app);
  if (l[LOCK_LABELS.marker] !== 'true') return undefined;
  const acquiredAt = l[LOCK_LABELS.acquiredAt] ?? (typeof app.version === 'string' ? app.version : undefined);
  return {
    id: l[LOCK_LABELS.id] ?? '',
    holder: l[LOCK_LABELS.holder] ?? 'unknown',
    stack: l[LOCK_LABELS.stack] ?? 'unknown',
    operation: l[LOCK_LABELS.operation] ?? 'deploy',
    ...(acquiredAt ? { acquiredAt } : {}),
  };
}

/** The cluster lock, kept as a Marathon app. */
export class MarathonDeployLock implements DeployLock {
  /** Where the lock lives. */
  readonly description: string;
  private readonly appId: string;
  private readonly holderName: string;
  private readonly clock: () => Date;

  constructor(
    private readonly conn: DcosConnection,
    options: MarathonDeployLockOptions = {},
  ) {
    this.appId = options.appId ?? LOCK_APP_ID;
    this.holderName = options.holder ?? defaultHolderName();
    this.clock = options.clock ?? (() => new Date());
    this.description = `Marathon app ${this.appId}`;
  }

  private url(query = ''): string {
    return this.conn.marathon(`/v2/apps${this.appId}${query}`);
  }

  private async read(ctx: DriverContext): Promise<MarathonAppJson | undefined> {
    const req = { method: 'GET' as const, url: this.url(), ...(ctx.signal ? { signal: ctx.signal } : {}) };
    const res = await this.conn.request(req, ctx.counters);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.conn.fail(req, res, 'Reading the deploy lock');
    const body = res.body as { app?: MarathonAppJson } | undefined;
    return body?.app;
  }

  /** The current holder, or undefined. An app with the lock's id that is not a lock counts as held by "unknown". */
  async inspect(ctx: DriverContext): Promise<LockHolder | undefined> {
    const app = await this.read(ctx);
    if (!app) return undefined;
    return holderOf(app) ?? { id: '', holder: `an app not made by dcos-cdk`, stack: 'unknown', operation: 'deploy' };
  }

  private async remove(ctx: DriverContext): Promise<void> {
    const req = { method: 'DELETE' as const, url: this.url('?force=true') };
    const res = await this.conn.request(req, ctx.counters);
    if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw this.conn.fail(req, res, 'Removing the deploy lock');
  }

  /** Takes the lock (see the module comment). */
  async acquire(request: LockRequest, ctx: DriverContext): Promise<LockLease> {
    if (request.breakLock) {
      const current = await this.read(ctx);
      if (current) {
        const h = holderOf(current);
        if (!h) throw new Error(`${this.appId} exists but is not a dcos-cdk lock; dcos-cdk will not delete it.`);
        ctx.progress(`Breaking the deploy lock of ${h.holder} (stack '${h.stack}', since ${h.acquiredAt ?? 'unknown'}).`);
        await this.remove(ctx);
      }
    }
    const holder: LockHolder = {
      id: randomUUID(),
      holder: this.holderName,
      stack: request.stack,
      operation: request.operation,
      acquiredAt: this.clock().toISOString(),
    };
    const body = {
      id: this.appId,
      cmd: 'echo "dcos-cdk deploy lock: never runs"; sleep 3600',
      instances: 0,
      cpus: 0.01,
      mem: 32,
      labels: {
        [LOCK_LABELS.marker]: 'true',
        [LOCK_LABELS.id]: holder.id,
        [LOCK_LABELS.holder]: holder.holder,
        [LOCK_LABELS.stack]: holder.stack,
        [LOCK_LABELS.operation]: holder.operation,
        [LOCK_LABELS.acquiredAt]: holder.acquiredAt!,
      },
    };
    const lease: LockLease = { holder, release: (c) => this.release(holder, c) };
    for (let attempt = 0; ; attempt++) {
      let status: number;
      try {
        // force=true only cancels deployments of the lock app itself (a previous release).
        const req = { method: 'POST' as const, url: this.conn.marathon('/v2/apps?force=true'), body };
        const res = await this.conn.request(req, ctx.counters);
        status = res.status;
        if (status !== 201 && status !== 200 && status !== 409) throw this.conn.fail(req, res, 'Taking the deploy lock');
      } catch (e) {
        if (!isTransient(e) || attempt >= this.conn.retries) throw e;
        status = 0;
      }
      if (status === 201 || status === 200) return lease;
      // 409 or a lost response: find out who holds it now.
      const current = await this.read(ctx);
      if (current) {
        const h = holderOf(current);
        if (h?.id === holder.id) return lease;
        throw new LockHeldError(h ?? { id: '', holder: 'an app not made by dcos-cdk', stack: 'unknown', operation: 'deploy' }, this.description, this.clock());
      }
      if (status === 409 && attempt >= this.conn.retries) throw new Error(`Could not take the deploy lock ${this.appId}: Marathon keeps answering 409.`);
      await new Promise((r) => setTimeout(r, this.conn.retryBaseMs * 2 ** attempt));
    }
  }

  private async release(holder: LockHolder, ctx: DriverContext): Promise<void> {
    const current = await this.read(ctx);
    if (!current) return;
    const h = holderOf(current);
    if (h?.id !== holder.id) {
      ctx.progress(`The deploy lock is no longer ours (now held by ${h?.holder ?? 'unknown'}); leaving it.`);
      return;
    }
    await this.remove(ctx);
  }
}
