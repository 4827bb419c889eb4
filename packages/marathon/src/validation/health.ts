/**
 * Health checks: port-index addressing, at most one Mesos-side check, COMMAND checks need a command.
 * 1.4: `state/AppDefinition.scala` (portIndexIsValid, haveAtMostOneMesosHealthCheck) and
 * `Formats.addHealthCheckPortIndexIfNecessary`; 1.5: `AppValidation.scala` and
 * `AppNormalization.normalizeHealthChecks`.
 */
import { Ctx, child, index } from './context.js';
import type { MarathonHealthCheckJson } from './types.js';

/** Marathon's message for a health check that does not address a port. */
export const PORT_INDEX_MESSAGE =
  'Health check port indices must address an element of the ports array or container port mappings.';

/** Marathon's message for more than one MESOS_HTTP/MESOS_HTTPS/MESOS_TCP check. */
export const MESOS_CHECKS_MESSAGE = 'AppDefinition can contain at most one Mesos health check';

/** Our wording (no upstream text found): COMMAND check without command. */
export const COMMAND_REQUIRED_MESSAGE = 'command must be defined for COMMAND health checks';

/** Inputs the port-index rule needs. */
export interface HealthPorts {
  /** Number of addressable ports (port mappings, or port definitions). */
  readonly portCount: number;
  /** Whether Marathon adds `portIndex: 0` to checks that give neither port nor portIndex. */
  readonly addsDefaultPortIndex: boolean;
}

function protocolOf(hc: MarathonHealthCheckJson): string {
  return (hc.protocol ?? 'HTTP').toUpperCase();
}

/** Validates `healthChecks` (both versions; `ports` computed by the networking module). */
export function checkHealthChecks(checks: readonly MarathonHealthCheckJson[], ports: HealthPorts, ctx: Ctx): void {
  checks.forEach((hc, i) => {
    const p = index('/healthChecks', i);
    const protocol = protocolOf(hc);
    if (protocol === 'COMMAND' && hc.command === undefined) {
      ctx.add(child(p, 'command'), COMMAND_REQUIRED_MESSAGE, 'Add "command": {"value": "<shell command>"} or use another protocol.');
    }
    // 1.4 checks every port-based protocol; 1.5 only Marathon-side HTTP/HTTPS/TCP checks without command.
    const portBased = ctx.is14
      ? protocol !== 'COMMAND'
      : hc.command === undefined && (protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'TCP');
    if (!portBased) return;
    const portIndex =
      hc.portIndex ?? (hc.port === undefined && ports.addsDefaultPortIndex && protocol !== 'COMMAND' ? 0 : undefined);
    const ok =
      portIndex !== undefined
        ? portIndex >= 0 && portIndex < ports.portCount
        : hc.port !== undefined || ports.portCount === 1;
    if (!ok) {
      ctx.add(
        p,
        PORT_INDEX_MESSAGE,
        ports.portCount === 0
          ? 'Declare a port (portDefinitions or port mappings) for the check, or give it a fixed "port", or use protocol COMMAND.'
          : `Use a portIndex between 0 and ${ports.portCount - 1}, or give the check a fixed "port".`,
      );
    }
  });
  const mesos = checks.filter((hc) => {
    const protocol = protocolOf(hc);
    return hc.command === undefined && (protocol === 'COMMAND' || protocol.startsWith('MESOS_'));
  }).length;
  if (mesos > 1) {
    ctx.add('/', MESOS_CHECKS_MESSAGE, 'Keep a single MESOS_HTTP/MESOS_HTTPS/MESOS_TCP health check (COMMAND checks do not count).');
  }
}
