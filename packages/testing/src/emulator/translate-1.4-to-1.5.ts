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
import { translateTo15, type MarathonAppJson } from '@dcos-cdk/marathon';
import { cloneJson, objectAt } from './json.js';
import type { JsonObject } from './types.js';

/** Settings that influence the translation. */
export interface TranslateOptions {
  /** Marathon `--default_network_name`, used when a container network has no name. */
  defaultNetworkName?: string;
  /** Marathon `--mesos_bridge_name`; default `mesos-bridge`. */
  mesosBridgeName?: string;
}

/**
 * Translate one app definition (input is not modified). Apps already in 1.5 shape pass through.
 * The translation is the library's own (`translateTo15`, shared with validation and import), so
 * the emulator stores exactly what the validator checked.
 */
export function translateAppTo15(app: JsonObject, options: TranslateOptions = {}): JsonObject {
  return translateTo15(cloneJson(app) as unknown as MarathonAppJson, options) as unknown as JsonObject;
}

/** True when the definition uses any 1.4-only networking field. */
export function uses14Networking(app: JsonObject): boolean {
  const container = objectAt(app, 'container');
  const docker = container ? objectAt(container, 'docker') : undefined;
  return app.ipAddress !== undefined || docker?.network !== undefined || docker?.portMappings !== undefined;
}
