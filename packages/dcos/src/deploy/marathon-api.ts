/**
 * The Marathon operations the Cosmos driver needs. `MarathonClient` in
 * `@dcos-cdk/marathon/deploy` implements it; the CLI passes it in, so this
 * package does not depend on the Marathon package.
 */
import type { DriverContext } from '@dcos-cdk/core';

/** A Marathon app as the REST API returns it. */
export type MarathonAppJson = Readonly<Record<string, unknown>>;

/** Label every resource owned by a stack carries: `DCOS_CDK_STACK=<stack>`. */
export const STACK_LABEL = 'DCOS_CDK_STACK';

/** Label Cosmos puts on the Marathon app of an installed package. */
export const PACKAGE_NAME_LABEL = 'DCOS_PACKAGE_NAME';

/** The Marathon calls the Cosmos driver uses. */
export interface MarathonAppsApi {
  /** `GET /v2/apps` (optionally `?label=<selector>`). */
  listApps(ctx: DriverContext, options?: { readonly label?: string }): Promise<MarathonAppJson[]>;
  /** `GET /v2/apps/{id}`; undefined on 404. */
  getApp(id: string, ctx: DriverContext): Promise<MarathonAppJson | undefined>;
  /**
   * Partial update `PUT /v2/apps/{id}` with the given fields (other fields
   * keep their values), handling 409 locks; waits for the deployment.
   * `force` cancels deployments of this app (used right after creating it).
   */
  patchApp(id: string, fields: Readonly<Record<string, unknown>>, ctx: DriverContext, options?: { readonly force?: boolean }): Promise<void>;
  /** Waits until no deployment touches the app. */
  waitForAppIdle(id: string, ctx: DriverContext): Promise<void>;
  /** Waits until the app runs its instances (healthy when it has health checks). */
  waitForHealthy(id: string, ctx: DriverContext, timeoutMs?: number): Promise<void>;
  /** Waits until the app no longer exists. */
  waitForGone(id: string, ctx: DriverContext): Promise<void>;
}

/** Labels of an app as a string map (non-string values dropped). */
export function appLabels(app: MarathonAppJson | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const labels = app?.labels;
  if (typeof labels === 'object' && labels !== null && !Array.isArray(labels)) {
    for (const [k, v] of Object.entries(labels as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}
