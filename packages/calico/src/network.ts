import { Construct, type IConstruct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand } from '@dcos-cdk/core';
import { Cluster, type Environment, type INetwork, type INetworkEndpoint } from '@dcos-cdk/dcos';
import { CalicoPolicy } from './policy.js';
import { CalicoProfile } from './profile.js';
import { CalicoIpPool, type CalicoIpPoolProps } from './ippool.js';
import { Peer, labelsSelector } from './peer.js';
import { Rule } from './model/rule.js';
import { generatedName } from './names.js';
import { CalicoRegistry } from './registry.js';
import { CniNetworkConfig } from './cni.js';
import { checkEndpoints, checkGrants, type Grant, type PortRef } from './network-checks.js';

export type { PortRef } from './network-checks.js';

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
  /**
   * An IP pool the stack owns for this network (a `CalicoIpPool`, applied
   * before the network's profile and apps). On Calico v3 an extra network's
   * CNI configuration allocates from this pool only; calicoctl v1 era CNI
   * plugins allocate from any pool.
   * @default none: Calico's own default pool (192.168.0.0/16, created by calico/node)
   */
  readonly ipPool?: Omit<CalicoIpPoolProps, 'dependsOn'>;
}

/** What the network generated for one environment. */
interface EnvironmentPolicies {
  readonly env: Environment;
  readonly base: CalicoPolicy;
  readonly apps: Map<INetworkEndpoint, CalicoPolicy>;
}

/**
 * A Calico CNI network on the cluster. It installs Calico where DC/OS does
 * not ship it, owns the network's profile (and optionally an IP pool), and
 * turns the environments attached to it and the connections their apps allow
 * into policies that isolate the environments from each other.
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
  /** The network's IP pool, when the stack owns one. */
  public readonly ipPool?: CalicoIpPool;
  /** Ids of what must be in place before the network's resources (packages, agent settings, pool). */
  public readonly baseDependencies: readonly string[];

  private readonly cluster: Cluster;
  private readonly order: number;
  private readonly registry: CalicoRegistry;
  private readonly environments = new Map<Environment, EnvironmentPolicies>();
  private readonly grants: Grant[] = [];

  constructor(scope: Construct, id: string, props: CalicoNetworkProps = {}) {
    super(scope, id);
    brand(this, 'CalicoNetwork');
    this.cluster = Cluster.of(this);
    this.networkName = props.name ?? id;
    this.order = props.policyOrder ?? 1000;
    this.registry = CalicoRegistry.of(this);
    this.registry.addNetwork(this);

    const deps: string[] = [];
    if (this.cluster.formats.calico === 'v1') {
      const etcd = this.cluster.requirePackage('etcd', { packageVersion: props.packageVersions?.etcd ?? '0.0.3' });
      const calico = this.cluster.requirePackage('calico', { packageVersion: props.packageVersions?.calico ?? '0.4.0', after: ['etcd'] });
      deps.push(etcd.artifactId, calico.artifactId);
    }
    if (this.cluster.privateAgents) deps.push(...this.cluster.privateAgents.allowForwarding(this.cluster, this));
    if (props.ipPool) {
      this.ipPool = new CalicoIpPool(this, 'IpPool', { ...props.ipPool, dependsOn: [...deps] });
      deps.push(this.ipPool.artifactId);
    }
    if (this.networkName !== 'calico') {
      const cni = new CniNetworkConfig(this, 'CniConfig', { networkName: this.networkName, ipPools: this.ipPool ? [this.ipPool.cidr] : undefined, dependsOn: [...deps] });
      deps.push(cni.artifactId);
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
      prepare: () => this.generateRules(),
      validate: (d) => {
        checkGrants(this.grants, (env) => CalicoNetwork.managing(env) !== undefined, d);
        checkEndpoints([...this.environments.keys()], this.registry.environments(), this.cluster.formats.calico, d);
      },
    });
  }

  /** The Calico network an environment is attached to, if it is one. */
  private static managing(env: Environment): CalicoNetwork | undefined {
    const n = env.network;
    return CalicoNetwork.isCalicoNetwork(n) && n.environments.has(env) ? n : undefined;
  }

  /** @internal Called by Environment. */
  public attachEnvironment(env: Environment): void {
    const base = new CalicoPolicy(env, 'NetworkPolicy', {
      name: this.registry.uniquePolicyName(generatedName([env.environmentName, 'environment']), `${env.node.path}/NetworkPolicy`),
      selector: labelsSelector(env.membershipLabel),
      order: this.order,
      dependsOn: [this.profile.artifactId],
    });
    this.environments.set(env, { env, base, apps: new Map() });
    this.registry.addEnvironment(env);
    this.registry.addGrantPolicy(base);
  }

  /** @internal Called by Environment.allowPing. */
  public allowPing(env: Environment): void {
    this.policiesOf(env).base.addIngressRule(Rule.allowPing({ selector: labelsSelector(env.membershipLabel) }));
  }

  /**
   * @internal Artifact ids an endpoint must follow: its environment's policy
   * and its own ingress policy, if it has one. Another app's ingress policy
   * only matters once that app runs, and that app follows it; listing every
   * policy of the environment made the manifest grow with the square of an
   * environment's size (20,000 resources in one environment did not fit in a
   * string).
   */
  public dependencyIdsFor(endpoint: INetworkEndpoint): readonly string[] {
    const p = this.policiesOf(endpoint.environment);
    const own = p.apps.get(endpoint);
    return own ? [p.base.artifactId, own.artifactId] : [p.base.artifactId];
  }

  /**
   * Lets `peer` open connections to `endpoint` on its port named `port` (or
   * on a port number and protocol). Used by the apps' `allowFrom`. When the
   * peer is in another environment, that environment lets it out too, to
   * this endpoint's port only.
   */
  public allowIngress(endpoint: INetworkEndpoint, peer: Peer, port: PortRef): void {
    this.appPolicy(endpoint);
    this.grants.push({ direction: 'ingress', endpoint, peer, ...portFields(port) });
  }

  /**
   * Lets `endpoint` open connections to `peer` on `port`: a port name of
   * the peer app, or a port number and protocol. Used by the apps'
   * `allowTo`. When the peer is an app or environment, its side lets the
   * connection in too.
   */
  public allowEgress(endpoint: INetworkEndpoint, peer: Peer, port: PortRef): void {
    this.policiesOf(endpoint.environment);
    const m = peer.match;
    // Policies the peer's side needs are created now: the tree is locked at synthesis.
    if (m.kind === 'endpoints' && m.endpoint) CalicoNetwork.managing(m.environment)?.appPolicy(m.endpoint);
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
        name: this.registry.uniquePolicyName(generatedName([endpoint.environment.environmentName, endpoint.node.id, 'ingress']), `${endpoint.node.path}/IngressPolicy`),
        selector: labelsSelector(endpoint.endpointLabels),
        order: this.order,
        dependsOn: [this.profile.artifactId],
      });
      envPolicies.apps.set(endpoint, policy);
      this.registry.addGrantPolicy(policy);
    }
    return policy;
  }

  /** Turns grants into rules; runs once, in the prepare phase. */
  private generateRules(): void {
    const clusterEndpoints = this.registry.clusterEndpoints();
    for (const { env, base } of this.environments.values()) {
      base.addEgressRule(Rule.allow({ destination: { selector: labelsSelector(env.membershipLabel) } }));
      if (env.egress === 'allow') base.addEgressRule(Rule.allow({ destination: { notSelector: clusterEndpoints } }));
    }
    for (let i = 0; i < this.grants.length; i++) {
      const g = this.grants[i]!;
      const port = g.port ?? portOwner(g)?.endpointPorts.find((p) => p.name === g.portName);
      if (!port) continue;
      if (!g.port) this.grants[i] = { ...g, port };
      const match = g.peer.match;
      const protocol = port.protocol;
      const ports = [port.port];
      const peerEntity = g.peer.toEntity(clusterEndpoints);
      const mine = labelsSelector(g.endpoint.endpointLabels);
      const peerNetwork = match.kind === 'endpoints' ? CalicoNetwork.managing(match.environment) : undefined;
      if (g.direction === 'ingress') {
        this.appPolicy(g.endpoint).addIngressRule(Rule.allow({ protocol, source: peerEntity, destination: { ports } }));
        // A peer in another environment must also be let out of its own, to this port only.
        if (match.kind === 'endpoints' && match.environment !== g.endpoint.environment && peerNetwork) {
          peerNetwork.policiesOf(match.environment).base.addEgressRule(Rule.allow({ protocol, destination: { selector: mine, ports } }));
        }
      } else {
        this.policiesOf(g.endpoint.environment).base.addEgressRule(Rule.allow({ protocol, destination: { ...peerEntity, ports } }));
        if (match.kind !== 'endpoints' || !peerNetwork) continue;
        const inbound = Rule.allow({ protocol, source: { selector: mine }, destination: { ports } });
        // The peer app's ingress policy, or for an environment peer the environment's own policy, lets it in.
        if (match.endpoint) peerNetwork.appPolicy(match.endpoint).addIngressRule(inbound);
        else peerNetwork.policiesOf(match.environment).base.addIngressRule(inbound);
      }
    }
  }
}

function portFields(port: PortRef): Pick<Grant, 'portName' | 'port'> {
  return typeof port === 'string' ? { portName: port } : { port };
}

/** The endpoint whose port names a grant's port name refers to. */
function portOwner(g: Grant): INetworkEndpoint | undefined {
  if (g.direction === 'ingress') return g.endpoint;
  return g.peer.match.kind === 'endpoints' ? g.peer.match.endpoint : undefined;
}

/** @internal The Calico network of an endpoint's environment; a clear error otherwise. */
export function calicoNetworkOf(endpoint: IConstruct & { readonly environment: Environment }): CalicoNetwork {
  const n = endpoint.environment.network;
  if (!CalicoNetwork.isCalicoNetwork(n)) {
    throw new Error(`${endpoint.node.path}: traffic rules need a Calico network, but environment ${endpoint.environment.node.path} uses ${n.node.path}.`);
  }
  return n;
}
