/**
 * Driver for `marathon-app` artifacts. Every app it creates carries the
 * label `DCOS_CDK_STACK=<stack>`; that label is the ownership record: apps
 * without it (or with another stack's name, or Cosmos package apps) are
 * never changed or deleted, and a bundle app whose id is taken by such an
 * app is a conflict. Plans compare the live app with the bundle after
 * normalisation (see `normalize.ts`), so an unchanged app is a no-op.
 * Creates POST, updates PUT `?partialUpdate=false`, deletes DELETE; each
 * apply waits for its Marathon deployment.
 */
import { diffJson, isPlainObject, OwnershipConflictError } from '@dcos-cdk/core';
import type { ArtifactDriver, DesiredArtifact, DriverContext, PlannedChange } from '@dcos-cdk/core';
import { appLabels, PACKAGE_NAME_LABEL, STACK_LABEL } from '@dcos-cdk/dcos/deploy';
import type { MarathonAppJson } from '@dcos-cdk/dcos/deploy';
import type { MarathonClient, WriteResult } from './marathon-client.js';
import { compareApps, updateBody } from './normalize.js';

/** Options of {@link MarathonDriver}. */
export interface MarathonDriverOptions {
  /** Check the app against the bundle after each deployment (default true). */
  readonly verify?: boolean;
}

/** True when the live app belongs to the stack and is a plain app (not a Cosmos package). */
export function ownsApp(app: MarathonAppJson, stack: string): boolean {
  const l = appLabels(app);
  return l[STACK_LABEL] === stack && l[PACKAGE_NAME_LABEL] === undefined;
}

/** The canonical absolute id (`frontend` → `/frontend`). */
export function absoluteId(id: string): string {
  const parts = id.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

/** Parses a `marathon-app` artifact and adds the ownership label. */
export function desiredApp(a: DesiredArtifact, stack: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(a.content);
  } catch (e) {
    throw new Error(`${a.id} (${a.file}): not valid JSON (${(e as Error).message}).`);
  }
  if (!isPlainObject(v) || typeof v.id !== 'string' || v.id === '') throw new Error(`${a.id} (${a.file}): the app has no 'id'.`);
  const labels = isPlainObject(v.labels) ? { ...v.labels } : {};
  if (labels[STACK_LABEL] !== undefined && labels[STACK_LABEL] !== stack) {
    throw new Error(`${a.id}: label ${STACK_LABEL} is reserved for ownership (the bundle sets it to '${String(labels[STACK_LABEL])}', the stack is '${stack}').`);
  }
  labels[STACK_LABEL] = stack;
  return { ...v, id: absoluteId(v.id), labels };
}

function describe(app: MarathonAppJson | Record<string, unknown>): string {
  return `Marathon app ${String(app.id)}`;
}

function ownerText(app: MarathonAppJson): string {
  const l = appLabels(app);
  if (l[PACKAGE_NAME_LABEL]) return `it is the app of DC/OS package ${l[PACKAGE_NAME_LABEL]}`;
  if (l[STACK_LABEL]) return `it belongs to stack '${l[STACK_LABEL]}'`;
  return `it has no ${STACK_LABEL} label (created outside dcos-cdk)`;
}

/** Creates, updates and deletes the stack's Marathon apps. */
export class MarathonDriver implements ArtifactDriver {
  /** Handles `marathon-app`. */
  readonly kinds = ['marathon-app'] as const;
  private readonly verify: boolean;

  constructor(
    private readonly client: MarathonClient,
    options: MarathonDriverOptions = {},
  ) {
    this.verify = options.verify ?? true;
  }

  /** One `GET /v2/apps`, compared with the bundle. */
  async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly PlannedChange[]> {
    const live = new Map((await this.client.listApps(ctx)).map((a) => [String(a.id), a]));
    const changes: PlannedChange[] = [];
    const conflicts: string[] = [];
    const wanted = new Set<string>();
    for (const a of desired) {
      const app = desiredApp(a, ctx.stack);
      const id = String(app.id);
      if (wanted.has(id)) throw new Error(`Two artifacts define Marathon app ${id}.`);
      wanted.add(id);
      const current = live.get(id);
      if (!current) {
        changes.push({ id: a.id, kind: a.kind, action: 'create', resource: describe(app), fields: diffJson({}, app), desired: a });
      } else if (!ownsApp(current, ctx.stack)) {
        conflicts.push(`${a.id}: Marathon app ${id} already exists and ${ownerText(current)}; dcos-cdk never changes it. Remove it, rename the app in the stack, or label it ${STACK_LABEL}=${ctx.stack} to adopt it.`);
      } else {
        const fields = compareApps(current, app);
        changes.push({ id: a.id, kind: a.kind, action: fields.length > 0 ? 'update' : 'noop', resource: describe(app), fields, desired: a });
      }
    }
    if (conflicts.length > 0) throw new OwnershipConflictError(conflicts.join('\n'));
    for (const [id, app] of live) {
      if (wanted.has(id) || !ownsApp(app, ctx.stack)) continue;
      changes.push({ id: `marathon-app:${id}`, kind: 'marathon-app', action: 'delete', resource: describe(app), fields: [] });
    }
    return changes;
  }

  /** Applies one change and waits for its deployment. */
  async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    if (change.action === 'noop') return;
    if (change.action === 'delete') return this.delete(change.id.replace(/^marathon-app:/, ''), ctx);
    if (!change.desired) throw new Error(`${change.id}: no app definition to apply.`);
    const app = desiredApp(change.desired, ctx.stack);
    const id = String(app.id);
    const current = await this.client.getApp(id, ctx);
    let result: WriteResult;
    if (!current) {
      ctx.progress(`Creating Marathon app ${id}`);
      result = await this.client.createApp(app, ctx, (live) => ownsApp(live, ctx.stack));
    } else {
      if (!ownsApp(current, ctx.stack)) throw new OwnershipConflictError(`Marathon app ${id}: ${ownerText(current)}; not touching it.`);
      if (compareApps(current, app).length === 0) return;
      ctx.progress(`Updating Marathon app ${id}`);
      result = await this.client.replaceApp(id, updateBody(current, app), ctx);
    }
    await this.settle(id, result, ctx);
    if (this.verify) {
      const after = await this.client.getApp(id, ctx);
      const left = after ? compareApps(after, app) : [{ path: '(app)' }];
      if (left.length > 0) {
        ctx.progress(`Warning: after its deployment, Marathon app ${id} still differs from the bundle in ${left.map((f) => f.path).join(', ')}; the next deploy will show it.`);
      }
    }
  }

  private async settle(id: string, result: WriteResult, ctx: DriverContext): Promise<void> {
    if (result.deploymentId) await this.client.waitForDeployment(result.deploymentId, ctx, `deployment of ${id}`);
    else await this.client.waitForAppIdle(id, ctx);
  }

  private async delete(id: string, ctx: DriverContext): Promise<void> {
    const current = await this.client.getApp(id, ctx);
    if (!current) return;
    if (!ownsApp(current, ctx.stack)) throw new OwnershipConflictError(`Marathon app ${id}: ${ownerText(current)}; not deleting it.`);
    ctx.progress(`Deleting Marathon app ${id}`);
    const result = await this.client.deleteApp(id, ctx);
    if (result) await this.settle(id, result, ctx);
    else await this.client.waitForAppIdle(id, ctx);
  }
}
