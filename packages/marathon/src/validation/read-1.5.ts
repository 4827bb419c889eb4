/**
 * Marathon 1.5 read stage: the Play readers generated from the 1.5 RAML types (`types/*.raml`).
 * Besides JSON types they enforce RAML constraints, reported with Play's keys "error.min",
 * "error.max", "error.minLength", "error.maxLength" and "error.pattern". Enum literals are matched
 * case-insensitively and an unknown literal is reported as "error.expected.jsstring".
 */
import { Ctx } from './context.js';
import {
  type ReadSpec,
  any,
  arr,
  bool,
  custom,
  dbl,
  enum15,
  envValue,
  int,
  long,
  map,
  obj,
  readValue,
  str,
} from './read.js';

/** RAML `strings.PathId` pattern (1.5). */
export const PATH_ID_PATTERN_15 =
  '^(\\/?((\\.\\.)|(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9]))?($|\\/))+$';
/** RAML `strings.LegacyName` (port names). */
export const LEGACY_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RAML `strings.Name` (networkNames entries). */
export const NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RAML `strings.NetworkName` (networks[].name). */
export const NETWORK_NAME_PATTERN = '^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$';
const EXECUTOR_PATTERN = '^(//cmd)|(/?[^/]+(/[^/]+)*)|$';

const anyPort = int(0, 65535);
const protocol = enum15(['tcp', 'udp', 'udp,tcp']);
const labels = map(str());
const pathId = str({ minLength: 1, pattern: PATH_ID_PATTERN_15 });

const portMapping = obj({
  containerPort: anyPort,
  hostPort: anyPort,
  labels,
  name: str({ pattern: LEGACY_NAME_PATTERN }),
  protocol,
  servicePort: anyPort,
  networkNames: arr(str({ maxLength: 63, minLength: 1, pattern: NAME_PATTERN })),
});

const container = obj({
  type: enum15(['MESOS', 'DOCKER']),
  docker: obj({
    credential: obj({ 'principal!': str(), secret: str() }),
    pullConfig: obj({ 'secret!': str({ minLength: 1 }) }),
    forcePullImage: bool,
    'image!': str({ minLength: 1 }),
    network: enum15(['BRIDGE', 'HOST', 'NONE', 'USER']),
    parameters: arr(obj({ 'key!': str({ minLength: 1 }), 'value!': str() })),
    portMappings: arr(portMapping),
    privileged: bool,
  }),
  appc: obj({ 'image!': str({ minLength: 1 }), id: str({ minLength: 7 }), labels, forcePullImage: bool }),
  volumes: arr(any),
  portMappings: arr(portMapping),
});

const healthCheck = obj({
  command: obj({ 'value!': str() }),
  gracePeriodSeconds: int(0),
  ignoreHttp1xx: bool,
  intervalSeconds: int(0),
  maxConsecutiveFailures: int(0),
  path: str(),
  port: anyPort,
  portIndex: anyPort,
  protocol: enum15(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_TCP', 'MESOS_HTTP', 'MESOS_HTTPS']),
  timeoutSeconds: int(),
  delaySeconds: int(0),
});

const readinessCheck = obj({
  name: str({ minLength: 1 }),
  protocol: enum15(['HTTP', 'HTTPS']),
  path: str({ minLength: 1, maxLength: 1024 }),
  portName: str({ pattern: LEGACY_NAME_PATTERN }),
  intervalSeconds: int(0),
  timeoutSeconds: int(1),
  httpStatusCodesForReady: arr(int(100, 999), 1),
  preserveLastResponse: bool,
});

const unreachable = custom((value, path, ctx) => {
  if (typeof value === 'string') {
    if (value.toLowerCase() !== 'disabled') {
      ctx.read(path, 'error.expected.jsstring', 'Use "disabled" or an object with inactiveAfterSeconds/expungeAfterSeconds.');
    }
    return;
  }
  readValue(value, obj({ inactiveAfterSeconds: long(0), expungeAfterSeconds: long(0) }), path, ctx);
});

/** Reader for a whole 1.5 app definition (`types/app.raml` App). */
export const APP_SPEC_15: ReadSpec = obj({
  'id!': pathId,
  acceptedResourceRoles: arr(str()),
  args: arr(str()),
  backoffFactor: dbl(1.0),
  backoffSeconds: int(0),
  cmd: str({ minLength: 1 }),
  constraints: arr(arr(str(), 2, 3)),
  container,
  cpus: dbl(0.001),
  dependencies: arr(pathId),
  disk: dbl(0),
  env: map(envValue),
  executor: str({ pattern: EXECUTOR_PATTERN }),
  fetch: arr(
    obj({
      'uri!': str({ minLength: 1, maxLength: 1024 }),
      extract: bool,
      executable: bool,
      cache: bool,
      destPath: str({ minLength: 1, maxLength: 1024 }),
    }),
  ),
  healthChecks: arr(healthCheck),
  instances: int(0),
  labels,
  maxLaunchDelaySeconds: int(0),
  mem: dbl(0),
  gpus: int(0),
  ipAddress: obj({
    discovery: obj({
      ports: arr(obj({ number: anyPort, 'name!': str({ pattern: LEGACY_NAME_PATTERN }), protocol, labels })),
    }),
    groups: arr(str()),
    labels,
    networkName: str({ minLength: 1 }),
  }),
  networks: arr(
    obj({
      name: str({ maxLength: 63, minLength: 1, pattern: NETWORK_NAME_PATTERN }),
      mode: enum15(['container', 'container/bridge', 'host']),
      labels,
    }),
  ),
  ports: arr(anyPort),
  portDefinitions: arr(obj({ port: anyPort, labels, name: str({ pattern: LEGACY_NAME_PATTERN }), protocol })),
  readinessChecks: arr(readinessCheck),
  residency: obj({
    relaunchEscalationTimeoutSeconds: long(0),
    taskLostBehavior: enum15(['WAIT_FOREVER', 'RELAUNCH_AFTER_TIMEOUT']),
  }),
  requirePorts: bool,
  secrets: map(obj({ 'source!': str({ minLength: 1 }) })),
  taskKillGracePeriodSeconds: int(0),
  upgradeStrategy: obj({ maximumOverCapacity: dbl(0, 1), minimumHealthCapacity: dbl(0, 1) }),
  uris: arr(str({ minLength: 1, maxLength: 1024 })),
  user: str(),
  version: str(),
  versionInfo: any,
  killSelection: enum15(['YOUNGEST_FIRST', 'OLDEST_FIRST']),
  unreachableStrategy: unreachable,
  tty: bool,
});

/** Runs the 1.5 read stage. */
export function read15(app: unknown, ctx: Ctx): void {
  readValue(app, APP_SPEC_15, '/', ctx);
}
