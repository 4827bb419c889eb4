/**
 * Normalisation of Marathon app definitions for comparison, so that an app
 * Marathon returns (defaults filled, service ports assigned, response-only
 * fields, 1.5 shape) equals the definition in the bundle (1.4 or 1.5 shape,
 * defaults left out) when nothing changed. Both sides are brought into one
 * canonical shape (1.5 networking, legacy fields converted, response-only
 * fields dropped); values present on one side only are ignored when they
 * are Marathon's defaults (marathon.md §1 "Defaults").
 */
import { diffJson, isEmptyJson, isPlainObject, jsonEqual } from '@dcos-cdk/core';
import type { FieldChange } from '@dcos-cdk/core';

type Json = Record<string, unknown>;

/** Fields Marathon adds to responses that are not part of the definition. */
export const RESPONSE_ONLY_FIELDS: readonly string[] = [
  'version',
  'versionInfo',
  'tasks',
  'deployments',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'lastTaskFailure',
  'readinessCheckResults',
  'taskStats',
  'taskCounts',
];

const ARCHIVE = /\.(tgz|tar\.gz|tbz2|tar\.bz2|txz|tar\.xz|zip)$/i;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function obj(v: unknown): Json | undefined {
  return isPlainObject(v) ? v : undefined;
}

function compact(o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** 1.4 networking (`ipAddress`, `docker.network`, `docker.portMappings`) → 1.5 (`networks`, `container.portMappings`). */
function translateNetworking(app: Json): void {
  const ip = obj(app.ipAddress);
  const container = obj(app.container);
  const docker = container ? obj(container.docker) : undefined;
  const dockerNet = typeof docker?.network === 'string' ? docker.network : undefined;
  const netName = typeof ip?.networkName === 'string' ? ip.networkName : undefined;
  const ipLabels = ip && isPlainObject(ip.labels) && Object.keys(ip.labels).length > 0 ? ip.labels : undefined;
  const containerNet = (): Json => (netName === 'mesos-bridge' ? compact({ mode: 'container/bridge', labels: ipLabels }) : compact({ mode: 'container', name: netName, labels: ipLabels }));
  if (app.networks === undefined) {
    if (dockerNet === 'HOST') app.networks = [{ mode: 'host' }];
    else if (dockerNet === 'BRIDGE') app.networks = [{ mode: 'container/bridge' }];
    else if (dockerNet === 'USER' || ip) app.networks = [containerNet()];
  }
  if (docker) {
    const mappings = docker.portMappings;
    delete docker.network;
    delete docker.portMappings;
    if (Array.isArray(mappings) && container && container.portMappings === undefined) {
      container.portMappings = mappings.map((m) => (isPlainObject(m) && dockerNet === 'BRIDGE' && m.hostPort === undefined ? { ...m, hostPort: 0 } : m));
    }
  }
  const discovery = ip ? obj(ip.discovery) : undefined;
  const ports = discovery?.ports;
  if (Array.isArray(ports) && ports.length > 0 && (!container || container.type === 'MESOS')) {
    const target: Json = container ?? { type: 'MESOS' };
    if (target.portMappings === undefined) {
      target.portMappings = ports.map((p) => (isPlainObject(p) ? compact({ containerPort: p.number, name: p.name, protocol: p.protocol ?? 'tcp', labels: p.labels }) : p));
    }
    app.container = target;
  }
  delete app.ipAddress;
}

/**
 * The canonical form of an app definition: response-only fields dropped,
 * `uris` → `fetch`, `ports` → `portDefinitions`, 1.4 networking → 1.5.
 */
export function canonicalApp(input: Readonly<Json>): Json {
  const app = clone(input) as Json;
  for (const k of RESPONSE_ONLY_FIELDS) delete app[k];
  if (Array.isArray(app.uris)) {
    if (app.fetch === undefined || (Array.isArray(app.fetch) && app.fetch.length === 0)) {
      app.fetch = app.uris.filter((u): u is string => typeof u === 'string').map((uri) => ({ uri, extract: ARCHIVE.test(uri) }));
    }
  }
  delete app.uris;
  if (Array.isArray(app.ports) && (app.portDefinitions === undefined || (Array.isArray(app.portDefinitions) && app.portDefinitions.length === 0))) {
    if (app.ports.length > 0) app.portDefinitions = app.ports.map((port) => ({ port, protocol: 'tcp' }));
  }
  delete app.ports;
  if (app.ipAddress === null) delete app.ipAddress;
  translateNetworking(app);
  if (typeof app.id === 'string' && !app.id.startsWith('/')) app.id = `/${app.id}`;
  return app;
}

const TOP_DEFAULTS: Record<string, readonly unknown[]> = {
  instances: [1],
  cpus: [1],
  mem: [128],
  disk: [0],
  gpus: [0],
  executor: [''],
  backoffSeconds: [1],
  backoffFactor: [1.15],
  maxLaunchDelaySeconds: [3600, 300],
  requirePorts: [false],
  killSelection: ['YOUNGEST_FIRST'],
  role: ['*'],
  acceptedResourceRoles: [['*']],
  upgradeStrategy: [{ minimumHealthCapacity: 1, maximumOverCapacity: 1 }],
  'upgradeStrategy.minimumHealthCapacity': [1],
  'upgradeStrategy.maximumOverCapacity': [1],
  unreachableStrategy: [{ inactiveAfterSeconds: 300, expungeAfterSeconds: 600 }, { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }],
  'unreachableStrategy.inactiveAfterSeconds': [300],
  'unreachableStrategy.expungeAfterSeconds': [600],
  networks: [[{ mode: 'host' }]],
  'container.type': ['DOCKER'],
};

const ELEMENT_DEFAULTS: ReadonlyArray<[RegExp, readonly unknown[]]> = [
  [/^healthChecks\[\d+\]\.protocol$/, ['HTTP', 'MESOS_HTTP']],
  [/^healthChecks\[\d+\]\.gracePeriodSeconds$/, [300]],
  [/^healthChecks\[\d+\]\.intervalSeconds$/, [60]],
  [/^healthChecks\[\d+\]\.timeoutSeconds$/, [20]],
  [/^healthChecks\[\d+\]\.maxConsecutiveFailures$/, [3]],
  [/^healthChecks\[\d+\]\.delaySeconds$/, [15]],
  [/^healthChecks\[\d+\]\.portIndex$/, [0]],
  [/^healthChecks\[\d+\]\.path$/, ['/']],
  [/^fetch\[\d+\]\.extract$/, [true]],
  [/^portDefinitions\[\d+\]\.protocol$/, ['tcp']],
  [/^portDefinitions\[\d+\]\.name$/, ['default']],
  [/^container\.portMappings\[\d+\]\.protocol$/, ['tcp']],
  [/^container\.portMappings\[\d+\]\.containerPort$/, [0]],
  [/^container\.portMappings\[\d+\]\.hostPort$/, [0]],
  [/^container\.portMappings\[\d+\]\.name$/, ['default']],
];

/** Keys whose value is assigned by Marathon when left out (or 0): any value counts as the default. */
const ASSIGNED = [/^portDefinitions\[\d+\]\.port$/, /^container\.portMappings\[\d+\]\.servicePort$/, /^networks\[\d+\]\.name$/];

function isDefaultPortList(path: string, value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 1 || !isPlainObject(value[0])) return false;
  const e = value[0];
  if (path === 'portDefinitions') {
    return (e.protocol === undefined || e.protocol === 'tcp') && (e.name === undefined || e.name === 'default') && (e.labels === undefined || isEmptyJson(e.labels));
  }
  if (path === 'container.portMappings') {
    return (
      (e.containerPort === undefined || e.containerPort === 0) &&
      (e.name === undefined || e.name === 'default') &&
      (e.hostPort === undefined || e.hostPort === 0) &&
      (e.labels === undefined || isEmptyJson(e.labels))
    );
  }
  return false;
}

/**
 * True when `value`, present on one side only at `path`, means the same as
 * leaving the field out: empty values, Marathon's defaults, values Marathon
 * assigns (service ports, the default network name).
 */
export function isMarathonDefault(path: string, value: unknown): boolean {
  if (isEmptyJson(value)) return true;
  const top = TOP_DEFAULTS[path];
  if (top?.some((d) => jsonEqual(d, value))) return true;
  if (ELEMENT_DEFAULTS.some(([re, vals]) => re.test(path) && vals.some((d) => jsonEqual(d, value)))) return true;
  if (ASSIGNED.some((re) => re.test(path))) return true;
  return isDefaultPortList(path, value);
}

/** Drops 0 (= "assign one") service ports from the desired side, so assigned ports compare equal. */
function dropAssignedPorts(app: Json): void {
  if (Array.isArray(app.portDefinitions)) {
    for (const p of app.portDefinitions) if (isPlainObject(p) && p.port === 0) delete p.port;
  }
  const container = obj(app.container);
  if (container && Array.isArray(container.portMappings)) {
    for (const m of container.portMappings) if (isPlainObject(m) && m.servicePort === 0) delete m.servicePort;
  }
}

/**
 * Field-level differences between a live app (as Marathon returns it) and a
 * desired definition; empty when Marathon would consider them the same app.
 */
export function compareApps(live: Readonly<Json>, desired: Readonly<Json>): FieldChange[] {
  const before = canonicalApp(live);
  const after = canonicalApp(desired);
  dropAssignedPorts(after);
  return diffJson(before, after, { isDefault: isMarathonDefault });
}

/** Collection fields reset explicitly in an update when the bundle no longer has them (Marathon 1.4 merges PUT bodies). */
const RESETTABLE: Readonly<Record<string, unknown>> = {
  constraints: [],
  healthChecks: [],
  readinessChecks: [],
  dependencies: [],
  env: {},
  fetch: [],
};

/**
 * The body of a full-replace update: the desired definition, plus empty
 * values for collections the live app still has and the bundle dropped (so
 * the update also removes them where `partialUpdate=false` is not known).
 */
export function updateBody(live: Readonly<Json>, desired: Readonly<Json>): Json {
  const body = clone(desired) as Json;
  const canonicalLive = canonicalApp(live);
  for (const [k, empty] of Object.entries(RESETTABLE)) {
    if (body[k] === undefined && canonicalLive[k] !== undefined && !isEmptyJson(canonicalLive[k])) body[k] = clone(empty);
  }
  return body;
}
