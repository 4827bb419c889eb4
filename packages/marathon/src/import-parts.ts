/**
 * Parts of an app definition back in typed props, for `propsFromMarathonJson`:
 * ports, health and readiness checks, constraints, volumes. Whatever a part
 * holds that the typed props cannot say is recorded as an override.
 */
import type { JsonValue } from '@dcos-cdk/core';
import { MarathonPort, type MarathonPortOptions } from './port.js';
import { Constraint } from './props/constraints.js';
import { Volume } from './props/container.js';
import { HealthCheck, type HealthCheckOptions, type ReadinessCheckProps } from './props/health.js';
import type { MarathonHealthCheckJson, MarathonReadinessCheckJson, MarathonVolumeJson } from './validation/types.js';

/** A field of the rendered JSON the typed props do not model, kept through `addOverride`. */
export interface MarathonImportOverride {
  /** Dot-separated path, as `addOverride` takes it (`\.` for a dot in a key). */
  readonly path: string;
  /** The value to set; absent removes the field (`addDeletionOverride`). */
  readonly value?: JsonValue;
  /** Why the typed props cannot say it. */
  readonly reason: string;
}

/** Collects overrides while mapping. @internal */
export type OverrideSink = (path: string, value: JsonValue | undefined, reason: string) => void;

/** Escapes a JSON key for an override path. @internal */
export function overrideKey(key: string): string {
  return key.replace(/\./g, '\\.');
}

/** A port entry of any of Marathon's port lists, read uniformly. @internal */
export interface PortEntry {
  readonly port?: number;
  readonly name?: string;
  readonly protocol?: string;
  readonly hostPort?: number;
  readonly servicePort?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly networkNames?: readonly string[];
}

const VIP = /^[^:\s]+:[0-9]{1,5}$/;

/**
 * A port as a {@link MarathonPort}: `VIP_0` labels become `vip` (true when it
 * is the one the app id gives), `udp,tcp` and `networkNames` stay overrides.
 * @internal
 */
export function importPort(e: PortEntry, at: string, appId: string, sink: OverrideSink): MarathonPort {
  const port = e.port ?? 0;
  const labels: Record<string, string> = { ...(e.labels ?? {}) };
  let vip: boolean | string | undefined;
  const vipLabel = labels['VIP_0'];
  if (vipLabel !== undefined && VIP.test(vipLabel)) {
    vip = vipLabel === `${appId}:${port}` && port !== 0 ? true : vipLabel;
    delete labels['VIP_0'];
  }
  const options: { -readonly [K in keyof MarathonPortOptions]: MarathonPortOptions[K] } = {};
  if (e.hostPort !== undefined) options.hostPort = e.hostPort;
  if (e.servicePort !== undefined) options.servicePort = e.servicePort;
  if (Object.keys(labels).length > 0) options.labels = labels;
  if (vip !== undefined) options.vip = vip;
  const protocol = e.protocol?.toLowerCase();
  if (protocol !== undefined && protocol !== 'tcp' && protocol !== 'udp') {
    sink(`${at}.protocol`, e.protocol, `protocol '${e.protocol}' (both tcp and udp on one port) has no MarathonPort equivalent`);
  }
  if (e.networkNames !== undefined) sink(`${at}.networkNames`, [...e.networkNames], 'port mappings limited to some container networks are not modelled by MarathonPort');
  const p = protocol === 'udp' ? 'udp' : 'tcp';
  if (e.name !== undefined) return p === 'udp' ? MarathonPort.udp(e.name, port, options) : MarathonPort.tcp(e.name, port, options);
  return MarathonPort.of({ port, ...(protocol === 'udp' ? { protocol: 'udp' } : {}), ...options });
}

const HTTP_PROTOCOLS = ['HTTP', 'HTTPS', 'MESOS_HTTP', 'MESOS_HTTPS'];

/** A health check as a {@link HealthCheck}; a port index becomes the port's name when it has one. @internal */
export function importHealthCheck(hc: MarathonHealthCheckJson, i: number, ports: readonly MarathonPort[], sink: OverrideSink): HealthCheck {
  const protocol = (hc.protocol ?? 'HTTP').toUpperCase() as NonNullable<MarathonHealthCheckJson['protocol']>;
  const at = `healthChecks.${i}`;
  const http = HTTP_PROTOCOLS.includes(protocol);
  const timing = {
    ...(hc.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: hc.gracePeriodSeconds } : {}),
    ...(hc.intervalSeconds !== undefined ? { intervalSeconds: hc.intervalSeconds } : {}),
    ...(hc.timeoutSeconds !== undefined ? { timeoutSeconds: hc.timeoutSeconds } : {}),
    ...(hc.maxConsecutiveFailures !== undefined ? { maxConsecutiveFailures: hc.maxConsecutiveFailures } : {}),
    ...(hc.delaySeconds !== undefined ? { delaySeconds: hc.delaySeconds } : {}),
  };
  if (protocol === 'COMMAND') {
    for (const f of ['path', 'portIndex', 'port', 'ignoreHttp1xx'] as const) {
      if (hc[f] !== undefined) sink(`${at}.${f}`, hc[f], `a COMMAND check does not use '${f}'; HealthCheck.command has no such option`);
    }
    return HealthCheck.command(hc.command?.value ?? '', timing);
  }
  if (hc.command !== undefined) sink(`${at}.command`, { value: hc.command.value }, `a ${protocol} check does not run a command; only HealthCheck.command has one`);
  if (!http && hc.path !== undefined) sink(`${at}.path`, hc.path, `a ${protocol} check does not use a path`);
  if (!http && hc.ignoreHttp1xx !== undefined) sink(`${at}.ignoreHttp1xx`, hc.ignoreHttp1xx, `a ${protocol} check does not read HTTP answers`);
  const named = hc.portIndex !== undefined ? ports[hc.portIndex]?.name : undefined;
  const options: HealthCheckOptions = {
    ...timing,
    ...(http && hc.path !== undefined ? { path: hc.path } : {}),
    ...(http && hc.ignoreHttp1xx !== undefined ? { ignoreHttp1xx: hc.ignoreHttp1xx } : {}),
    ...(hc.port !== undefined ? { fixedPort: hc.port } : {}),
    ...(hc.portIndex !== undefined ? (named !== undefined ? { port: named } : { portIndex: hc.portIndex }) : {}),
  };
  switch (protocol) {
    case 'HTTPS':
      return HealthCheck.https(options);
    case 'TCP':
      return HealthCheck.tcp(options);
    case 'MESOS_HTTP':
      return HealthCheck.mesosHttp(options);
    case 'MESOS_HTTPS':
      return HealthCheck.mesosHttps(options);
    case 'MESOS_TCP':
      return HealthCheck.mesosTcp(options);
    default:
      return HealthCheck.http(options);
  }
}

/** Readiness checks, or undefined (and an override) when one names no port. @internal */
export function importReadinessChecks(list: readonly MarathonReadinessCheckJson[], sink: OverrideSink): ReadinessCheckProps[] | undefined {
  if (list.some((rc) => rc.portName === undefined)) {
    sink('readinessChecks', list.map((rc) => ({ ...rc }) as unknown as JsonValue), "a readiness check without portName (Marathon's default 'http-api') has no typed equivalent: the typed props name one of the app's ports");
    return undefined;
  }
  return list.map((rc) => ({
    port: rc.portName!,
    ...(rc.name !== undefined ? { name: rc.name } : {}),
    ...(rc.protocol !== undefined ? { protocol: rc.protocol.toUpperCase() as 'HTTP' | 'HTTPS' } : {}),
    ...(rc.path !== undefined ? { path: rc.path } : {}),
    ...(rc.intervalSeconds !== undefined ? { intervalSeconds: rc.intervalSeconds } : {}),
    ...(rc.timeoutSeconds !== undefined ? { timeoutSeconds: rc.timeoutSeconds } : {}),
    ...(rc.httpStatusCodesForReady !== undefined ? { httpStatusCodesForReady: [...rc.httpStatusCodesForReady] } : {}),
    ...(rc.preserveLastResponse !== undefined ? { preserveLastResponse: rc.preserveLastResponse } : {}),
  }));
}

/** A constraint with the most specific builder that writes it back exactly. @internal */
export function importConstraint(c: readonly string[]): Constraint {
  const [field = '', op = '', value] = c;
  const asInt = value !== undefined && /^(0|[1-9][0-9]*)$/.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER ? Number(value) : undefined;
  if (c.length === 2 && op === 'UNIQUE') return Constraint.unique(field);
  if (c.length === 2 && op === 'GROUP_BY') return Constraint.groupBy(field);
  if (c.length === 3 && value !== undefined) {
    if (op === 'CLUSTER') return Constraint.cluster(field, value);
    if (op === 'LIKE') return Constraint.like(field, value);
    if (op === 'UNLIKE') return Constraint.unlike(field, value);
    if (op === 'GROUP_BY' && asInt !== undefined) return Constraint.groupBy(field, asInt);
    if (op === 'MAX_PER' && asInt !== undefined) return Constraint.maxPer(field, asInt);
  }
  return Constraint.of(field, op, value);
}

/** Volumes as {@link Volume}s, or undefined (and an override) when one has no typed equivalent. @internal */
export function importVolumes(list: readonly MarathonVolumeJson[], sink: OverrideSink): Volume[] | undefined {
  const out: Volume[] = [];
  for (const v of list) {
    const keys = Object.keys(v).sort().join(',');
    const mode = v.mode === 'RO' || v.mode === 'RW' ? v.mode : undefined;
    if (keys === 'containerPath,hostPath,mode' && mode) out.push(Volume.host(v.containerPath!, v.hostPath!, mode));
    else if (keys === 'containerPath,secret') out.push(Volume.secret(v.containerPath!, v.secret!));
    else if (keys === 'containerPath,mode,persistent' && mode && v.persistent !== undefined && v.persistent.size !== undefined && v.persistent.constraints === undefined) {
      const p = v.persistent;
      out.push(Volume.persistent(v.containerPath!, { size: p.size!, mode, ...(p.type !== undefined ? { type: p.type } : {}), ...(p.maxSize !== undefined ? { maxSize: p.maxSize } : {}) }));
    } else {
      sink('container.volumes', list.map((x) => structuredClone(x) as unknown as JsonValue), 'a volume of this kind (external volumes, persistent volume constraints, or a host volume without mode) is not modelled by Volume');
      return undefined;
    }
  }
  return out;
}
