/**
 * Marathon 1.5 networking (`networks`, `container.portMappings`) and the translation of the
 * deprecated 1.4 fields (`api/v2/AppNormalization.scala` `forDeprecated`/`NetworkTranslation`,
 * `AppValidation.validateOldAppAPI` / `validateCanonicalAppAPI`, `validation/NetworkValidation.scala`).
 */
import { Ctx, allDistinct } from './context.js';
import { containerType } from './container.js';
import { MARATHON_DEFAULTS } from './defaults.js';
import type { HealthPorts } from './health.js';
import { checkPortDefinitions15, checkPortMappingNames15, checkPortMappings15 } from './ports.js';
import type {
  MarathonAppJson,
  MarathonContainerJson,
  MarathonDockerJson,
  MarathonNetworkJson,
  MarathonPortDefinition,
  MarathonPortMapping,
} from './types.js';

/** Marathon's text for an unnamed container network without `--default_network_name`. */
export const NETWORK_NAME_MUST_BE_SPECIFIED = 'Network name must be specified when container network is selected.';
/** Marathon's text for more than one container network with the Docker containerizer. */
export const DOCKER_SINGLE_NETWORK = 'may only specify a single container network when using the Docker container engine';

/** Result of translating deprecated networking fields. */
export interface Migrated15 {
  readonly networks: readonly MarathonNetworkJson[];
  /** true when `networks` came from `ipAddress` / `container.docker.network` */
  readonly legacy: boolean;
  readonly container: MarathonContainerJson | undefined;
  /** port definitions after `ports` conversion and host-mode defaulting (undefined for non-host) */
  readonly portDefinitions: readonly MarathonPortDefinition[] | undefined;
  /** `portDefinitions`, else `ports` converted, as the user declared them */
  readonly declaredPortDefinitions: readonly MarathonPortDefinition[] | undefined;
}

const nonEmpty = (v: readonly unknown[] | undefined): boolean => v !== undefined && v.length > 0;

/** `validateOldAppAPI` networking checks (1.5 rejects these before normalization). */
export function checkOldNetworkingApi15(app: MarathonAppJson, ctx: Ctx): void {
  const docker = app.container?.docker;
  if (docker?.portMappings !== undefined) checkPortMappingNames15(docker.portMappings, '/container/docker/portMappings', ctx);
  if (app.ipAddress?.discovery !== undefined && containerType(app.container) === 'DOCKER') {
    ctx.add('/ipAddress', 'ipAddress/discovery is not allowed for Docker containers', 'Use container.portMappings with a container network instead of ipAddress.discovery.');
  }
  const networks = app.networks ?? [];
  if (docker?.network !== undefined && networks.length > 0) {
    ctx.add('/', 'must not specify both container.docker.network and networks', 'Drop container.docker.network and describe the network in "networks" only.');
  }
  if (app.ipAddress !== undefined && networks.length > 0) {
    ctx.add('/', 'must not specify both networks and ipAddress', 'Drop "ipAddress" and describe the network in "networks" only.');
  }
  const ports = app.ports ?? [];
  if (!allDistinct(ports.filter((p) => p !== 0))) {
    ctx.add('/', 'ports must be unique', 'Use each non-zero port only once in "ports" (0 means "any port").');
  }
  if (app.ipAddress !== undefined && (nonEmpty(app.ports) || nonEmpty(app.portDefinitions))) {
    ctx.add('/', 'cannot specify both an IP address and port', 'With "ipAddress" declare ports in ipAddress.discovery.ports or port mappings, not in ports/portDefinitions.');
  }
  if (app.ports !== undefined && app.portDefinitions !== undefined) {
    const defs = app.portDefinitions.map((d) => d.port ?? 0);
    if (!(defs.length === app.ports.length && defs.every((p, i) => p === app.ports?.[i]))) {
      ctx.add('/', 'cannot specify both ports and port definitions', 'Use only "portDefinitions"; drop the legacy "ports" field.');
    }
  }
}

function translateNetworks(app: MarathonAppJson, ctx: Ctx, fail: (m: string) => void): { networks: MarathonNetworkJson[]; legacy: boolean } {
  const ip = app.ipAddress;
  const dn = app.container?.docker?.network?.toUpperCase();
  const labels = (l: Readonly<Record<string, string>> | undefined): Pick<MarathonNetworkJson, 'labels'> =>
    l !== undefined && Object.keys(l).length > 0 ? { labels: l } : {};
  const byDockerNetwork = (name: string | undefined): MarathonNetworkJson[] => {
    switch (dn) {
      case 'HOST':
        return [{ mode: 'host' }];
      case 'USER':
        return [{ mode: 'container', ...(name === undefined ? {} : { name }), ...labels(ip?.labels) }];
      case 'BRIDGE':
        return [{ mode: 'container/bridge', ...labels(ip?.labels) }];
      default:
        fail(`unsupported docker network type ${dn}`);
        return [];
    }
  };
  if (nonEmpty(app.networks) || (ip === undefined && dn === undefined)) {
    const networks = (app.networks ?? []).map((n) => ({ ...n, mode: (n.mode ?? 'container').toLowerCase() as MarathonNetworkJson['mode'] }));
    return { networks, legacy: false };
  }
  if (ip !== undefined && dn === undefined) {
    const bridge = ip.networkName === ctx.mesosBridgeName;
    return {
      networks: [bridge ? { mode: 'container/bridge', ...labels(ip.labels) } : { mode: 'container', ...(ip.networkName === undefined ? {} : { name: ip.networkName }), ...labels(ip.labels) }],
      legacy: true,
    };
  }
  return { networks: byDockerNetwork(ip?.networkName), legacy: true };
}

/**
 * Translates deprecated fields like Marathon's `AppNormalization.forDeprecated`. Conversion
 * failures (Marathon's SerializationFailedException) are recorded at "/" with stage "read".
 */
export function migrate15(app: MarathonAppJson, ctx: Ctx): Migrated15 | undefined {
  let failed = false;
  const fail = (m: string): void => {
    failed = true;
    ctx.read('/', m, FAIL_FIX[m] ?? 'Use either the 1.4 or the 1.5 networking fields, not both.');
  };
  const { networks, legacy } = translateNetworks(app, ctx, fail);
  const hostLike = networks.length === 0 || networks.some((n) => n.mode === 'host');
  const declaredPortDefinitions = app.portDefinitions ?? app.ports?.map((port) => ({ port }));

  let container = app.container ?? (app.ipAddress !== undefined ? { type: 'MESOS' as const } : undefined);
  if (container !== undefined) {
    let portMappings: readonly MarathonPortMapping[] | undefined = container.portMappings;
    const dockerPms = container.docker?.portMappings;
    if (dockerPms !== undefined) {
      if (portMappings !== undefined && dockerPms.length > 0) fail('cannot specify both portMappings and docker.portMappings');
      else if (portMappings === undefined) portMappings = dockerPms;
    }
    const discovery = app.ipAddress?.discovery?.ports ?? [];
    if (containerType(container) === 'MESOS' && discovery.length > 0) {
      if (portMappings !== undefined) fail('container.portMappings and ipAddress.discovery.ports must not both be set');
      else {
        portMappings = discovery.map((p) => ({
          containerPort: p.number ?? 0,
          ...(p.name === undefined ? {} : { name: p.name }),
          ...(p.protocol === undefined ? {} : { protocol: p.protocol }),
        }));
      }
    }
    if (legacy && hostLike) portMappings = undefined; // maybeDropPortMappings
    if (!hostLike && portMappings === undefined) portMappings = MARATHON_DEFAULTS.portMappings; // applyDefaultPortMappings
    if (!hostLike && legacy && portMappings !== undefined) {
      const delta = (declaredPortDefinitions?.length ?? 0) - portMappings.length; // maybeAddPortMappings
      if (delta > 0) portMappings = [...portMappings, ...Array.from({ length: delta }, () => ({}))];
    }
    const migrated: { -readonly [K in keyof MarathonContainerJson]: MarathonContainerJson[K] } = { ...container };
    delete migrated.portMappings;
    if (container.docker !== undefined) {
      const docker: { -readonly [K in keyof MarathonDockerJson]: MarathonDockerJson[K] } = { ...container.docker };
      delete docker.portMappings;
      delete docker.network;
      migrated.docker = docker;
    }
    if (portMappings !== undefined) migrated.portMappings = portMappings;
    container = migrated;
  }
  if (failed) return undefined;
  const portDefinitions = hostLike ? (declaredPortDefinitions ?? MARATHON_DEFAULTS.portDefinitions) : undefined;
  return { networks, legacy, container, portDefinitions, declaredPortDefinitions };
}

const FAIL_FIX: Record<string, string> = {
  'unsupported docker network type NONE': 'Docker network NONE has no 1.5 equivalent; use "networks": [{"mode": "host"}] or a container network.',
  'cannot specify both portMappings and docker.portMappings': 'Keep the port mappings in container.portMappings only.',
  'container.portMappings and ipAddress.discovery.ports must not both be set': 'Keep the ports in container.portMappings only and drop ipAddress.discovery.',
};

function checkNetworkList(networks: readonly MarathonNetworkJson[], ctx: Ctx): void {
  const P = '/networks';
  const named = (n: MarathonNetworkJson): boolean => (n.name ?? '').length > 0;
  if (networks.some((n) => n.mode === 'host' && (named(n) || Object.keys(n.labels ?? {}).length > 0))) {
    ctx.add(P, 'Host networks may not have names or labels', 'Remove name and labels from the host network.');
  }
  if (networks.some((n) => n.mode === 'container/bridge' && named(n))) {
    ctx.add(P, 'Bridge networks may not have names', 'Remove the name from the container/bridge network.');
  }
  const unnamed = networks.filter((n) => n.name === undefined && n.mode === 'container').length;
  const names = networks.flatMap((n) => (n.name === undefined ? [] : [n.name]));
  if (unnamed >= 2 || !allDistinct(names)) {
    ctx.add(P, 'Duplicate networks are not allowed', 'List every network only once (at most one unnamed container network).');
  }
  const count = (mode: string): number => networks.filter((n) => n.mode === mode).length;
  const [host, bridge, container] = [count('host'), count('container/bridge'), count('container')];
  const ok =
    (host <= 1 && bridge === 0 && container === 0) ||
    (host === 0 && bridge <= 1 && container === 0) ||
    (host === 0 && bridge === 0 && container > 0);
  if (!ok) {
    ctx.add(
      P,
      'May specify a single host network, single bridge network, or else 1-to-n container networks',
      'Use one host network, or one container/bridge network, or one or more container networks.',
    );
  }
}

/** `validateCanonicalAppAPI` networking checks on the translated app; returns health-check port info. */
export function checkNetworking15(app: MarathonAppJson, m: Migrated15, ctx: Ctx): HealthPorts {
  checkNetworkList(m.networks, ctx);
  if (m.networks.some((n) => n.mode === 'container' && n.name === undefined) && ctx.defaultNetworkName === undefined) {
    ctx.add('/', NETWORK_NAME_MUST_BE_SPECIFIED, 'Name the container network, or start Marathon with --default_network_name.');
  }
  if (containerType(m.container) === 'DOCKER' && m.networks.filter((n) => n.mode === 'container').length > 1) {
    ctx.add('/', DOCKER_SINGLE_NETWORK, 'Use container.type MESOS for several container networks, or join only one.');
  }
  const pms = m.container?.portMappings;
  if (!m.legacy && m.networks.some((n) => n.mode === 'host') && nonEmpty(pms)) {
    ctx.add('/', 'portMappings are not allowed with host-networking', 'With host networking declare ports in "portDefinitions" instead of container.portMappings.');
  }
  if (!m.legacy && m.networks.some((n) => n.mode !== 'host') && nonEmpty(m.declaredPortDefinitions)) {
    ctx.add('/', 'portDefinitions are only allowed with host-networking', 'With container or bridge networking declare ports in container.portMappings.');
  }
  if (pms !== undefined) checkPortMappings15(pms, m.networks, ctx);
  if (m.portDefinitions !== undefined && (app.portDefinitions !== undefined || app.ports !== undefined)) {
    checkPortDefinitions15(m.portDefinitions, ctx);
  }
  return {
    portCount: pms !== undefined ? pms.length : (m.portDefinitions ?? []).length,
    addsDefaultPortIndex: nonEmpty(app.portDefinitions) || nonEmpty(pms),
  };
}
