import type { IConstruct } from 'constructs';
import { addSynthesisParticipant } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import { Selector } from './selector/index.js';

/** A named Calico resource, as the registry sees it. */
interface Named extends IConstruct {
  readonly resourceName: string;
}

/** A network, as the registry sees it. */
interface Tagged {
  readonly networkName: string;
}

/**
 * Per-cluster index of Calico resources, kept in Maps as they are created,
 * so cluster-wide checks never walk the tree.
 */
export class CalicoRegistry {
  private static readonly byCluster = new WeakMap<Cluster, CalicoRegistry>();

  /** The registry of the cluster `scope` is in. */
  public static of(scope: IConstruct): CalicoRegistry {
    const cluster = Cluster.of(scope);
    let r = CalicoRegistry.byCluster.get(cluster);
    if (!r) {
      r = new CalicoRegistry(cluster);
      CalicoRegistry.byCluster.set(cluster, r);
    }
    return r;
  }

  private readonly policies = new Map<string, Named[]>();
  private readonly networks: Tagged[] = [];

  private constructor(cluster: Cluster) {
    addSynthesisParticipant(cluster, {
      validate: (d) => {
        for (const [name, list] of this.policies) {
          for (const dup of list.slice(1)) {
            d.error(
              dup,
              'calico/duplicate-policy-name',
              `Policy name '${name}' is already used by ${list[0]!.node.path}; Calico keeps one policy per name, so one would silently replace the other.`,
              'Give each policy a unique name (the `name` prop), or rename one of the constructs.',
            );
          }
        }
      },
    });
  }

  /** Records a policy under its Calico name. */
  public addPolicy(p: Named): void {
    const list = this.policies.get(p.resourceName);
    if (list) list.push(p);
    else this.policies.set(p.resourceName, [p]);
  }

  /** Records a network. */
  public addNetwork(n: Tagged): void {
    this.networks.push(n);
  }

  /**
   * Matches every Calico endpoint of the cluster: each carries its network's
   * profile tag (a label with value "" in v3).
   */
  public clusterEndpoints(): Selector {
    const tags = [...new Set(this.networks.map((n) => n.networkName))].sort();
    return tags.map((t) => Selector.has(t)).reduce((a, b) => a.or(b));
  }
}
