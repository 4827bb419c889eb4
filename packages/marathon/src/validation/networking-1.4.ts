/**
 * Marathon 1.4 networking: host `portDefinitions`/`ports`, Docker `network` + `portMappings`,
 * and the IP-per-task `ipAddress` API (`docs/docs/ip-per-task.md`, `state/AppDefinition.scala`,
 * `state/Container.scala`). The 1.4 read-stage parts (discovery port names/protocols/uniqueness,
 * "You cannot specify both an IP address and ports") live in read-1.4.ts.
 */
import { Ctx, child, index, javaInt } from './context.js';
import { MARATHON_DEFAULTS } from './defaults.js';
import type { HealthPorts } from './health.js';
import { checkPortDefinitions14, checkPortMappings14 } from './ports.js';
import type { MarathonAppJson, MarathonPortDefinition, MarathonPortMapping } from './types.js';

/** Message used (our wording, mirroring 1.5) when an IP-per-task app names no network and no default exists. */
export const NETWORK_NAME_MISSING_14 = 'Network name must be specified when container network is selected.';

/** Port definitions Marathon 1.4 ends up with (after `ports` conversion and `ipAddress` defaulting). */
export function effectivePortDefinitions14(app: MarathonAppJson): readonly MarathonPortDefinition[] {
  if (app.ipAddress !== undefined) return [];
  if (app.portDefinitions !== undefined) return app.portDefinitions;
  if (app.ports !== undefined) return app.ports.map((port) => ({ port }));
  return MARATHON_DEFAULTS.portDefinitions;
}

/** Docker port mappings 1.4 keeps (only for BRIDGE and USER networks). */
function keptPortMappings(app: MarathonAppJson): readonly MarathonPortMapping[] | undefined {
  const d = app.container?.docker;
  if ((app.container?.type ?? 'DOCKER') !== 'DOCKER' || d === undefined) return undefined;
  return d.network === 'BRIDGE' || d.network === 'USER' ? d.portMappings : undefined;
}

/** Validate-stage 1.4 networking rules; returns what the health-check rule needs. */
export function checkNetworking14(app: MarathonAppJson, ctx: Ctx): HealthPorts {
  const network = app.container?.docker?.network;
  const ip = app.ipAddress;
  if (ip !== undefined) {
    const discoveryPorts = ip.discovery?.ports ?? [];
    if (discoveryPorts.length > 0 && (network === 'BRIDGE' || network === 'USER')) {
      ctx.add(
        '/ipAddress',
        'ipAddress/discovery is not allowed for Docker containers using BRIDGE or USER networks',
        'Declare Docker ports in container.docker.portMappings and drop ipAddress.discovery.',
      );
    }
    discoveryPorts.forEach((p, i) => {
      if (p.number !== undefined && (p.number < 0 || p.number > 65535)) {
        const range = p.number < 0 ? '0 or more' : '65535 or less';
        ctx.add(
          child(index('/ipAddress/discovery/ports', i), 'number'),
          `got ${javaInt(p.number)}, expected ${range}`,
          'Use a port number between 0 and 65535.',
        );
      }
    });
    const namedByDocker = network === 'BRIDGE' || network === 'HOST';
    if (ip.networkName === undefined && ctx.defaultNetworkName === undefined && !namedByDocker) {
      ctx.add(
        '/ipAddress/networkName',
        NETWORK_NAME_MISSING_14,
        'Set ipAddress.networkName, or start Marathon with --default_network_name.',
      );
    }
  }
  const pms = keptPortMappings(app);
  if (pms !== undefined) checkPortMappings14(pms, '/container/docker/portMappings', ctx);
  if (app.portDefinitions !== undefined || app.ports !== undefined) {
    checkPortDefinitions14(effectivePortDefinitions14(app), ctx);
  }
  const defs = effectivePortDefinitions14(app);
  return {
    portCount: pms !== undefined ? pms.length : defs.length,
    addsDefaultPortIndex: defs.length > 0 || (pms ?? []).length > 0,
  };
}
