/**
 * Translation of Marathon 1.4 networking input into the 1.5 shape, as Marathon 1.5 does on
 * read (marathon.md section 1, "1.4 input is still accepted and translated"):
 *
 * - `container.docker.network` HOST / BRIDGE / USER → `networks` host / container/bridge / container
 * - `ipAddress.networkName` → `networks: [{mode: container, name}]` (`mesos-bridge` → container/bridge)
 * - `container.docker.portMappings` → `container.portMappings` (BRIDGE: missing hostPort → 0)
 * - `ipAddress.discovery.ports` → `container.portMappings` (MESOS containers)
 *
 * `ipAddress` and `docker.network` never appear in the result.
 */
import { MARATHON_DEFAULTS } from '@dcos-cdk/marathon';
import { cloneJson, compact, isJsonObject, objectAt, stringAt } from './json.js';
import type { JsonObject, JsonValue } from './types.js';

/** Settings that influence the translation. */
export interface TranslateOptions {
  /** Marathon `--default_network_name`, used when a container network has no name. */
  defaultNetworkName?: string;
  /** Marathon `--mesos_bridge_name`; default `mesos-bridge`. */
  mesosBridgeName?: string;
}

function containerNetwork(name: string | undefined, labels: JsonValue | undefined, bridge: string): JsonObject {
  if (name === bridge) return compact({ mode: 'container/bridge', labels });
  return compact({ mode: 'container', name, labels });
}

/** Translate one app definition (input is not modified). Apps already in 1.5 shape pass through. */
export function translateAppTo15(app: JsonObject, options: TranslateOptions = {}): JsonObject {
  const out = cloneJson(app);
  const bridge = options.mesosBridgeName ?? MARATHON_DEFAULTS.mesosBridgeName;
  const ipAddress = objectAt(out, 'ipAddress');
  const container = objectAt(out, 'container');
  const docker = container ? objectAt(container, 'docker') : undefined;
  const dockerNetwork = docker ? stringAt(docker, 'network') : undefined;
  const networkName = ipAddress ? (stringAt(ipAddress, 'networkName') ?? options.defaultNetworkName) : options.defaultNetworkName;
  const ipLabels = ipAddress && isJsonObject(ipAddress.labels) && Object.keys(ipAddress.labels).length > 0 ? ipAddress.labels : undefined;

  if (out.networks === undefined) {
    if (dockerNetwork === 'HOST') out.networks = [{ mode: 'host' }];
    else if (dockerNetwork === 'BRIDGE') out.networks = [{ mode: 'container/bridge' }];
    else if (dockerNetwork === 'USER') out.networks = [containerNetwork(networkName, ipLabels, bridge)];
    else if (ipAddress) out.networks = [containerNetwork(networkName, ipLabels, bridge)];
  }
  const bridged = dockerNetwork === 'BRIDGE';

  if (docker) {
    delete docker.network;
    const mappings = docker.portMappings;
    delete docker.portMappings;
    if (Array.isArray(mappings) && container && container.portMappings === undefined) {
      container.portMappings = mappings.map((m) => {
        if (!isJsonObject(m)) return m;
        const copy = cloneJson(m);
        if (bridged && copy.hostPort === undefined) copy.hostPort = 0;
        return copy;
      });
    }
  }

  const discovery = ipAddress ? objectAt(ipAddress, 'discovery') : undefined;
  const ports = discovery?.ports;
  const isMesos = !container || container.type === 'MESOS';
  if (Array.isArray(ports) && ports.length > 0 && isMesos) {
    const target: JsonObject = container ?? { type: 'MESOS' };
    if (target.portMappings === undefined) {
      target.portMappings = ports.map((p) =>
        isJsonObject(p)
          ? compact({ containerPort: p.number, name: p.name, protocol: p.protocol ?? 'tcp', labels: p.labels })
          : p,
      );
    }
    out.container = target;
  }
  delete out.ipAddress;
  return out;
}

/** True when the definition uses any 1.4-only networking field. */
export function uses14Networking(app: JsonObject): boolean {
  const container = objectAt(app, 'container');
  const docker = container ? objectAt(container, 'docker') : undefined;
  return app.ipAddress !== undefined || docker?.network !== undefined || docker?.portMappings !== undefined;
}
