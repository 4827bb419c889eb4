/** Dispatch of Marathon paths (`/v2/...`, `/ping`) plus the deployment and info routes. */
import { MARATHON_DEFAULTS } from '@dcos-cdk/marathon';
import { appTasks, appVersion, appVersions, createApp, deleteApp, listApps, restartApp, showApp, updateApp, updateApps } from './apps.js';
import type { AppChange } from './changes.js';
import type { MarathonContext } from './context.js';
import { createGroup, deleteGroup, groupVersions, showGroup, updateGroup } from './groups.js';
import { deploymentResult, marathonError, queryBool } from './http.js';
import type { RouteRequest, RouteResponse } from './http.js';
import { LOCAL_PORT_MAX, LOCAL_PORT_MIN } from './service-ports.js';

/** Full Marathon version string reported by `/v2/info`. */
export function fullVersion(ctx: MarathonContext): string {
  return ctx.version === '1.4' ? '1.4.13' : '1.5.15';
}

function info(ctx: MarathonContext): RouteResponse {
  return {
    status: 200,
    body: {
      name: 'marathon',
      version: fullVersion(ctx),
      buildref: 'emulator',
      elected: true,
      leader: 'marathon.emulator:8080',
      frameworkId: 'emulator-framework-0000',
      marathon_config: {
        default_network_name: ctx.defaultNetworkName,
        features: [],
        framework_name: 'marathon',
        local_port_max: LOCAL_PORT_MAX,
        local_port_min: LOCAL_PORT_MIN,
        master: 'zk://zk-1.zk:2181/mesos',
        mesos_bridge_name: MARATHON_DEFAULTS.mesosBridgeName,
        mesos_role: 'slave_public',
        mesos_user: 'root',
      },
      zookeeper_config: { zk: 'zk://zk-1.zk:2181/marathon' },
      http_config: { http_port: 8080, https_port: 8443 },
      event_subscriber: null,
    },
  };
}

/** GET /v2/deployments */
function listDeployments(ctx: MarathonContext): RouteResponse {
  const now = Date.now();
  return { status: 200, body: ctx.deployments.list().map((p) => ctx.deployments.toJson(p, now)) };
}

/** DELETE /v2/deployments/{id}: rollback deployment, or `force=true` → 202 without body. */
function cancelDeployment(ctx: MarathonContext, req: RouteRequest, rawId: string): RouteResponse {
  const id = decodeURIComponent(rawId);
  const plan = ctx.deployments.get(id);
  if (!plan) throw marathonError(404, `DeploymentPlan ${id} does not exist`);
  ctx.deployments.cancel(id);
  if (queryBool(req.query, 'force', false)) return { status: 202 };
  const changes: AppChange[] = [...plan.original].map(([appId, def]) => ({ id: appId, def, keepVersion: true }));
  return deploymentResult(ctx.engine.commit(changes, { force: true }));
}

function methodNotAllowed(): never {
  throw marathonError(405, 'Method Not Allowed');
}

function appRoutes(ctx: MarathonContext, req: RouteRequest, rest: string): RouteResponse {
  const m = req.method;
  let x: RegExpExecArray | null;
  if ((x = /^(.+)\/restart$/.exec(rest)) && m === 'POST') return restartApp(ctx, req, x[1]!);
  if ((x = /^(.+)\/versions$/.exec(rest)) && m === 'GET') return appVersions(ctx, x[1]!);
  if ((x = /^(.+)\/versions\/([^/]+)$/.exec(rest)) && m === 'GET') return appVersion(ctx, x[1]!, x[2]!);
  if ((x = /^(.+)\/tasks$/.exec(rest)) && m === 'GET') return appTasks(ctx, x[1]!);
  if (m === 'GET') return showApp(ctx, req, rest);
  if (m === 'PUT') return updateApp(ctx, req, rest, false);
  if (m === 'PATCH') return updateApp(ctx, req, rest, true);
  if (m === 'DELETE') return deleteApp(ctx, req, rest);
  return methodNotAllowed();
}

function groupRoutes(ctx: MarathonContext, req: RouteRequest, rest: string): RouteResponse {
  const m = req.method;
  const versions = /^(?:(.*)\/)?versions$/.exec(rest);
  if (versions && m === 'GET') return groupVersions(ctx, versions[1] ?? '/');
  if (m === 'GET') return showGroup(ctx, req, rest);
  if (m === 'POST') return createGroup(ctx, req, rest);
  if (m === 'PUT') return updateGroup(ctx, req, rest);
  if (m === 'DELETE') return deleteGroup(ctx, req, rest);
  return methodNotAllowed();
}

/** Route a Marathon-relative path; unknown paths answer 404 `URI not found: <path>`. */
export function routeMarathon(ctx: MarathonContext, req: RouteRequest): RouteResponse {
  const p = req.path;
  const m = req.method;
  let x: RegExpExecArray | null;
  if (p === '/ping') return m === 'GET' ? { status: 200, body: 'pong', contentType: 'text/plain' } : methodNotAllowed();
  if (p === '/v2/info' || p === '/v2/info/') return m === 'GET' ? info(ctx) : methodNotAllowed();
  if (p === '/v2/leader') return m === 'GET' ? { status: 200, body: { leader: 'marathon.emulator:8080' } } : methodNotAllowed();
  if (/^\/v2\/apps\/?$/.test(p)) {
    if (m === 'GET') return listApps(ctx, req);
    if (m === 'POST') return createApp(ctx, req);
    if (m === 'PUT') return updateApps(ctx, req, false);
    if (m === 'PATCH') return updateApps(ctx, req, true);
    return methodNotAllowed();
  }
  if ((x = /^\/v2\/apps\/(.+?)\/?$/.exec(p))) return appRoutes(ctx, req, x[1]!);
  if ((x = /^\/v2\/groups(?:\/(.*?))?\/?$/.exec(p))) return groupRoutes(ctx, req, x[1] ?? '');
  if (/^\/v2\/deployments\/?$/.test(p)) return m === 'GET' ? listDeployments(ctx) : methodNotAllowed();
  if ((x = /^\/v2\/deployments\/([^/]+)\/?$/.exec(p))) {
    return m === 'DELETE' ? cancelDeployment(ctx, req, x[1]!) : methodNotAllowed();
  }
  throw marathonError(404, `URI not found: ${p}`);
}
