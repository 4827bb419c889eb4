/**
 * Construct props as printable expressions: the library's builders for ports,
 * networking, checks, constraints, volumes, rules and selectors, plain data
 * for the rest, keys in a readable order.
 */
import { Selector, type RuleProps, type EntityRule, type ImportedCalicoResource } from '@dcos-cdk/calico';
import { Constraint, HealthCheck, MarathonPort, Networking, Volume, type MarathonAppProps } from '@dcos-cdk/marathon';
import { Call, type Printable } from './print.js';

type Obj = { [key: string]: Printable };

const M = '@dcos-cdk/marathon' as const;
const C = '@dcos-cdk/calico' as const;

/** Converts data that may hold library objects into a printable expression. */
export function printable(v: unknown): Printable {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Selector.isSelector(v)) return new Call('Selector', C, 'parse', [v.toString()]);
  if (v instanceof MarathonPort) return port(v);
  if (v instanceof Networking) return networking(v);
  if (v instanceof HealthCheck) return healthCheck(v);
  if (v instanceof Constraint) return constraint(v);
  if (v instanceof Volume) return volume(v);
  if (Array.isArray(v)) return v.map(printable);
  const out: Obj = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = printable(x);
  return out;
}

/** An options object, or undefined when it has no member (so the argument is left out). */
function options(o: Record<string, unknown>): Printable {
  const p = printable(o) as Obj;
  return Object.keys(p).length > 0 ? p : undefined;
}

function port(p: MarathonPort): Printable {
  const opts = { hostPort: p.hostPort, servicePort: p.servicePort, labels: p.labels, vip: p.vip };
  if (p.name !== undefined) return new Call('MarathonPort', M, p.protocol, [p.name, p.port, options(opts)]);
  return new Call('MarathonPort', M, 'of', [printable({ port: p.port, protocol: p.protocol === 'udp' ? 'udp' : undefined, ...opts })]);
}

function networking(n: Networking): Printable {
  if (n.mode === 'host') return new Call('Networking', M, 'host', [options({ requirePorts: n.requirePorts })]);
  if (n.mode === 'bridge') return new Call('Networking', M, 'bridge', [options({ labels: n.labels })]);
  if (n.networkName === undefined) return new Call('Networking', M, 'container', []);
  return new Call('Networking', M, 'cni', [n.networkName, options({ labels: n.labels })]);
}

const CHECKS: Readonly<Record<string, string>> = { HTTP: 'http', HTTPS: 'https', TCP: 'tcp', MESOS_HTTP: 'mesosHttp', MESOS_HTTPS: 'mesosHttps', MESOS_TCP: 'mesosTcp' };

function healthCheck(h: HealthCheck): Printable {
  if (h.protocol === 'COMMAND') {
    const { command, ...timing } = h.options;
    return new Call('HealthCheck', M, 'command', [command ?? '', options(timing)]);
  }
  return new Call('HealthCheck', M, CHECKS[h.protocol]!, [options({ ...h.options })]);
}

const INT = /^(0|[1-9][0-9]*)$/;

function constraint(c: Constraint): Printable {
  const { field, operator: op, value } = c;
  if (op === 'UNIQUE' && value === undefined) return new Call('Constraint', M, 'unique', [field]);
  if (op === 'GROUP_BY' && value === undefined) return new Call('Constraint', M, 'groupBy', [field]);
  if (value !== undefined) {
    if (op === 'CLUSTER') return new Call('Constraint', M, 'cluster', [field, value]);
    if (op === 'LIKE') return new Call('Constraint', M, 'like', [field, value]);
    if (op === 'UNLIKE') return new Call('Constraint', M, 'unlike', [field, value]);
    if ((op === 'GROUP_BY' || op === 'MAX_PER') && INT.test(value) && Number.isSafeInteger(Number(value))) {
      return new Call('Constraint', M, op === 'GROUP_BY' ? 'groupBy' : 'maxPer', [field, Number(value)]);
    }
  }
  return new Call('Constraint', M, 'of', [field, op, value]);
}

function volume(v: Volume): Printable {
  const j = v.json;
  if (v.kind === 'secret') return new Call('Volume', M, 'secret', [j.containerPath, j.secret!]);
  if (v.kind === 'host') return new Call('Volume', M, 'host', [j.containerPath, j.hostPath!, j.mode === 'RW' ? undefined : j.mode]);
  const p = j.persistent!;
  return new Call('Volume', M, 'persistent', [j.containerPath, printable({ size: p.size, type: p.type, maxSize: p.maxSize, mode: j.mode === 'RW' ? undefined : j.mode })]);
}

const APP_ORDER: ReadonlyArray<keyof MarathonAppProps> = [
  'id', 'image', 'container', 'cmd', 'args', 'user', 'cpus', 'mem', 'disk', 'gpus', 'instances', 'networking', 'ports', 'networkLabels',
  'labels', 'env', 'secrets', 'constraints', 'healthChecks', 'readinessChecks', 'upgradeStrategy', 'backoffSeconds', 'backoffFactor',
  'maxLaunchDelaySeconds', 'fetch', 'killSelection', 'unreachableStrategy', 'taskKillGracePeriodSeconds', 'acceptedResourceRoles',
  'executor', 'residency', 'tty', 'dependsOn',
];

/** The props of a `MarathonApp`, keys in the order of the Marathon guide. */
export function appProps(props: MarathonAppProps): Printable {
  const out: Obj = {};
  for (const k of APP_ORDER) if (props[k] !== undefined) out[k] = printable(props[k]);
  return out;
}

const RULE_BUILDERS: Readonly<Record<string, string>> = { allow: 'allow', deny: 'deny', log: 'log', pass: 'pass' };

function entity(e: EntityRule | undefined): Printable {
  return e === undefined ? undefined : printable(e);
}

function rule(r: RuleProps): Printable {
  const { action, ...rest } = r;
  const criteria = printable({ ...rest, source: undefined, destination: undefined }) as Obj;
  const body: Obj = { ...criteria, ...(r.source ? { source: entity(r.source) } : {}), ...(r.destination ? { destination: entity(r.destination) } : {}) };
  return new Call('Rule', C, RULE_BUILDERS[action] ?? 'allow', [Object.keys(body).length > 0 ? body : undefined]);
}

/** The props of a Calico construct, rules through `Rule.allow(...)` and friends. */
export function calicoProps(r: ImportedCalicoResource): Printable {
  const p = r.props as unknown as Record<string, unknown>;
  const out: Obj = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    out[k] = (k === 'ingress' || k === 'egress') && Array.isArray(v) ? (v as RuleProps[]).map(rule) : printable(v);
  }
  return out;
}
