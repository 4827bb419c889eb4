/**
 * The inverse of the renderers, for `dcos-cdk import`: a Marathon app
 * definition (1.4 or 1.5 JSON) becomes the typed props of a
 * {@link MarathonApp} that renders it again, plus the overrides for what the
 * typed props do not model.
 *
 * @module
 */
import type { JsonValue } from '@dcos-cdk/core';
import {
  importConstraint,
  importHealthCheck,
  importPort,
  importReadinessChecks,
  importVolumes,
  overrideKey,
  type MarathonImportOverride,
  type OverrideSink,
  type PortEntry,
} from './import-parts.js';
import type { MarathonPort } from './port.js';
import type { MarathonAppProps } from './props/app.js';
import type { MarathonContainerProps } from './props/container.js';
import { Networking } from './props/networking.js';
import { Ctx, stripNulls } from './validation/context.js';
import { resolveAppId } from './validation/ids.js';
import { migrate15 } from './validation/networking-1.5.js';
import type { AppValidationOptions } from './validation/types.js';
import type { MarathonApiVersion, MarathonAppJson, MarathonContainerJson, MarathonNetworkJson } from './validation/types.js';

export type { MarathonImportOverride } from './import-parts.js';

/** Options of {@link propsFromMarathonJson}. */
export interface PropsFromMarathonJsonOptions {
  /** Group the app definition sits in (apps of a group JSON); relative ids resolve against it. @default the root group */
  readonly parentGroup?: string;
}

/** A Marathon app definition as typed props. */
export interface ImportedMarathonApp {
  /** The app's absolute id, as Marathon stores it (`frontend` → `/frontend`). */
  readonly id: string;
  /**
   * Props that render the app again. `id` is absolute; container networking
   * is `Networking.cni(<network>, { labels })` (see {@link containerNetwork}
   * to put the app on its environment's network instead).
   */
  readonly props: MarathonAppProps;
  /** For apps on a container network (not a bridge): the network and the labels it gives the task. */
  readonly containerNetwork?: { readonly name?: string; readonly labels: Readonly<Record<string, string>> };
  /** Fields the typed props do not model, to keep with `addOverride` / `addDeletionOverride`. */
  readonly overrides: readonly MarathonImportOverride[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Fields copied as they are. */
const PLAIN = ['cmd', 'user', 'instances', 'cpus', 'mem', 'disk', 'gpus', 'executor', 'backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds', 'killSelection', 'taskKillGracePeriodSeconds', 'tty'] as const;

function copyPlain(app: MarathonAppJson, props: Mutable<MarathonAppProps>): void {
  const target = props as Record<string, unknown>;
  for (const k of PLAIN) if (app[k] !== undefined) target[k] = app[k];
  if (app.args !== undefined) props.args = [...app.args];
  if (app.acceptedResourceRoles !== undefined) props.acceptedResourceRoles = [...app.acceptedResourceRoles];
  if (app.labels !== undefined && Object.keys(app.labels).length > 0) props.labels = { ...app.labels };
  if (app.env !== undefined && Object.keys(app.env).length > 0) props.env = { ...app.env };
  if (app.secrets !== undefined && Object.keys(app.secrets).length > 0) props.secrets = { ...app.secrets };
  if (app.upgradeStrategy !== undefined) props.upgradeStrategy = { ...app.upgradeStrategy };
  if (app.unreachableStrategy !== undefined) props.unreachableStrategy = typeof app.unreachableStrategy === 'string' ? 'disabled' : { ...app.unreachableStrategy };
  if (app.residency !== undefined) props.residency = { ...app.residency };
  if (app.fetch !== undefined && app.fetch.length > 0) props.fetch = app.fetch.map((f) => ({ ...f }));
  if (app.dependencies !== undefined && app.dependencies.length > 0) props.dependsOn = [...app.dependencies];
  if (app.constraints !== undefined && app.constraints.length > 0) props.constraints = app.constraints.map(importConstraint);
}

/** The container props besides networking; `container.type` is written out (Marathon's default is DOCKER). */
function containerProps(c: MarathonContainerJson | undefined, props: Mutable<MarathonAppProps>, sink: OverrideSink): void {
  if (c === undefined) return;
  const out: Mutable<MarathonContainerProps> = { type: (c.type?.toUpperCase() as 'MESOS' | 'DOCKER' | undefined) ?? 'DOCKER' };
  const d = c.docker;
  if (d !== undefined) {
    props.image = d.image;
    if (d.forcePullImage !== undefined) out.forcePullImage = d.forcePullImage;
    if (d.privileged !== undefined) out.privileged = d.privileged;
    if (d.parameters !== undefined && d.parameters.length > 0) out.parameters = d.parameters.map((p) => ({ key: p.key, value: p.value }));
    if (d.pullConfig !== undefined) out.pullConfigSecret = d.pullConfig.secret;
    if (d.credential !== undefined) sink('container.docker.credential', { ...d.credential }, 'registry credentials of Marathon 1.4 are not modelled (Marathon 1.5 replaced them with pullConfig)');
  }
  if (c.appc !== undefined) sink('container.appc', structuredClone(c.appc) as unknown as JsonValue, 'AppC images are not modelled (the typed props run Docker images)');
  if (c.volumes !== undefined && c.volumes.length > 0) {
    const volumes = importVolumes(c.volumes, sink);
    if (volumes !== undefined) out.volumes = volumes;
  }
  // With an image, the Mesos containerizer is the typed props' default: say nothing.
  if (props.image !== undefined && out.type === 'MESOS' && Object.keys(out).length === 1) return;
  props.container = out;
}

/** Host ports from `portDefinitions` (or the legacy `ports`); undefined when the app declares none (Marathon's default port). */
function hostPorts(app: MarathonAppJson, appId: string, sink: OverrideSink): MarathonPort[] | undefined {
  if (app.portDefinitions !== undefined) return app.portDefinitions.map((p, i) => importPort(p, `portDefinitions.${i}`, appId, sink));
  if (app.ports !== undefined) return app.ports.map((port, i) => importPort({ port }, `portDefinitions.${i}`, appId, sink));
  return undefined;
}

function mappings(list: readonly PortEntry[] | undefined, at: string, appId: string, sink: OverrideSink): MarathonPort[] | undefined {
  return list?.map((m, i) => importPort(m, `${at}.${i}`, appId, sink));
}

/** Host port definitions of an app whose ports live elsewhere (container or bridge networking): kept as written. */
function strayHostPorts(app: MarathonAppJson, sink: OverrideSink): void {
  if (app.portDefinitions !== undefined && app.portDefinitions.length > 0) {
    sink('portDefinitions', structuredClone(app.portDefinitions) as unknown as JsonValue, 'port definitions of an app on a container or bridge network are not modelled (its ports are the port mappings)');
  }
}

function dockerMappings(app: MarathonAppJson, appId: string, sink: OverrideSink): MarathonPort[] | undefined {
  return mappings(app.container?.docker?.portMappings?.map((p) => ({ ...p, port: p.containerPort })), 'container.docker.portMappings', appId, sink);
}

interface NetworkResult {
  readonly networking: Networking;
  readonly ports?: MarathonPort[];
  readonly containerNetwork?: ImportedMarathonApp['containerNetwork'];
}

function containerNetworking(name: string | undefined, labels: Readonly<Record<string, string>> | undefined, ports: MarathonPort[] | undefined, namePath: string, sink: OverrideSink): NetworkResult {
  // Without a name Marathon uses its --default_network_name; the typed props always name the network.
  if (name === undefined) sink(namePath, undefined, "the network is Marathon's --default_network_name; the typed props always name the network");
  const l = { ...(labels ?? {}) };
  const networking = Networking.cni(name ?? 'dcos', labels !== undefined ? { labels: l } : {});
  return { networking, ...(ports ? { ports } : {}), containerNetwork: { ...(name !== undefined ? { name } : {}), labels: l } };
}

/** Marathon 1.4: `ipAddress`, `container.docker.network`, Docker port mappings, discovery ports, port definitions. */
function networking14(app: MarathonAppJson, appId: string, sink: OverrideSink): NetworkResult {
  const type = app.container === undefined ? undefined : (app.container.type ?? 'DOCKER');
  const docker = app.container?.docker;
  const dockerNet = docker?.network;
  const ip = app.ipAddress;
  if (ip !== undefined) {
    if (ip.groups !== undefined) sink('ipAddress.groups', [...ip.groups], 'ipAddress.groups is ignored by Marathon and not modelled');
    if (type === 'DOCKER' && dockerNet !== 'USER') sink('container.docker.network', dockerNet, "a Docker container on a CNI network is written with docker.network 'USER'; this app says otherwise");
    const ports = type === 'DOCKER' ? dockerMappings(app, appId, sink) : mappings(ip.discovery?.ports?.map((p) => ({ ...p, port: p.number })), 'ipAddress.discovery.ports', appId, sink);
    if (app.requirePorts === true) sink('requirePorts', app.requirePorts, 'requirePorts only applies to host networking in the typed props');
    strayHostPorts(app, sink);
    return containerNetworking(ip.networkName, ip.labels, ports, 'ipAddress.networkName', sink);
  }
  if (type === 'DOCKER' && dockerNet === 'BRIDGE') {
    if (app.requirePorts === true) sink('requirePorts', app.requirePorts, 'requirePorts only applies to host networking in the typed props');
    const ports = dockerMappings(app, appId, sink);
    strayHostPorts(app, sink);
    return { networking: Networking.bridge(), ...(ports ? { ports } : {}) };
  }
  if (type === 'DOCKER' && dockerNet !== undefined && dockerNet !== 'HOST') sink('container.docker.network', dockerNet, `Docker network ${dockerNet} without an ipAddress has no typed networking mode`);
  if (docker?.portMappings !== undefined && dockerNet !== 'USER') sink('container.docker.portMappings', structuredClone(docker.portMappings) as unknown as JsonValue, 'port mappings without a bridge or container network are not modelled');
  const ports = hostPorts(app, appId, sink);
  return { networking: Networking.host(app.requirePorts !== undefined ? { requirePorts: app.requirePorts } : {}), ...(ports ? { ports } : {}) };
}

/** Marathon 1.5+: `networks`, `container.portMappings`, `portDefinitions`; 1.4-style fields are translated as Marathon 1.5 does. */
function networking15(app: MarathonAppJson, appId: string, sink: OverrideSink): NetworkResult {
  let networks: readonly MarathonNetworkJson[] = app.networks ?? [];
  let portMappings = app.container?.portMappings;
  const legacy = app.ipAddress !== undefined || app.container?.docker?.network !== undefined || app.container?.docker?.portMappings !== undefined;
  if (legacy) {
    const m = migrate15(app, new Ctx('1.5'));
    if (m === undefined) throw new Error(`${appId}: Marathon 1.5 cannot translate the app's 1.4 networking fields.`);
    networks = m.networks;
    const declared = app.container?.portMappings ?? app.container?.docker?.portMappings ?? app.ipAddress?.discovery?.ports;
    portMappings = declared === undefined ? undefined : m.container?.portMappings;
  }
  if (networks.length > 1) sink('networks', networks.map((n) => ({ ...n }) as unknown as JsonValue), 'the typed props put an app on one network; this app joins several');
  const first = networks[0];
  const mode = first === undefined ? 'host' : (first.mode?.toLowerCase() ?? 'container');
  if (mode !== 'host' && app.requirePorts === true) sink('requirePorts', app.requirePorts, 'requirePorts only applies to host networking in the typed props');
  if (mode === 'container') {
    const ports = mappings(portMappings?.map((p) => ({ ...p, port: p.containerPort })), 'container.portMappings', appId, sink);
    return containerNetworking(first?.name, first?.labels, ports, 'networks.0.name', sink);
  }
  if (mode === 'container/bridge') {
    const ports = mappings(portMappings?.map((p) => ({ ...p, port: p.containerPort })), 'container.portMappings', appId, sink);
    const labels = first?.labels;
    return { networking: Networking.bridge(labels !== undefined ? { labels: { ...labels } } : {}), ...(ports ? { ports } : {}) };
  }
  if (portMappings !== undefined) sink('container.portMappings', structuredClone(portMappings) as unknown as JsonValue, 'port mappings of a host-networked app are not modelled');
  const ports = hostPorts(app, appId, sink);
  return { networking: Networking.host(app.requirePorts !== undefined ? { requirePorts: app.requirePorts } : {}), ...(ports ? { ports } : {}) };
}

/** True when the app uses the 1.4 networking fields (`ipAddress`, `docker.network`, `docker.portMappings`) or the legacy `ports`. */
function usesLegacyFields(app: MarathonAppJson): boolean {
  return app.ipAddress !== undefined || app.container?.docker?.network !== undefined || app.container?.docker?.portMappings !== undefined || app.ports !== undefined;
}

/**
 * The app as Marathon 1.5 keeps it after translating the deprecated fields
 * (`AppNormalization.forDeprecated`): `ipAddress`, `docker.network` and
 * `docker.portMappings` become `networks` and `container.portMappings`, the
 * legacy `ports` become `portDefinitions` (dropped for non-host networking).
 * An app without those fields is returned as it is.
 *
 * @throws Error when Marathon 1.5 cannot translate the app (it rejects it)
 */
export function translateTo15(json: MarathonAppJson, options: Pick<AppValidationOptions, 'defaultNetworkName' | 'mesosBridgeName'> = {}): MarathonAppJson {
  const app = stripNulls(json) as MarathonAppJson;
  if (!usesLegacyFields(app)) return app;
  const m = migrate15(app, new Ctx('1.5', options));
  if (m === undefined) throw new Error(`${app.id}: Marathon 1.5 cannot translate the app's 1.4 networking fields.`);
  const out: Record<string, unknown> = { ...app };
  delete out.ipAddress;
  delete out.ports;
  delete out.portDefinitions;
  if (m.networks.length > 0) out.networks = m.networks;
  if (m.container !== undefined) out.container = m.container;
  if (m.portDefinitions !== undefined && m.declaredPortDefinitions !== undefined) out.portDefinitions = m.portDefinitions;
  return out as unknown as MarathonAppJson;
}

/**
 * The typed props of a {@link MarathonApp} that renders `json` again, for a
 * cluster whose Marathon reads `format` (`'1.4'`: DC/OS 1.9; `'1.5'`:
 * DC/OS 1.10 and later, where 1.4-style networking is translated the way
 * Marathon 1.5 translates it). The id is made absolute (`frontend` →
 * `/frontend`), response-only fields are dropped, nulls mean absent, and
 * whatever the typed props cannot say is returned as overrides with the
 * reason. `json` should be a definition Marathon accepts
 * (`validateAppDefinition`); unknown fields are ignored here.
 *
 * @throws Error when the id is not a valid Marathon path
 */
export function propsFromMarathonJson(json: MarathonAppJson, format: MarathonApiVersion, options: PropsFromMarathonJsonOptions = {}): ImportedMarathonApp {
  const app = stripNulls(json) as MarathonAppJson;
  const resolved = resolveAppId(app.id, options.parentGroup);
  if (!resolved.ok) throw new Error(`app id '${app.id}': ${resolved.issue.message}`);
  const id = resolved.id;
  const overrides: MarathonImportOverride[] = [];
  const sink: OverrideSink = (path, value, reason) => overrides.push({ path, ...(value !== undefined ? { value } : {}), reason });
  const props: Mutable<MarathonAppProps> = { id };
  copyPlain(app, props);
  if (app.uris !== undefined && app.uris.length > 0) sink('uris', [...app.uris], 'the legacy uris field; the typed props model its successor, fetch');
  if (app.storeUrls !== undefined && app.storeUrls.length > 0) sink('storeUrls', [...app.storeUrls], 'storeUrls (Marathon 1.4) is not modelled');
  const net = format === '1.4' ? networking14(app, id, sink) : networking15(app, id, sink);
  // Container fields without the networking ones (those came from networking).
  const container = app.container === undefined ? undefined : { ...app.container, portMappings: undefined, ...(app.container.docker ? { docker: { ...app.container.docker, network: undefined, portMappings: undefined } } : {}) };
  containerProps(container, props, sink);
  props.networking = net.networking;
  if (net.ports !== undefined) props.ports = net.ports;
  const ports = net.ports ?? [];
  if (app.healthChecks !== undefined && app.healthChecks.length > 0) props.healthChecks = app.healthChecks.map((hc, i) => importHealthCheck(hc, i, ports, sink));
  if (app.readinessChecks !== undefined && app.readinessChecks.length > 0) {
    const rcs = importReadinessChecks(app.readinessChecks, sink);
    if (rcs !== undefined) props.readinessChecks = rcs;
  }
  return { id, props, ...(net.containerNetwork ? { containerNetwork: net.containerNetwork } : {}), overrides };
}

export { overrideKey };
