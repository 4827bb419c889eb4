import { Construct, type IConstruct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand } from '@dcos-cdk/core';
import { Cluster, type Environment, type INetwork, type INetworkEndpoint } from '@dcos-cdk/dcos';
import { CalicoPolicy } from './policy.js';
import { CalicoProfile } from './profile.js';
import { Peer, labelsSelector } from './peer.js';
import { Rule } from './model/rule.js';
import { slug } from './names.js';
import { CalicoRegistry } from './registry.js';
import { CniNetworkConfig } from './cni.js';

/** Options of a {@link CalicoNetwork}. */
export interface CalicoNetworkProps {
  /** CNI network name apps join; also the name of its profile and tag. @default the construct id */
  readonly name?: string;
  /**
   * What the network's profile does with traffic to an endpoint no policy
   * selects. `allow` keeps the CNI plugin's default (any container of the
   * network may connect); `deny` removes that rule, so only policies let
   * traffic in.
   * @default 'allow'
   */
  readonly defaultIngress?: 'allow' | 'deny';
  /** Universe package versions to install (DC/OS before 2.1). @default etcd 0.0.3, calico 0.4.0 */
  readonly packageVersions?: { readonly etcd?: string; readonly calico?: string };
  /** Order of the policies the network generates. @default 1000 */
  readonly policyOrder?: number;
}

/** A connection an app allows, recorded by `allowFrom`/`allowTo`. */
interface Grant {
  readonly direction: 'ingress' | 'egress';
  readonly endpoint: INetworkEndpoint;
  readonly peer: Peer;
  readonly portName?: string;
  readonly port?: { readonly port: number; readonly protocol: 'tcp' | 'udp' };
}

/** What the network generated for one environment. */
interface EnvironmentPolicies {
  readonly env: Environment;
  readonly base: CalicoPolicy;
  readonly apps: Map<INetworkEndpoint, CalicoPolicy>;
}

/**
 * A Calico CNI network on the cluster. It installs Calico where DC/OS does
 * not ship it, owns the network's profile, and turns the environments
 * attached to it and the connections their apps allow into policies that
 * isolate the environments from each other.
 */
export class CalicoNetwork extends Construct implements INetwork {
  /** True when `x` is a {@link CalicoNetwork}, even from another copy of this package. */
  public static isCalicoNetwork(x: unknown): x is CalicoNetwork {
    return hasBrand(x, 'CalicoNetwork');
  }

  /** Name apps use to join. */
  public readonly networkName: string;
  /** The network's profile. */
  public readonly profile: CalicoProfile;
  /** Ids of what must be in place before the network's resources (packages, agent settings). */
  public readonly baseDependencies: readonly string[];

  private readonly cluster: Cluster;
  private readonly order: number;
  private readonly environments = new Map<Environment, EnvironmentPolicies>();
  private readonly grants: Grant[] = [];

  constructor(scope: Construct, id: string, props: CalicoNetworkProps = {}) {
    super(scope, id);
    brand(this, 'CalicoNetwork');
    this.cluster = Cluster.of(this);
    this.networkName = props.name ?? id;
    this.order = props.policyOrder ?? 1000;
    const registry = CalicoRegistry.of(this);
    registry.addNetwork(this);

    const deps: string[] = [];
    if (this.cluster.formats.calico === 'v1') {
      const etcd = this.cluster.requirePackage('etcd', { packageVersion: props.packageVersions?.etcd ?? '0.0.3' });
      const calico = this.cluster.requirePackage('calico', { packageVersion: props.packageVersions?.calico ?? '0.4.0', after: ['etcd'] });
      deps.push(etcd.artifactId, calico.artifactId);
    }
    if (this.cluster.privateAgents) deps.push(...this.cluster.privateAgents.allowForwarding(this.cluster, this));
    if (this.networkName !== 'calico') {
      deps.push(new CniNetworkConfig(this, 'CniConfig', { networkName: this.networkName, dependsOn: [...deps] }).artifactId);
    }
    this.baseDependencies = deps;

    const tag = this.networkName;
    this.profile = new CalicoProfile(this, 'Profile', {
      name: this.networkName,
      tags: [tag],
      egress: [Rule.allow()],
      ingress: props.defaultIngress === 'deny' ? [] : [Rule.allow({ source: { tag } })],
      dependsOn: deps,
    });

    addSynthesisParticipant(this, {
      prepare: () => this.generateRules(registry),
      validate: (d) => {
        for (const g of this.grants) {
          if (g.portName === undefined || g.port !== undefined) continue;
          const call = `${g.direction === 'ingress' ? 'allowFrom' : 'allowTo'}(${describe(g.peer)}, '${g.portName}')`;
          const owner = portOwner(g);
          if (!owner) {
            d.error(g.endpoint, 'calico/unknown-port', `${call}: a port name only means something for an app peer.`, 'Pass the port as { port: 443, protocol: "tcp" }.');
            continue;
          }
          const names = owner.endpointPorts.map((p) => p.name);
          d.error(
            g.endpoint,
            'calico/unknown-port',
            `${call}: ${owner.endpointName} has no port named '${g.portName}' (${names.length ? `its ports: ${names.join(', ')}` : 'it declares no ports'}).`,
            `Use one of the app's port names, or declare the port in the app's \`ports\`.`,
          );
        }
      },
    });
  }

  /** @internal Called by Environment. */
  public attachEnvironment(env: Environment): void {
    const base = new CalicoPolicy(env, 'NetworkPolicy', {
      name: `${slug(env.environmentName)}-environment`,
      selector: labelsSelector(env.membershipLabel),
      order: this.order,
      dependsOn: [this.profile.artifactId],
    });
    this.environments.set(env, { env, base, apps: new Map() });
  }

  /** @internal Called by Environment.allowPing. */
  public allowPing(env: Environment): void {
    this.policiesOf(env).base.addIngressRule(Rule.allowPing({ selector: labelsSelector(env.membershipLabel) }));
  }

  /** @internal Artifact ids an endpoint of `env` must follow. */
  public dependencyIdsFor(env: Environment): readonly string[] {
    const p = this.policiesOf(env);
    return [p.base.artifactId, ...[...p.apps.values()].map((a) => a.artifactId)];
  }

  /**
   * Lets `peer` open connections to `endpoint` on its port named `port` (or
   * on a port number and protocol). Used by the apps' `allowFrom`.
   */
  public allowIngress(endpoint: INetworkEndpoint, peer: Peer, port: PortRef): void {
    this.policiesOf(endpoint.environment);
    this.appPolicy(endpoint);
    this.grants.push({ direction: 'ingress', endpoint, peer, ...portFields(port) });
  }

  /**
   * Lets `endpoint` open connections to `peer` on `port`: a port name of
   * the peer app, or a port number and protocol. Used by the apps' `allowTo`.
   */
  public allowEgress(endpoint: INetworkEndpoint, peer: Peer, port: PortRef): void {
    this.policiesOf(endpoint.environment);
    const target = peer.match.kind === 'endpoints' ? peer.match.endpoint : undefined;
    // The destination app must let the connection in too.
    if (target && this.environments.has(target.environment)) this.appPolicy(target);
    this.grants.push({ direction: 'egress', endpoint, peer, ...portFields(port) });
  }

  private policiesOf(env: Environment): EnvironmentPolicies {
    const p = this.environments.get(env);
    if (!p) throw new Error(`${env.node.path}: environment is not attached to network ${this.node.path}; pass { network } when creating it.`);
    return p;
  }

  private appPolicy(endpoint: INetworkEndpoint): CalicoPolicy {
    const envPolicies = this.policiesOf(endpoint.environment);
    let policy = envPolicies.apps.get(endpoint);
    if (!policy) {
      policy = new CalicoPolicy(endpoint, 'IngressPolicy', {
        name: `${slug(endpoint.environment.environmentName)}-${slug(endpoint.node.id)}-ingress`,
        selector: labelsSelector(endpoint.endpointLabels),
        order: this.order,
        dependsOn: [this.profile.artifactId],
      });
      envPolicies.apps.set(endpoint, policy);
    }
    return policy;
  }

  /** Turns grants into rules; runs once, in the prepare phase. */
  private generateRules(registry: CalicoRegistry): void {
    const clusterEndpoints = registry.clusterEndpoints();
    for (const { env, base } of this.environments.values()) {
      base.addEgressRule(Rule.allow({ destination: { selector: labelsSelector(env.membershipLabel) } }));
      if (env.egress === 'allow') base.addEgressRule(Rule.allow({ destination: { notSelector: clusterEndpoints } }));
    }
    for (let i = 0; i < this.grants.length; i++) {
      const g = this.grants[i]!;
      const owner = portOwner(g);
      const port = g.port ?? owner?.endpointPorts.find((p) => p.name === g.portName);
      if (!port) continue;
      if (!g.port) this.grants[i] = { ...g, port };
      const match = g.peer.match;
      const peerEntity = g.peer.toEntity(clusterEndpoints);
      const mine = labelsSelector(g.endpoint.endpointLabels);
      if (g.direction === 'ingress') {
        this.appPolicy(g.endpoint).addIngressRule(Rule.allow({ protocol: port.protocol, source: peerEntity, destination: { ports: [port.port] } }));
        // A peer in another environment must also be let out of its own.
        if (match.kind === 'endpoints' && match.environment !== g.endpoint.environment && this.environments.has(match.environment)) {
          this.policiesOf(match.environment).base.addEgressRule(Rule.allow({ protocol: port.protocol, destination: { selector: mine, ports: [port.port] } }));
        }
      } else {
        this.policiesOf(g.endpoint.environment).base.addEgressRule(Rule.allow({ protocol: port.protocol, destination: { ...peerEntity, ports: [port.port] } }));
        const target = match.kind === 'endpoints' ? match.endpoint : undefined;
        if (target && this.environments.has(target.environment)) {
          this.appPolicy(target).addIngressRule(Rule.allow({ protocol: port.protocol, source: { selector: mine }, destination: { ports: [port.port] } }));
        }
      }
    }
  }
}

/** A port by name, or by number and protocol. */
export type PortRef = string | { readonly port: number; readonly protocol: 'tcp' | 'udp' };

function portFields(port: PortRef): Pick<Grant, 'portName' | 'port'> {
  return typeof port === 'string' ? { portName: port } : { port };
}

/** The endpoint whose port names a grant's port name refers to. */
function portOwner(g: Grant): INetworkEndpoint | undefined {
  if (g.direction === 'ingress') return g.endpoint;
  return g.peer.match.kind === 'endpoints' ? g.peer.match.endpoint : undefined;
}

function describe(peer: Peer): string {
  return peer.match.description;
}

/** @internal The Calico network of an endpoint's environment; a clear error otherwise. */
export function calicoNetworkOf(endpoint: IConstruct & { readonly environment: Environment }): CalicoNetwork {
  const n = endpoint.environment.network;
  if (!CalicoNetwork.isCalicoNetwork(n)) {
    throw new Error(`${endpoint.node.path}: traffic rules need a Calico network, but environment ${endpoint.environment.node.path} uses ${n.node.path}.`);
  }
  return n;
}
