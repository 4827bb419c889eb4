/**
 * Marathon REST calls through the DC/OS Admin Router (marathon.md §2):
 * apps, deployments, waiting for deployments with progress (poll
 * `/v2/deployments` until the id disappears, as `dcos marathon deployment
 * watch` does), and the 409 deployment lock: wait for the blocking
 * deployments, then retry, unless `--force` asks to cancel them. Retries of
 * idempotent requests on 5xx, resets and timeouts happen in the connection;
 * creates (POST) recover by checking whether the app exists.
 */
import { DeployAbortedError, OwnershipConflictError } from '@dcos-cdk/core';
import type { DriverContext } from '@dcos-cdk/core';
import { isTransient } from '@dcos-cdk/dcos/deploy';
import type { DcosConnection, DcosRequest, DcosResponse, MarathonAppJson, MarathonAppsApi } from '@dcos-cdk/dcos/deploy';

/** A running deployment as `GET /v2/deployments` lists it. */
export interface MarathonDeployment {
  readonly id: string;
  readonly affectedApps: readonly string[];
  readonly currentStep?: number;
  readonly totalSteps?: number;
  readonly currentActions?: ReadonlyArray<{ readonly action?: string; readonly app?: string }>;
}

/** Options of {@link MarathonClient}. */
export interface MarathonClientOptions {
  /** Poll interval while waiting (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** Longest wait for one deployment (default 10 min). */
  readonly deploymentTimeoutMs?: number;
  /** Longest wait for other deployments holding an app (default 10 min). */
  readonly lockWaitTimeoutMs?: number;
  /** Least time between two progress messages of one wait (default 2 s). */
  readonly progressIntervalMs?: number;
}

/** Result of a write: the deployment Marathon started, when it said. */
export interface WriteResult {
  /** Deployment id (absent when Marathon did not return one). */
  readonly deploymentId?: string;
  /** HTTP status of the successful answer. */
  readonly status: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Blocking deployment ids of a 409 lock answer, or undefined when the 409 is something else. */
export function lockingDeployments(body: unknown): string[] | undefined {
  if (!isObject(body) || !Array.isArray(body.deployments)) return undefined;
  return body.deployments.flatMap((d) => (isObject(d) && typeof d.id === 'string' ? [d.id] : []));
}

function deploymentIdOf(res: DcosResponse): string | undefined {
  const header = res.headers['marathon-deployment-id'];
  if (typeof header === 'string' && header !== '') return header;
  const b = res.body;
  if (isObject(b)) {
    if (typeof b.deploymentId === 'string') return b.deploymentId;
    if (Array.isArray(b.deployments) && isObject(b.deployments[0]) && typeof b.deployments[0].id === 'string') return b.deployments[0].id;
  }
  return undefined;
}

/** Encodes an app id for a URL path (keeps the slashes). */
export function appPath(id: string): string {
  const abs = id.startsWith('/') ? id : `/${id}`;
  return abs.split('/').map(encodeURIComponent).join('/');
}

/** Marathon through the Admin Router. */
export class MarathonClient implements MarathonAppsApi {
  private readonly pollMs: number;
  private readonly deploymentTimeoutMs: number;
  private readonly lockWaitTimeoutMs: number;
  private readonly progressMs: number;

  constructor(
    readonly conn: DcosConnection,
    options: MarathonClientOptions = {},
  ) {
    this.pollMs = options.pollIntervalMs ?? 1000;
    this.deploymentTimeoutMs = options.deploymentTimeoutMs ?? 600_000;
    this.lockWaitTimeoutMs = options.lockWaitTimeoutMs ?? 600_000;
    this.progressMs = options.progressIntervalMs ?? 2000;
  }

  private req(method: DcosRequest['method'], path: string, ctx: DriverContext, body?: unknown): DcosRequest {
    return { method, url: this.conn.marathon(path), ...(body !== undefined ? { body } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) };
  }

  private async sleep(ms: number, ctx: DriverContext): Promise<void> {
    if (ctx.signal?.aborted) throw new DeployAbortedError();
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        ctx.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new DeployAbortedError());
      };
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** `GET /v2/info`: the Marathon version, e.g. `1.4.13`. */
  async version(ctx: DriverContext): Promise<string | undefined> {
    const r = this.req('GET', '/v2/info', ctx);
    const res = await this.conn.request(r, ctx.counters);
    if (res.status !== 200) throw this.conn.fail(r, res, 'Reading the Marathon version');
    return isObject(res.body) && typeof res.body.version === 'string' ? res.body.version : undefined;
  }

  /** `GET /v2/apps` (optionally filtered by a label selector). */
  async listApps(ctx: DriverContext, options: { readonly label?: string } = {}): Promise<MarathonAppJson[]> {
    const q = options.label ? `?label=${encodeURIComponent(options.label)}` : '';
    const r = this.req('GET', `/v2/apps${q}`, ctx);
    const res = await this.conn.request(r, ctx.counters);
    if (res.status !== 200 || !isObject(res.body) || !Array.isArray(res.body.apps)) throw this.conn.fail(r, res, 'Listing Marathon apps');
    return res.body.apps.filter(isObject);
  }

  /** `GET /v2/apps/{id}`; undefined when it does not exist. */
  async getApp(id: string, ctx: DriverContext): Promise<MarathonAppJson | undefined> {
    const r = this.req('GET', `/v2/apps${appPath(id)}`, ctx);
    const res = await this.conn.request(r, ctx.counters);
    if (res.status === 404) return undefined;
    if (res.status !== 200 || !isObject(res.body) || !isObject(res.body.app)) throw this.conn.fail(r, res, `Reading Marathon app ${id}`);
    return res.body.app;
  }

  /** `GET /v2/deployments`. */
  async listDeployments(ctx: DriverContext): Promise<MarathonDeployment[]> {
    const r = this.req('GET', '/v2/deployments', ctx);
    const res = await this.conn.request(r, ctx.counters);
    if (res.status !== 200 || !Array.isArray(res.body)) throw this.conn.fail(r, res, 'Listing Marathon deployments');
    return res.body.filter(isObject).map((d) => ({
      id: String(d.id),
      affectedApps: Array.isArray(d.affectedApps) ? d.affectedApps.map(String) : [],
      ...(typeof d.currentStep === 'number' ? { currentStep: d.currentStep } : {}),
      ...(typeof d.totalSteps === 'number' ? { totalSteps: d.totalSteps } : {}),
      ...(Array.isArray(d.currentActions) ? { currentActions: d.currentActions.filter(isObject) as MarathonDeployment['currentActions'] } : {}),
    }));
  }

  /**
   * Sends a write; on a 409 deployment lock waits for the blocking
   * deployments and sends it again (with `force=true` instead when
   * `ctx.force`). Other statuses are returned.
   */
  private async write(method: DcosRequest['method'], path: string, query: string[], body: unknown, ctx: DriverContext, what: string, force = ctx.force): Promise<DcosResponse> {
    const q = [...query, ...(force ? ['force=true'] : method === 'DELETE' ? ['force=false'] : [])];
    const full = `${path}${q.length ? `?${q.join('&')}` : ''}`;
    const deadline = Date.now() + this.lockWaitTimeoutMs;
    for (;;) {
      const res = await this.conn.request(this.req(method, full, ctx, body), ctx.counters);
      const blocking = res.status === 409 ? lockingDeployments(res.body) : undefined;
      if (!blocking) return res;
      ctx.progress(`${what}: Marathon app is locked by deployment ${blocking.join(', ')}; waiting for it to finish (--force cancels it instead)`);
      for (const id of blocking) await this.waitForDeployment(id, ctx, `deployment ${id} (not ours)`, deadline, '--force cancels it');
    }
  }

  /**
   * `POST /v2/apps`. When the answer is lost (reset, timeout, 5xx) checks
   * whether the app now exists: `isOurs(app)` decides whether it is the one
   * we sent. Throws {@link OwnershipConflictError} when an app with the id
   * exists and is not ours.
   */
  async createApp(app: MarathonAppJson, ctx: DriverContext, isOurs: (live: MarathonAppJson) => boolean): Promise<WriteResult> {
    const id = String(app.id);
    for (let attempt = 0; ; attempt++) {
      let res: DcosResponse;
      try {
        res = await this.write('POST', '/v2/apps', [], app, ctx, `Creating ${id}`);
      } catch (e) {
        if (!isTransient(e) || attempt >= this.conn.retries) throw e;
        ctx.progress(`Creating ${id}: ${(e as Error).message}; checking whether it went through`);
        await this.sleep(this.conn.retryBaseMs * 2 ** attempt, ctx);
        const live = await this.getApp(id, ctx);
        if (live && isOurs(live)) return { status: 201 };
        if (live) throw new OwnershipConflictError(`Marathon app ${id} appeared meanwhile and is not owned by stack '${ctx.stack}'; not touching it.`);
        continue;
      }
      if (res.status === 201 || res.status === 200) {
        const dep = deploymentIdOf(res);
        return { status: res.status, ...(dep ? { deploymentId: dep } : {}) };
      }
      if (res.status === 409) {
        const live = await this.getApp(id, ctx);
        if (live && isOurs(live)) return { status: 409 };
        throw new OwnershipConflictError(`Marathon app ${id} already exists and is not owned by stack '${ctx.stack}'; not touching it.`);
      }
      throw this.conn.fail({ method: 'POST', url: this.conn.marathon('/v2/apps') }, res, `Creating Marathon app ${id}`);
    }
  }

  /** `PUT /v2/apps/{id}?partialUpdate=false`: replaces the whole definition (removed fields are removed). */
  async replaceApp(id: string, app: MarathonAppJson, ctx: DriverContext): Promise<WriteResult> {
    const res = await this.write('PUT', `/v2/apps${appPath(id)}`, ['partialUpdate=false'], app, ctx, `Updating ${id}`);
    if (res.status !== 200 && res.status !== 201) throw this.conn.fail({ method: 'PUT', url: this.conn.marathon(`/v2/apps${appPath(id)}`) }, res, `Updating Marathon app ${id}`);
    const dep = deploymentIdOf(res);
    return { status: res.status, ...(dep ? { deploymentId: dep } : {}) };
  }

  /** Partial `PUT /v2/apps/{id}` with some fields; waits for the deployment. */
  async patchApp(id: string, fields: Readonly<Record<string, unknown>>, ctx: DriverContext, options: { readonly force?: boolean } = {}): Promise<void> {
    const path = `/v2/apps${appPath(id)}`;
    const res = await this.write('PUT', path, [], fields, ctx, `Updating ${id}`, ctx.force || options.force === true);
    if (res.status !== 200 && res.status !== 201) throw this.conn.fail({ method: 'PUT', url: this.conn.marathon(path) }, res, `Updating Marathon app ${id}`);
    const dep = deploymentIdOf(res);
    if (dep) await this.waitForDeployment(dep, ctx, `update of ${id}`);
    else await this.waitForAppIdle(id, ctx);
  }

  /** `DELETE /v2/apps/{id}` (force only with `--force`); `undefined` when the app was already gone. */
  async deleteApp(id: string, ctx: DriverContext): Promise<WriteResult | undefined> {
    const path = `/v2/apps${appPath(id)}`;
    const res = await this.write('DELETE', path, [], undefined, ctx, `Deleting ${id}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200 && res.status !== 202) throw this.conn.fail({ method: 'DELETE', url: this.conn.marathon(path) }, res, `Deleting Marathon app ${id}`);
    const dep = deploymentIdOf(res);
    return { status: res.status, ...(dep ? { deploymentId: dep } : {}) };
  }

  /**
   * Polls `/v2/deployments` until `deploymentId` is gone, reporting the
   * current step. Throws after the deployment timeout (the deployment keeps
   * running in Marathon; a re-run continues).
   */
  async waitForDeployment(deploymentId: string, ctx: DriverContext, what: string, deadline = Date.now() + this.deploymentTimeoutMs, hint = 'run deploy again to continue'): Promise<void> {
    const started = Date.now();
    let lastReport = started;
    let lastStep = '';
    for (;;) {
      const found = (await this.listDeployments(ctx)).find((d) => d.id === deploymentId);
      if (!found) return;
      const now = Date.now();
      const actions = (found.currentActions ?? []).map((a) => `${a.action ?? '?'} ${a.app ?? ''}`.trim()).join(', ');
      const step = `step ${found.currentStep ?? '?'}/${found.totalSteps ?? '?'}${actions ? ` (${actions})` : ''}`;
      const stepChanged = lastStep !== '' && step !== lastStep && now - started >= Math.min(1000, this.progressMs);
      if (stepChanged || now - lastReport >= this.progressMs) {
        ctx.progress(`Waiting for ${what}: ${step}, ${Math.round((now - started) / 1000)}s`);
        lastReport = now;
      }
      lastStep = step;
      if (now > deadline) {
        throw new Error(`Marathon deployment ${deploymentId} (${what}) did not finish within ${Math.round((deadline - started) / 1000)}s; it is still running in Marathon (dcos marathon deployment list). ${hint}.`);
      }
      await this.sleep(this.pollMs, ctx);
    }
  }

  /** Waits until no running deployment affects the app. */
  async waitForAppIdle(id: string, ctx: DriverContext): Promise<void> {
    const deadline = Date.now() + this.deploymentTimeoutMs;
    for (;;) {
      const busy = (await this.listDeployments(ctx)).filter((d) => d.affectedApps.includes(id));
      if (busy.length === 0) return;
      for (const d of busy) await this.waitForDeployment(d.id, ctx, `deployment of ${id}`, deadline);
    }
  }

  /** Waits until the app is gone and no deployment affects it. */
  async waitForGone(id: string, ctx: DriverContext): Promise<void> {
    const deadline = Date.now() + this.deploymentTimeoutMs;
    while (await this.getApp(id, ctx)) {
      if (Date.now() > deadline) throw new Error(`Marathon app ${id} still exists after ${Math.round(this.deploymentTimeoutMs / 1000)}s.`);
      await this.sleep(this.pollMs, ctx);
    }
    await this.waitForAppIdle(id, ctx);
  }

  /** Waits until the app runs `instances` tasks, healthy when it has health checks, with no deployment. */
  async waitForHealthy(id: string, ctx: DriverContext, timeoutMs = this.deploymentTimeoutMs): Promise<void> {
    const started = Date.now();
    let lastReport = started;
    for (;;) {
      const app = await this.getApp(id, ctx);
      if (!app) throw new Error(`Marathon app ${id} disappeared while waiting for it to become healthy.`);
      const want = typeof app.instances === 'number' ? app.instances : 1;
      const running = typeof app.tasksRunning === 'number' ? app.tasksRunning : 0;
      const healthy = typeof app.tasksHealthy === 'number' ? app.tasksHealthy : 0;
      const checks = Array.isArray(app.healthChecks) && app.healthChecks.length > 0;
      const deploying = Array.isArray(app.deployments) && app.deployments.length > 0;
      if (!deploying && running >= want && (!checks || healthy >= want)) return;
      const now = Date.now();
      const failure = isObject(app.lastTaskFailure) && typeof app.lastTaskFailure.message === 'string' ? `; last task failure: ${app.lastTaskFailure.message}` : '';
      if (now - started > timeoutMs) {
        throw new Error(`Marathon app ${id} is not healthy after ${Math.round(timeoutMs / 1000)}s (${running}/${want} running, ${healthy} healthy${failure}). Check it with 'dcos marathon app show ${id}'; run deploy again once it is fixed.`);
      }
      if (now - lastReport >= this.progressMs) {
        ctx.progress(`Waiting for ${id}: ${running}/${want} running${checks ? `, ${healthy} healthy` : ''}${deploying ? ', deploying' : ''}${failure}`);
        lastReport = now;
      }
      await this.sleep(this.pollMs, ctx);
    }
  }
}
