/**
 * Normalisation of app definitions into the response shape of a Marathon version:
 * legacy fields converted (`uris` → `fetch`, `ports` → `portDefinitions`), 1.4 networking
 * translated in 1.5, and defaults filled (marathon.md section 1, "Defaults").
 */
import { MARATHON_DEFAULTS } from '@dcos-cdk/marathon';
import { arrayAt, cloneJson, isJsonObject, objectAt, stringAt } from './json.js';
import { translateAppTo15 } from './translate-1.4-to-1.5.js';
import type { JsonObject, JsonValue, MarathonVersion } from './types.js';

const D = MARATHON_DEFAULTS;

/** Mutable JSON copy of a (frozen) `MARATHON_DEFAULTS` entry. */
function copyOf<T extends JsonValue = JsonObject>(value: unknown): T {
  return structuredClone(value) as T;
}

/** Scalar defaults shared by 1.4 and 1.5. */
const SCALAR_KEYS = ['instances', 'cpus', 'mem', 'disk', 'gpus', 'executor', 'requirePorts', 'killSelection'] as const;
const BACKOFF_KEYS = ['backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds'] as const;
const SCALAR_DEFAULTS = copyOf(Object.fromEntries([...SCALAR_KEYS, ...BACKOFF_KEYS].map((k) => [k, D[k]])));

/** Collection fields that are always rendered, empty when absent. */
const COLLECTION_DEFAULTS: JsonObject = {
  constraints: [],
  dependencies: [],
  env: {},
  labels: {},
  fetch: [],
  healthChecks: [],
  readinessChecks: [],
  secrets: {},
};

const ARCHIVE = /\.(tgz|tar\.gz|tbz2|tar\.bz2|txz|tar\.xz|zip)$/i;

/** Health check defaults; `protocol` and `ignoreHttp1xx` are applied separately. */
const { protocol: HEALTH_PROTOCOL, ignoreHttp1xx: IGNORE_HTTP1XX, ...HEALTH_TIMINGS } = D.healthCheck;
const HEALTH_DEFAULTS: JsonObject = copyOf(HEALTH_TIMINGS);

function fillDefaults(target: JsonObject, defaults: JsonObject): void {
  for (const [k, v] of Object.entries(defaults)) if (target[k] === undefined) target[k] = cloneJson(v);
}

function normalizeFetch(app: JsonObject): void {
  const uris = arrayAt(app, 'uris');
  if (uris && app.fetch === undefined) {
    app.fetch = uris.filter((u): u is string => typeof u === 'string').map((uri) => ({ uri, extract: ARCHIVE.test(uri) }));
  }
  delete app.uris;
  const fetch = arrayAt(app, 'fetch');
  if (fetch) {
    app.fetch = fetch.map((f) => {
      if (!isJsonObject(f)) return f;
      const copy = cloneJson(f);
      fillDefaults(copy, copyOf(D.fetch));
      return copy;
    });
  }
}

function normalizeHealthChecks(app: JsonObject): void {
  const checks = arrayAt(app, 'healthChecks');
  if (!checks) return;
  app.healthChecks = checks.map((hc) => {
    if (!isJsonObject(hc)) return hc;
    const copy = cloneJson(hc);
    copy.protocol ??= HEALTH_PROTOCOL;
    fillDefaults(copy, HEALTH_DEFAULTS);
    const protocol = String(copy.protocol);
    if (protocol !== 'COMMAND' && copy.port === undefined && copy.portIndex === undefined) copy.portIndex = 0;
    if (protocol === 'HTTP' || protocol === 'HTTPS') copy.ignoreHttp1xx ??= IGNORE_HTTP1XX;
    return copy;
  });
}

function normalizeContainer(app: JsonObject): void {
  const container = objectAt(app, 'container');
  if (!container) return;
  container.type ??= D.containerType;
  container.volumes ??= [];
  const docker = objectAt(container, 'docker');
  if (docker && container.type === 'DOCKER') {
    fillDefaults(docker, { forcePullImage: false, privileged: false, parameters: [] });
  }
}

function normalizePortMappings(list: JsonValue[], withHostPort: boolean): JsonValue[] {
  return list.map((m) => {
    if (!isJsonObject(m)) return m;
    const copy = cloneJson(m);
    fillDefaults(copy, copyOf(D.portMapping));
    if (withHostPort) copy.hostPort ??= 0;
    return copy;
  });
}

function normalizePortDefinitions(app: JsonObject, dflt: JsonValue[]): void {
  const ports = arrayAt(app, 'ports');
  if (ports && app.portDefinitions === undefined) {
    app.portDefinitions = ports.map((port) => ({ port, protocol: 'tcp' }));
  }
  delete app.ports;
  const defs = arrayAt(app, 'portDefinitions');
  app.portDefinitions = defs
    ? defs.map((d) => {
        if (!isJsonObject(d)) return d;
        const copy = cloneJson(d);
        copy.port ??= 0;
        copy.protocol ??= 'tcp';
        return copy;
      })
    : cloneJson(dflt);
}

/** 1.5 networking: default `networks`, unnamed container networks get `--default_network_name`. */
function networkingFor15(app: JsonObject, defaultNetworkName: string | undefined): void {
  const named = (n: JsonValue): JsonValue =>
    isJsonObject(n) && n.mode === 'container' && n.name === undefined && defaultNetworkName !== undefined ? { ...n, name: defaultNetworkName } : n;
  const networks = (arrayAt(app, 'networks') ?? copyOf<JsonValue[]>(D.networks)).map(named);
  app.networks = networks;
  const hostMode = networks.some((n) => isJsonObject(n) && n.mode === 'host');
  const bridgeMode = networks.some((n) => isJsonObject(n) && n.mode === 'container/bridge');
  const container = objectAt(app, 'container');
  if (hostMode) {
    normalizePortDefinitions(app, copyOf<JsonValue[]>(D.portDefinitions));
  } else {
    normalizePortDefinitions(app, []);
    app.requirePorts = false;
    if (container && container.portMappings === undefined) container.portMappings = copyOf<JsonValue[]>(D.portMappings);
  }
  const mappings = container ? arrayAt(container, 'portMappings') : undefined;
  if (container && mappings) container.portMappings = normalizePortMappings(mappings, bridgeMode);
}

function networkingFor14(app: JsonObject): void {
  const docker = objectAt(objectAt(app, 'container') ?? {}, 'docker');
  const network = docker ? stringAt(docker, 'network') : undefined;
  const hostLike = app.ipAddress === undefined && (network === undefined || network === 'HOST');
  normalizePortDefinitions(app, hostLike ? [{ port: 0, protocol: 'tcp', labels: {} }] : []);
  const mappings = docker ? arrayAt(docker, 'portMappings') : undefined;
  if (docker && mappings) docker.portMappings = normalizePortMappings(mappings, network === 'BRIDGE');
}

/** Options of {@link normalizeApp}. */
export interface NormalizeOptions {
  /** Marathon `--default_network_name`. */
  defaultNetworkName?: string;
}

/**
 * Normalise an app definition (already carrying its canonical `id`) into the response shape of
 * `version`, without `version`/`versionInfo` (those are assigned when the change is committed).
 */
export function normalizeApp(input: JsonObject, version: MarathonVersion, options: NormalizeOptions = {}): JsonObject {
  let app = cloneJson(input);
  delete app.version;
  delete app.versionInfo;
  for (const k of ['tasks', 'deployments', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'lastTaskFailure']) {
    delete app[k];
  }
  if (version === '1.5') {
    const translateOptions = options.defaultNetworkName === undefined ? {} : { defaultNetworkName: options.defaultNetworkName };
    app = translateAppTo15(app, translateOptions);
  }
  normalizeFetch(app);
  normalizeContainer(app);
  if (version === '1.5') networkingFor15(app, options.defaultNetworkName);
  else networkingFor14(app);
  normalizeHealthChecks(app);
  fillDefaults(app, SCALAR_DEFAULTS);
  const upgrade = objectAt(app, 'upgradeStrategy') ?? {};
  fillDefaults(upgrade, copyOf(D.upgradeStrategy));
  app.upgradeStrategy = upgrade;
  fillDefaults(app, COLLECTION_DEFAULTS);
  return app;
}

/**
 * Apply a partial update (Marathon `AppUpdate` semantics: given top-level fields replace the
 * current ones). In 1.5, switching to 1.4 networking fields drops the stored `networks`, and
 * stored `portDefinitions` are dropped when the networking mode changes.
 */
export function mergeAppUpdate(current: JsonObject, update: JsonObject): JsonObject {
  const merged = cloneJson(current);
  for (const [k, v] of Object.entries(update)) merged[k] = cloneJson(v);
  if (update.ports !== undefined && update.portDefinitions === undefined) delete merged.portDefinitions;
  if (update.uris !== undefined && update.fetch === undefined) delete merged.fetch;
  const container = objectAt(update, 'container');
  const docker = container ? objectAt(container, 'docker') : undefined;
  const new14 = update.ipAddress !== undefined || docker?.network !== undefined;
  if (new14 && update.networks === undefined) delete merged.networks;
  const networkingChanged = new14 || update.networks !== undefined;
  if (networkingChanged && update.portDefinitions === undefined && update.ports === undefined) {
    delete merged.portDefinitions;
  }
  return merged;
}
