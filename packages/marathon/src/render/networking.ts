import type { MarathonPort } from '../port.js';
import { portLabels, usesDiscoveryPorts, type AppContext } from './context.js';
import type { JsonObject } from './json.js';

/** What networking contributes to the app JSON: top-level fields, plus fields of `container` and `container.docker`. */
export interface NetworkingJson {
  /** Top-level fields (`ipAddress`, `networks`, `portDefinitions`, `requirePorts`). */
  readonly app: JsonObject;
  /** Fields of `container` (1.5 `portMappings`). */
  readonly container: JsonObject;
  /** Fields of `container.docker` (1.4 `network`, `portMappings`). */
  readonly docker: JsonObject;
}

function portMapping(ctx: AppContext, p: MarathonPort): JsonObject {
  return {
    containerPort: p.port,
    name: p.name,
    protocol: p.protocol,
    hostPort: p.hostPort,
    servicePort: p.servicePort,
    labels: portLabels(ctx, p),
  };
}

function portDefinition(ctx: AppContext, p: MarathonPort): JsonObject {
  return { port: p.port, protocol: p.protocol, name: p.name, labels: portLabels(ctx, p) };
}

function hostFields(ctx: AppContext): JsonObject {
  const defs = ctx.props.ports === undefined ? undefined : ctx.ports.map((p) => portDefinition(ctx, p));
  return { portDefinitions: defs, requirePorts: ctx.networking.requirePorts };
}

function mappings(ctx: AppContext): JsonObject[] | undefined {
  return ctx.ports.length > 0 ? ctx.ports.map((p) => portMapping(ctx, p)) : undefined;
}

/**
 * Marathon 1.4 (DC/OS 1.9): a container network is `ipAddress` with the
 * ports in `ipAddress.discovery.ports` (Mesos containerizer) or Docker's
 * `USER` network with `docker.portMappings`; host and bridge are Docker
 * network modes (`HOST`, `BRIDGE`) or plain `portDefinitions`.
 */
export function renderNetworking14(ctx: AppContext): NetworkingJson {
  const docker = ctx.containerType === 'DOCKER';
  switch (ctx.networking.mode) {
    case 'container': {
      const ports = ctx.ports.map((p) => ({ name: p.name, number: p.port, protocol: p.protocol, labels: portLabels(ctx, p) }));
      const ipAddress: JsonObject = {
        networkName: ctx.networkName,
        labels: ctx.networkLabels === undefined ? undefined : { ...ctx.networkLabels },
        discovery: usesDiscoveryPorts(ctx) && ports.length > 0 ? { ports } : undefined,
      };
      return { app: { ipAddress }, container: {}, docker: docker ? { network: 'USER', portMappings: mappings(ctx) } : {} };
    }
    case 'host':
      return { app: hostFields(ctx), container: {}, docker: docker ? { network: 'HOST' } : {} };
    case 'bridge':
      return { app: {}, container: {}, docker: { network: 'BRIDGE', portMappings: mappings(ctx) } };
  }
}

/**
 * Marathon 1.5 and later (DC/OS 1.10+): `networks` names the mode, ports of
 * container and bridge networking are `container.portMappings`, host ports
 * `portDefinitions`.
 */
export function renderNetworking15(ctx: AppContext): NetworkingJson {
  const labels = ctx.networkLabels === undefined ? undefined : { ...ctx.networkLabels };
  switch (ctx.networking.mode) {
    case 'container':
      return { app: { networks: [{ mode: 'container', name: ctx.networkName, labels }] }, container: { portMappings: mappings(ctx) }, docker: {} };
    case 'host':
      return { app: { networks: [{ mode: 'host' }], ...hostFields(ctx) }, container: {}, docker: {} };
    case 'bridge':
      return { app: { networks: [{ mode: 'container/bridge', labels }] }, container: { portMappings: mappings(ctx) }, docker: {} };
  }
}
