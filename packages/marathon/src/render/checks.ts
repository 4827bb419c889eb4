import type { HealthCheck, ReadinessCheckProps } from '../props/health.js';
import { usesDiscoveryPorts, type AppContext } from './context.js';
import type { JsonObject } from './json.js';

/**
 * The port fields of a health check. A port name becomes Marathon's
 * `portIndex`, except for Mesos containers on a CNI network under Marathon
 * 1.4: that Marathon only indexes host ports, so the check names the
 * container port number instead (the app's first port when none is given).
 */
function portFields(ctx: AppContext, hc: HealthCheck): JsonObject {
  const o = hc.options;
  if (!hc.usesPort) return {};
  if (o.fixedPort !== undefined) return { port: o.fixedPort };
  const index = o.port !== undefined ? ctx.ports.findIndex((p) => p.name === o.port) : o.portIndex;
  if (usesDiscoveryPorts(ctx)) {
    const port = ctx.ports[index ?? 0];
    if (port !== undefined) return { port: port.port };
  }
  return index === undefined || index < 0 ? {} : { portIndex: index };
}

/** A health check as Marathon JSON (only what is set, plus the protocol and port). */
export function renderHealthCheck(ctx: AppContext, hc: HealthCheck): JsonObject {
  const o = hc.options;
  const http = hc.protocol.endsWith('HTTP') || hc.protocol.endsWith('HTTPS');
  return {
    protocol: hc.protocol,
    path: http ? o.path : undefined,
    ...portFields(ctx, hc),
    command: hc.protocol === 'COMMAND' && o.command !== undefined ? { value: o.command } : undefined,
    gracePeriodSeconds: o.gracePeriodSeconds,
    intervalSeconds: o.intervalSeconds,
    timeoutSeconds: o.timeoutSeconds,
    maxConsecutiveFailures: o.maxConsecutiveFailures,
    delaySeconds: o.delaySeconds,
    ignoreHttp1xx: http ? o.ignoreHttp1xx : undefined,
  };
}

/** A readiness check as Marathon JSON. */
export function renderReadinessCheck(rc: ReadinessCheckProps): JsonObject {
  return {
    name: rc.name,
    protocol: rc.protocol,
    path: rc.path,
    portName: rc.port,
    intervalSeconds: rc.intervalSeconds,
    timeoutSeconds: rc.timeoutSeconds,
    httpStatusCodesForReady: rc.httpStatusCodesForReady === undefined ? undefined : [...rc.httpStatusCodesForReady],
    preserveLastResponse: rc.preserveLastResponse,
  };
}
