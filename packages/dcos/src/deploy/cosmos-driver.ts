/**
 * Driver for `dcos-package` artifacts: Universe packages installed through
 * Cosmos (`POST /package/install`, `/package/uninstall`, marathon.md §4).
 *
 * Live state is read from Marathon (one `GET /v2/apps?label=DCOS_PACKAGE_NAME`;
 * Cosmos `list` reads the same labels), so a plan makes no Cosmos call.
 * Right after an install the driver labels the package's Marathon app
 * `DCOS_CDK_STACK=<stack>` (the ownership record), superseding the install's
 * deployment, then waits for the deployment and until the app is healthy. A package installed by someone else is left alone when its
 * version matches, and is a conflict when it does not. Changing the version or
 * options of an owned package reinstalls it (uninstall, then install).
 */
import { diffJson, isPlainObject, OwnershipConflictError } from '@dcos-cdk/core';
import type { ArtifactDriver, DesiredArtifact, DriverContext, PlannedChange } from '@dcos-cdk/core';
import { isTransient } from './connection.js';
import type { DcosConnection, DcosResponse } from './connection.js';
import { appLabels, PACKAGE_NAME_LABEL, STACK_LABEL } from './marathon-api.js';
import type { MarathonAppJson, MarathonAppsApi } from './marathon-api.js';

/** Content of a `dcos-package` artifact: the Cosmos install request. */
export interface PackageInstallRequest {
  readonly packageName: string;
  readonly packageVersion?: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A package found installed in Marathon. */
export interface InstalledPackageApp {
  readonly appId: string;
  readonly packageName: string;
  readonly packageVersion?: string;
  /** Decoded `DCOS_PACKAGE_OPTIONS`, when present. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** The `DCOS_CDK_STACK` label, when present. */
  readonly stack?: string;
}

/** Options of {@link CosmosDriver}. */
export interface CosmosDriverOptions {
  /** How long to wait for an installed package to become healthy (default 10 min). */
  readonly healthTimeoutMs?: number;
  /** Install/uninstall attempts after transient failures (default: the connection's retries). */
  readonly attempts?: number;
}

const media = (what: string, version: string): string => `application/vnd.dcos.package.${what}+json;charset=utf-8;version=${version}`;

/** Parses and checks a `dcos-package` artifact. */
export function parsePackageArtifact(a: DesiredArtifact): PackageInstallRequest {
  let v: unknown;
  try {
    v = JSON.parse(a.content);
  } catch (e) {
    throw new Error(`${a.id} (${a.file}): not valid JSON (${(e as Error).message}).`);
  }
  if (!isPlainObject(v) || typeof v.packageName !== 'string' || v.packageName === '') throw new Error(`${a.id} (${a.file}): 'packageName' is missing.`);
  if (v.packageVersion !== undefined && typeof v.packageVersion !== 'string') throw new Error(`${a.id}: 'packageVersion' must be a string.`);
  if (v.options !== undefined && !isPlainObject(v.options)) throw new Error(`${a.id}: 'options' must be an object.`);
  return {
    packageName: v.packageName,
    ...(typeof v.packageVersion === 'string' ? { packageVersion: v.packageVersion } : {}),
    options: isPlainObject(v.options) ? v.options : {},
  };
}

function decodeOptions(b64: string | undefined): Record<string, unknown> | undefined {
  if (!b64) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    return isPlainObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the package facts from a Marathon app, or undefined when it is no package. */
export function packageOfApp(app: MarathonAppJson): InstalledPackageApp | undefined {
  const l = appLabels(app);
  const name = l[PACKAGE_NAME_LABEL];
  if (!name || typeof app.id !== 'string') return undefined;
  const options = decodeOptions(l.DCOS_PACKAGE_OPTIONS);
  return {
    appId: app.id,
    packageName: name,
    ...(l.DCOS_PACKAGE_VERSION ? { packageVersion: l.DCOS_PACKAGE_VERSION } : {}),
    ...(options ? { options } : {}),
    ...(l[STACK_LABEL] ? { stack: l[STACK_LABEL] } : {}),
  };
}

function describePkg(p: { packageName: string; packageVersion?: string }): string {
  return `DC/OS package ${p.packageName}${p.packageVersion ? ` ${p.packageVersion}` : ''}`;
}

/** Installs, reinstalls and uninstalls Universe packages through Cosmos. */
export class CosmosDriver implements ArtifactDriver {
  /** Handles `dcos-package`. */
  readonly kinds = ['dcos-package'] as const;
  private readonly healthTimeoutMs: number;
  private readonly attempts: number;

  constructor(
    private readonly conn: DcosConnection,
    private readonly marathon: MarathonAppsApi,
    options: CosmosDriverOptions = {},
  ) {
    this.healthTimeoutMs = options.healthTimeoutMs ?? 600_000;
    this.attempts = options.attempts ?? conn.retries + 1;
  }

  private async installed(ctx: DriverContext): Promise<InstalledPackageApp[]> {
    const apps = await this.marathon.listApps(ctx, { label: PACKAGE_NAME_LABEL });
    return apps.map(packageOfApp).filter((p): p is InstalledPackageApp => p !== undefined);
  }

  /** Compares the bundle's packages with the installed ones (reads Marathon only). */
  async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly PlannedChange[]> {
    const live = await this.installed(ctx);
    const changes: PlannedChange[] = [];
    const conflicts: string[] = [];
    const wanted = new Set<string>();
    for (const a of desired) {
      const req = parsePackageArtifact(a);
      wanted.add(req.packageName);
      const same = live.filter((p) => p.packageName === req.packageName);
      const owned = same.find((p) => p.stack === ctx.stack);
      const desiredView = { packageVersion: req.packageVersion, options: req.options };
      if (owned) {
        const before = { packageVersion: owned.packageVersion, options: owned.options ?? req.options };
        const after = { packageVersion: req.packageVersion ?? owned.packageVersion, options: req.options };
        const fields = diffJson(before, after);
        const resource = `${describePkg(owned)} (Marathon app ${owned.appId})`;
        changes.push({ id: a.id, kind: a.kind, action: fields.length ? 'update' : 'noop', resource: fields.length ? `${resource}, reinstall` : resource, fields, desired: a });
        continue;
      }
      const other = same[0];
      if (other) {
        if (req.packageVersion && other.packageVersion && other.packageVersion !== req.packageVersion) {
          conflicts.push(
            `${a.id}: ${describePkg(other)} is installed as ${other.appId} ${other.stack ? `by stack '${other.stack}'` : 'outside dcos-cdk'}; ` +
              `the bundle wants ${req.packageVersion}. dcos-cdk never changes what the stack does not own: upgrade or uninstall it yourself.`,
          );
          continue;
        }
        if (other.options && diffJson(other.options, req.options).length > 0) {
          ctx.progress(`${a.id}: installed outside this stack with other options; left as it is.`);
        }
        changes.push({ id: a.id, kind: a.kind, action: 'noop', resource: `${describePkg(other)} (Marathon app ${other.appId}, not owned by this stack)`, fields: [], desired: a });
        continue;
      }
      changes.push({ id: a.id, kind: a.kind, action: 'create', resource: describePkg(req), fields: diffJson({}, { packageName: req.packageName, ...desiredView }), desired: a });
    }
    if (conflicts.length > 0) throw new OwnershipConflictError(conflicts.join('\n'));
    for (const p of live) {
      if (p.stack !== ctx.stack || wanted.has(p.packageName)) continue;
      changes.push({ id: `dcos-package:${p.packageName}`, kind: 'dcos-package', action: 'delete', resource: `${describePkg(p)} (Marathon app ${p.appId})`, fields: [] });
    }
    return changes;
  }

  /** Applies one planned change. */
  async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    const name = change.id.replace(/^dcos-package:/, '');
    if (change.action === 'noop') return;
    if (change.action === 'delete') return this.uninstall(name, ctx);
    if (!change.desired) throw new Error(`${change.id}: nothing to install.`);
    const req = parsePackageArtifact(change.desired);
    if (change.action === 'update') await this.uninstall(req.packageName, ctx);
    await this.install(req, ctx);
  }

  private async cosmos(op: 'install' | 'uninstall', body: unknown, ctx: DriverContext): Promise<DcosResponse> {
    const req = {
      method: 'POST' as const,
      url: this.conn.cosmos(op),
      body,
      headers: { 'Content-Type': media(`${op}-request`, 'v1'), Accept: media(`${op}-response`, op === 'install' ? 'v2' : 'v1') },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    };
    return this.conn.request(req, ctx.counters);
  }

  private async install(req: PackageInstallRequest, ctx: DriverContext): Promise<void> {
    let appId: string | undefined;
    let tried = false;
    for (let attempt = 0; appId === undefined; attempt++) {
      const present = (await this.installed(ctx)).find((p) => p.packageName === req.packageName);
      if (present) {
        if (present.stack !== undefined && present.stack !== ctx.stack) throw new OwnershipConflictError(`${describePkg(present)} was installed by stack '${present.stack}' meanwhile; not touching it.`);
        if (present.stack === undefined && !tried) throw new OwnershipConflictError(`${describePkg(present)} was installed outside dcos-cdk meanwhile (Marathon app ${present.appId}); not touching it. Run deploy again to leave it as it is.`);
        appId = present.appId;
        break;
      }
      if (attempt >= this.attempts) throw new Error(`Installing ${describePkg(req)} failed ${attempt} times; run deploy again.`);
      ctx.progress(`Installing ${describePkg(req)} through Cosmos`);
      try {
        const res = await this.cosmos('install', { packageName: req.packageName, ...(req.packageVersion ? { packageVersion: req.packageVersion } : {}), options: req.options }, ctx);
        if (res.status === 200 || res.status === 201) {
          const b = res.body as { appId?: unknown } | undefined;
          if (typeof b?.appId === 'string') appId = b.appId;
          continue;
        }
        const type = (res.body as { type?: unknown } | undefined)?.type;
        if (res.status === 409 && type === 'PackageAlreadyInstalled') continue;
        throw this.conn.fail({ method: 'POST', url: this.conn.cosmos('install') }, res, `Installing ${describePkg(req)}`);
      } catch (e) {
        if (!isTransient(e)) throw e;
        // The install may have happened: an unowned package found next is the one we installed.
        tried = true;
        ctx.progress(`Install of ${req.packageName} interrupted (${(e as Error).message}); checking whether it went through`);
        await new Promise((r) => setTimeout(r, this.conn.retryBaseMs * 2 ** attempt));
      }
    }
    const app = await this.marathon.getApp(appId, ctx);
    const labels = appLabels(app);
    if (labels[STACK_LABEL] !== ctx.stack) {
      // Mark it at once, superseding the install's own deployment (force), so the window in
      // which the package exists without its ownership label is one request long.
      ctx.progress(`Marking Marathon app ${appId} as owned by stack '${ctx.stack}' (label ${STACK_LABEL})`);
      try {
        await this.marathon.patchApp(appId, { labels: { ...labels, [STACK_LABEL]: ctx.stack } }, ctx, { force: true });
      } catch (e) {
        await this.undoInstall(req.packageName, appId, e as Error, ctx);
      }
    } else {
      await this.marathon.waitForAppIdle(appId, ctx);
    }
    ctx.progress(`Waiting for ${appId} to be healthy`);
    await this.marathon.waitForHealthy(appId, ctx, this.healthTimeoutMs);
  }

  /**
   * An install we could not mark as ours would look like someone else's package to the next
   * run (and never be removed by destroy): uninstall it again, then fail.
   */
  private async undoInstall(packageName: string, appId: string, cause: Error, ctx: DriverContext): Promise<never> {
    ctx.progress(`Could not mark ${appId} as owned (${cause.message}); uninstalling it so that the next run installs it again`);
    try {
      const res = await this.cosmos('uninstall', { packageName, appId }, ctx);
      if (res.status !== 200) throw this.conn.fail({ method: 'POST', url: this.conn.cosmos('uninstall') }, res, `Uninstalling ${packageName}`);
      await this.marathon.waitForGone(appId, ctx);
    } catch (e) {
      throw new Error(
        `${cause.message}\nDC/OS package ${packageName} was installed as ${appId} but could not be marked as owned, nor uninstalled (${(e as Error).message}). ` +
          `Label it ${STACK_LABEL}=${ctx.stack} (dcos marathon app update ${appId}) or uninstall it, then run deploy again.`,
      );
    }
    throw new Error(`${cause.message} (the package was uninstalled again; run deploy again)`);
  }

  private async uninstall(packageName: string, ctx: DriverContext): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const mine = (await this.installed(ctx)).find((p) => p.packageName === packageName && p.stack === ctx.stack);
      if (!mine) return;
      if (attempt >= this.attempts) throw new Error(`Uninstalling ${packageName} failed ${attempt} times; run the command again.`);
      ctx.progress(`Uninstalling ${describePkg(mine)} (Marathon app ${mine.appId})`);
      try {
        const res = await this.cosmos('uninstall', { packageName, appId: mine.appId }, ctx);
        const type = (res.body as { type?: unknown } | undefined)?.type;
        const gone = type === 'PackageNotInstalled' || type === 'UninstallNonExistentAppForPackage';
        if (res.status !== 200 && !gone) throw this.conn.fail({ method: 'POST', url: this.conn.cosmos('uninstall') }, res, `Uninstalling ${packageName}`);
        await this.marathon.waitForGone(mine.appId, ctx);
      } catch (e) {
        if (!isTransient(e)) throw e;
        ctx.progress(`Uninstall of ${packageName} interrupted (${(e as Error).message}); checking whether it went through`);
        await new Promise((r) => setTimeout(r, this.conn.retryBaseMs * 2 ** attempt));
      }
    }
  }
}
