import type { DiagnosticCollector } from '@dcos-cdk/core';
import type { CalicoVersion, Environment, INetworkEndpoint } from '@dcos-cdk/dcos';
import { checkLabels } from './model/labels.js';
import { ProblemSink } from './model/problems.js';
import type { Peer } from './peer.js';

/** A port by name, or by number and protocol. */
export type PortRef = string | { readonly port: number; readonly protocol: 'tcp' | 'udp' };

/** A connection an app allows, recorded by `allowFrom`/`allowTo`. @internal */
export interface Grant {
  readonly direction: 'ingress' | 'egress';
  readonly endpoint: INetworkEndpoint;
  readonly peer: Peer;
  readonly portName?: string;
  readonly port?: { readonly port: number; readonly protocol: 'tcp' | 'udp' };
}

/**
 * Checks recorded connections: port names must name a port of the app they
 * refer to, and an app or environment peer must be on a Calico network, so
 * its side can be opened too.
 * @internal
 */
export function checkGrants(grants: readonly Grant[], onCalico: (env: Environment) => boolean, d: DiagnosticCollector): void {
  for (const g of grants) {
    const call = `${g.direction === 'ingress' ? 'allowFrom' : 'allowTo'}(${g.peer.match.description}, ${g.portName !== undefined ? `'${g.portName}'` : JSON.stringify(g.port)})`;
    const m = g.peer.match;
    if (m.kind === 'endpoints' && !onCalico(m.environment)) {
      d.error(g.endpoint, 'calico/peer-network', `${call}: environment ${m.environment.node.path} is not on a Calico network, so its side of the connection cannot be opened.`, 'Attach the environment to a CalicoNetwork of the cluster, or use Peer.cidr(...) for addresses outside Calico.');
    }
    if (g.portName === undefined || g.port !== undefined) continue;
    const owner = g.direction === 'ingress' ? g.endpoint : m.kind === 'endpoints' ? m.endpoint : undefined;
    if (!owner) {
      d.error(g.endpoint, 'calico/unknown-port', `${call}: a port name only means something for an app peer.`, 'Pass the port as { port: 443, protocol: "tcp" }.');
      continue;
    }
    const names = owner.endpointPorts.map((p) => p.name);
    d.error(
      g.endpoint,
      'calico/unknown-port',
      `${call}: ${owner.endpointName} has no port named '${g.portName}' (${names.length ? `its ports: ${names.join(', ')}` : 'it declares no ports'}).`,
      "Use one of the app's port names, or declare the port in the app's `ports`.",
    );
  }
}

/**
 * Checks the endpoints of the network's environments: their labels must be
 * valid for the cluster's Calico version (they become workload endpoint
 * labels, which Felix validates), none may carry another environment's
 * membership label (that environment's policies would treat it as a member),
 * and two endpoints with the same labels cannot be told apart by policies.
 * @internal
 */
export function checkEndpoints(envs: readonly Environment[], allEnvs: readonly Environment[], version: CalicoVersion, d: DiagnosticCollector): void {
  // Membership labels by key and value, so each endpoint costs its own label count, not the number of environments.
  const membership = new Map<string, Environment>();
  for (const other of allEnvs) membership.set(`${other.labelKey}\u0000${other.environmentName}`, other);
  const byLabels = new Map<string, INetworkEndpoint>();
  for (const env of envs) {
    for (const e of env.endpoints) {
      const sink = new ProblemSink();
      checkLabels(e.endpointLabels, version, sink);
      for (const p of sink.list) d.error(e, 'calico/endpoint-label', `${p.path}: ${p.message}`, `${p.fix} Endpoint labels come from the app's network labels and its environment.`);
      const keys = Object.keys(e.endpointLabels).sort();
      for (const k of keys) {
        const other = membership.get(`${k}\u0000${e.endpointLabels[k]}`);
        if (!other || other === env) continue;
        d.error(
          e,
          'calico/environment-label',
          `${e.endpointName} carries the label ${other.labelKey}: ${other.environmentName}, which marks members of environment ${other.node.path}; that environment's policies would treat it as one of theirs.`,
          `Remove '${other.labelKey}' from the app's network labels.`,
        );
      }
      const key = JSON.stringify(keys.map((k) => [k, e.endpointLabels[k]]));
      const twin = byLabels.get(key);
      if (twin) {
        d.warn(e, 'calico/indistinct-endpoints', `${e.endpointName} has the same network labels as ${twin.endpointName} (${twin.node.path}); every rule naming one also matches the other.`, 'Give each app a distinct `app` label (networkLabels).');
      } else {
        byLabels.set(key, e);
      }
    }
  }
}
