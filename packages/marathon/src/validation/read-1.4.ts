/**
 * Marathon 1.4 read stage (`api/v2/json/Formats.scala` at 1.4): Play-JSON types plus the checks
 * the 1.4 readers perform themselves (constraint syntax, discovery ports, unique `ports`,
 * non-empty `acceptedResourceRoles`, and the root-level "You cannot specify both ..." filters).
 */
import { Ctx, allDistinct, isObject } from './context.js';
import { isRootId } from './ids.js';
import {
  type ReadSpec,
  any,
  arr,
  bool,
  custom,
  dbl,
  enum14,
  envValue,
  int,
  long,
  map,
  obj,
  readValue,
  str,
} from './read.js';

/** Operators in `Protos.Constraint.Operator` declaration order (rendered in the 1.4 error text). */
const PROTO_OPERATORS = ['UNIQUE', 'LIKE', 'CLUSTER', 'GROUP_BY', 'UNLIKE', 'MAX_PER'] as const;

/** 1.4 PortAssignment.PortNamePattern. */
export const PORT_NAME_PATTERN_14 = '^[a-z0-9-]+$';

const EXECUTOR_PATTERN = '^(//cmd)|(/?[^/]+(/[^/]+)*)|$';

const constraint14 = custom((value, path, ctx) => {
  const ok = Array.isArray(value) && value.length >= 2 && value.length <= 3 && value.every((v) => typeof v === 'string');
  if (!ok) {
    ctx.read(
      path,
      'Constraint definition must be an array of strings in format: <key>, <operator>[, value]',
      'Write the constraint as ["<field>", "<OPERATOR>"] or ["<field>", "<OPERATOR>", "<value>"].',
    );
    return;
  }
  if (!(PROTO_OPERATORS as readonly string[]).includes(value[1] as string)) {
    ctx.read(
      path,
      `Constraint operator must be one of the following: [${PROTO_OPERATORS.join(', ')}]`,
      'Use one of the upper-case operators UNIQUE, LIKE, CLUSTER, GROUP_BY, UNLIKE or MAX_PER.',
    );
  }
});

const discoveryPort14 = obj({
  'number!': int(),
  'name!': custom((value, path, ctx) => {
    if (typeof value !== 'string') return readValue(value, str(), path, ctx);
    if (!new RegExp(PORT_NAME_PATTERN_14).test(value)) {
      ctx.read(
        path,
        `Port name must fully match regular expression ${PORT_NAME_PATTERN_14}`,
        'Use lowercase letters, digits and dashes only in discovery port names.',
      );
    }
  }),
  'protocol!': custom((value, path, ctx) => {
    if (typeof value !== 'string') return readValue(value, str(), path, ctx);
    if (value !== 'tcp' && value !== 'udp') {
      ctx.read(path, "Invalid protocol. Only 'udp' or 'tcp' are allowed.", 'Set the discovery port protocol to "tcp" or "udp".');
    }
  }),
  labels: map(str()),
});

const discoveryPorts14 = custom((value, path, ctx) => {
  const before = ctx.issues.length;
  readValue(value, arr(discoveryPort14), path, ctx);
  if (ctx.issues.length > before || !Array.isArray(value)) return;
  const ports = value as { number: number; name: string; protocol: string }[];
  // Play `filter` chain: only the first failing filter reports.
  if (!allDistinct(ports.map((p) => p.name))) {
    ctx.read(path, 'Port names are not unique.', 'Give every discovery port a distinct name.');
  } else if (!allDistinct(ports.map((p) => `${p.number}/${p.protocol}`))) {
    ctx.read(
      path,
      'There may be only one port with a particular port number/protocol combination.',
      'Remove the duplicate discovery port or change its number or protocol.',
    );
  }
});

const portMapping14 = obj({
  containerPort: int(),
  hostPort: int(),
  servicePort: int(),
  protocol: str(),
  name: str(),
  labels: map(str()),
});

const healthCheck14 = obj({
  path: str(),
  protocol: enum14(['HTTP', 'TCP', 'COMMAND', 'HTTPS', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'], 'protocol'),
  portIndex: int(),
  command: obj({ 'value!': str() }),
  gracePeriodSeconds: long(),
  intervalSeconds: long(),
  timeoutSeconds: long(),
  maxConsecutiveFailures: int(),
  ignoreHttp1xx: bool,
  port: int(),
  delaySeconds: long(),
});

const container14 = obj({
  type: enum14(['MESOS', 'DOCKER'], 'container type'),
  volumes: arr(
    obj({
      'containerPath!': str(),
      hostPath: str(),
      'mode!': enum14(['RO', 'RW'], 'mode'),
      persistent: any,
      external: any,
    }),
  ),
  docker: obj({
    'image!': str(),
    network: enum14(['BRIDGE', 'HOST', 'NONE', 'USER'], 'network type'),
    portMappings: arr(portMapping14),
    privileged: bool,
    parameters: arr(obj({ 'key!': str(), 'value!': str() })),
    credential: obj({ 'principal!': str(), secret: str() }),
    forcePullImage: bool,
  }),
  appc: obj({ 'image!': str(), id: str(), labels: map(str()), forcePullImage: bool }),
});

const unreachable14 = custom((value, path, ctx) => {
  if (typeof value === 'string') {
    if (value !== 'disabled') ctx.read(path, 'error.expected.jsstring', 'Use "disabled" or an object with inactiveAfterSeconds/expungeAfterSeconds.');
    return;
  }
  readValue(value, obj({ inactiveAfterSeconds: long(), expungeAfterSeconds: long() }), path, ctx);
});

/** Reader for a whole 1.4 app definition. */
export const APP_SPEC_14: ReadSpec = obj({
  'id!': custom((value, path, ctx) => {
    readValue(value, str({ minLength: 1 }), path, ctx);
    if (typeof value === 'string' && value.length > 0 && isRootId(value)) {
      ctx.read(path, 'Path must contain at least one path element', 'Give the app a name below the root group, e.g. "/my-app".');
    }
  }),
  cmd: str({ minLength: 1 }),
  args: arr(str()),
  user: str(),
  env: map(envValue),
  instances: int(),
  cpus: dbl(),
  mem: dbl(),
  disk: dbl(),
  gpus: int(),
  executor: str({ pattern: EXECUTOR_PATTERN }),
  constraints: arr(constraint14),
  storeUrls: arr(str()),
  requirePorts: bool,
  backoffSeconds: long(),
  backoffFactor: dbl(),
  maxLaunchDelaySeconds: long(),
  container: container14,
  healthChecks: arr(healthCheck14),
  readinessChecks: arr(
    obj({
      name: str(),
      protocol: custom((value, path, ctx) => {
        if (value !== 'HTTP' && value !== 'HTTPS') ctx.read(path, 'Choose one of HTTP, HTTPS', 'Use "HTTP" or "HTTPS".');
      }),
      path: str(),
      portName: str(),
      intervalSeconds: long(),
      timeoutSeconds: long(),
      httpStatusCodesForReady: arr(int()),
      preserveLastResponse: bool,
    }),
  ),
  uris: arr(str()),
  fetch: arr(obj({ 'uri!': str(), extract: bool, executable: bool, cache: bool, destPath: str() })),
  dependencies: arr(str({ minLength: 1 })),
  ports: custom((value, path, ctx) => {
    const before = ctx.issues.length;
    readValue(value, arr(int()), path, ctx);
    if (ctx.issues.length > before) return;
    const nonRandom = (value as number[]).filter((p) => p !== 0);
    if (!allDistinct(nonRandom)) ctx.read(path, 'Ports must be unique.', 'Remove duplicate non-zero ports (0 means "any port").');
  }),
  upgradeStrategy: obj({ minimumHealthCapacity: dbl(), maximumOverCapacity: dbl() }),
  labels: map(str()),
  acceptedResourceRoles: custom((value, path, ctx) => {
    const before = ctx.issues.length;
    readValue(value, arr(str()), path, ctx);
    if (ctx.issues.length === before && (value as unknown[]).length === 0) {
      ctx.read(path, 'set must not be empty', 'Omit acceptedResourceRoles or list at least one role, e.g. ["*"].');
    }
  }),
  ipAddress: obj({
    groups: arr(str()),
    labels: map(str()),
    discovery: obj({ 'ports!': discoveryPorts14 }),
    networkName: str(),
  }),
  version: str(),
  residency: obj({ relaunchEscalationTimeoutSeconds: long(), taskLostBehavior: str() }),
  portDefinitions: arr(obj({ port: int(), protocol: str(), name: str(), labels: map(str()) })),
  secrets: map(obj({ 'source!': str() })),
  taskKillGracePeriodSeconds: long(),
  killSelection: custom((value, path, ctx) => {
    if (value !== 'YOUNGEST_FIRST' && value !== 'OLDEST_FIRST') {
      ctx.read(path, 'error.expected.jsstring', 'Use "YOUNGEST_FIRST" or "OLDEST_FIRST".');
    }
  }),
  unreachableStrategy: unreachable14,
});

const ROOT_FIX = {
  urisFetch: 'Move every entry of "uris" into "fetch" as {"uri": ...} and drop "uris".',
  ipPorts: 'With "ipAddress" declare ports in ipAddress.discovery.ports (UCR) or docker portMappings, not in ports/portDefinitions.',
  portsDefs: 'Use only "portDefinitions"; drop the legacy "ports" field.',
};

/**
 * Root-level filters of the 1.4 app reader. Play stops at the first failing filter, so at most one
 * issue is recorded. Path "/" stands for Play's root JsPath (rendered as "" in the HTTP body).
 */
export function readRootFilters14(app: Record<string, unknown>, ctx: Ctx): void {
  const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;
  const uris = app['uris'];
  const fetch = app['fetch'];
  const ports = app['ports'];
  const portDefinitions = app['portDefinitions'];
  if (nonEmpty(uris) && nonEmpty(fetch)) {
    ctx.read('/', 'You cannot specify both uris and fetch fields', ROOT_FIX.urisFetch);
    return;
  }
  if (isObject(app['ipAddress']) && (nonEmpty(ports) || nonEmpty(portDefinitions))) {
    ctx.read('/', 'You cannot specify both an IP address and ports', ROOT_FIX.ipPorts);
    return;
  }
  if (Array.isArray(ports) && Array.isArray(portDefinitions)) {
    const defs = (portDefinitions as Record<string, unknown>[]).map((d) => (typeof d['port'] === 'number' ? d['port'] : 0));
    const same = defs.length === ports.length && defs.every((p, i) => p === ports[i]);
    if (!same) ctx.read('/', 'You cannot specify both ports and port definitions', ROOT_FIX.portsDefs);
  }
}

/** Runs the 1.4 read stage. */
export function read14(app: unknown, ctx: Ctx): void {
  readValue(app, APP_SPEC_14, '/', ctx);
  if (ctx.issues.length === 0 && isObject(app)) readRootFilters14(app, ctx);
}
