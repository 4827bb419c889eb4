import type { JsonValue } from '@dcos-cdk/core';
import { renderHealthCheck, renderReadinessCheck } from './checks.js';
import type { AppContext } from './context.js';
import { compact, nonEmpty, nonEmptyMap, type JsonObject } from './json.js';
import { renderNetworking14, renderNetworking15, type NetworkingJson } from './networking.js';

function renderContainer(ctx: AppContext, net: NetworkingJson): JsonObject | undefined {
  const p = ctx.props;
  const c = p.container ?? {};
  if (ctx.containerType === undefined) return undefined;
  const docker: JsonObject | undefined =
    p.image === undefined
      ? undefined
      : {
          image: p.image,
          ...net.docker,
          forcePullImage: c.forcePullImage,
          privileged: c.privileged,
          parameters: nonEmpty(c.parameters, (x) => ({ key: x.key, value: x.value })),
          pullConfig: c.pullConfigSecret === undefined ? undefined : { secret: c.pullConfigSecret },
        };
  return {
    type: ctx.containerType,
    docker,
    volumes: nonEmpty(c.volumes, (v) => ({ ...v.json }) as JsonObject),
    ...net.container,
  };
}

/**
 * The app definition in the JSON of the cluster's Marathon, built once from
 * the resolved props. Only what is set is written (Marathon applies its
 * defaults to the rest); field order follows the walkthrough's files.
 */
export function renderAppJson(ctx: AppContext): JsonObject {
  const p = ctx.props;
  const net = ctx.format === '1.4' ? renderNetworking14(ctx) : renderNetworking15(ctx);
  const unreachable = p.unreachableStrategy;
  const json: JsonObject = {
    id: ctx.id,
    container: renderContainer(ctx, net),
    instances: p.instances,
    cmd: p.cmd,
    args: p.args === undefined ? undefined : [...p.args],
    user: p.user,
    cpus: p.cpus,
    mem: p.mem,
    disk: p.disk,
    gpus: p.gpus,
    env: nonEmptyMap(p.env as Readonly<Record<string, JsonValue>> | undefined),
    secrets: nonEmptyMap(p.secrets as Readonly<Record<string, JsonValue>> | undefined),
    labels: nonEmptyMap(p.labels),
    ...net.app,
    healthChecks: nonEmpty(p.healthChecks, (hc) => renderHealthCheck(ctx, hc)),
    readinessChecks: nonEmpty(p.readinessChecks, renderReadinessCheck),
    constraints: nonEmpty(p.constraints, (c) => c.toJson()),
    upgradeStrategy: p.upgradeStrategy === undefined ? undefined : { ...p.upgradeStrategy },
    backoffSeconds: p.backoffSeconds,
    backoffFactor: p.backoffFactor,
    maxLaunchDelaySeconds: p.maxLaunchDelaySeconds,
    fetch: nonEmpty(p.fetch, (f) => ({ ...f }) as JsonObject),
    killSelection: p.killSelection,
    unreachableStrategy: unreachable === undefined || typeof unreachable === 'string' ? unreachable : { ...unreachable },
    taskKillGracePeriodSeconds: p.taskKillGracePeriodSeconds,
    acceptedResourceRoles: p.acceptedResourceRoles === undefined ? undefined : [...p.acceptedResourceRoles],
    executor: p.executor,
    residency: p.residency === undefined ? undefined : { ...p.residency },
    tty: p.tty,
    dependencies: ctx.dependencies.length > 0 ? [...ctx.dependencies] : undefined,
  };
  return compact(json) as JsonObject;
}
