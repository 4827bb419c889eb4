import type { Environment, INetworkEndpoint } from '@dcos-cdk/dcos';
import { Selector } from './selector/index.js';
import type { EntityRule } from './model/rule.js';

/** How a peer is matched on the other side of a rule. */
export type PeerMatch =
  | {
      readonly kind: 'endpoints';
      readonly selector: Selector;
      readonly environment: Environment;
      /** Set when the peer is one app. */
      readonly endpoint?: INetworkEndpoint;
      readonly description: string;
    }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly description: string };

/**
 * The other side of an allowed connection: an app, an environment, or
 * addresses outside the cluster.
 */
export abstract class Peer {
  /**
   * Addresses in `cidr` outside the cluster (a LAN, a partner network).
   * Containers of the cluster never match, even when their addresses fall
   * inside the CIDR.
   */
  public static cidr(cidr: string, description?: string): Peer {
    return new CidrPeer(cidr, description ?? cidr);
  }

  /** Any address outside the cluster. */
  public static internet(): Peer {
    return new CidrPeer('0.0.0.0/0', 'the Internet');
  }

  /** One app (every instance of it). */
  public static app(app: INetworkEndpoint): Peer {
    return new EndpointPeer({
      kind: 'endpoints',
      selector: labelsSelector(app.endpointLabels),
      environment: app.environment,
      endpoint: app,
      description: `app ${app.endpointName}`,
    });
  }

  /** Every app of an environment. */
  public static environment(env: Environment): Peer {
    return new EndpointPeer({
      kind: 'endpoints',
      selector: labelsSelector(env.membershipLabel),
      environment: env,
      description: `environment ${env.environmentName}`,
    });
  }

  /** Turns a peer or an app into a peer. */
  public static from(x: Peer | INetworkEndpoint): Peer {
    return isPeer(x) ? x : Peer.app(x);
  }

  /** How the peer is matched. */
  public abstract readonly match: PeerMatch;

  /**
   * The peer as one side of a rule. `clusterEndpoints` matches every Calico
   * endpoint of the cluster, so address peers can exclude them.
   */
  public toEntity(clusterEndpoints: Selector): EntityRule {
    const m = this.match;
    return m.kind === 'cidr' ? { nets: [m.cidr], notSelector: clusterEndpoints } : { selector: m.selector };
  }
}

class CidrPeer extends Peer {
  public readonly match: PeerMatch;
  constructor(cidr: string, description: string) {
    super();
    this.match = { kind: 'cidr', cidr, description };
  }
}

class EndpointPeer extends Peer {
  constructor(public readonly match: PeerMatch) {
    super();
  }
}

function isPeer(x: Peer | INetworkEndpoint): x is Peer {
  return (x as { match?: unknown }).match !== undefined && !(x as { node?: unknown }).node;
}

/** `k1 == "v1" && k2 == "v2" ...` over sorted keys. */
export function labelsSelector(labels: Readonly<Record<string, string>>): Selector {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return Selector.all();
  return keys.map((k) => Selector.label(k).eq(labels[k]!)).reduce((a, b) => a.and(b));
}
