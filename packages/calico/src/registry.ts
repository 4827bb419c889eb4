import type { IConstruct } from 'constructs';
import { addSynthesisParticipant, type DiagnosticCollector } from '@dcos-cdk/core';
import { Cluster, type Environment } from '@dcos-cdk/dcos';
import { Selector } from './selector/index.js';
import { overlaps, parseCidr } from './model/cidr.js';
import { MAX_GENERATED_NAME, shortHash } from './names.js';
import { addSynthAnalysis } from './synth-analysis.js';

/** A named Calico resource, as the registry sees it. */
interface Named extends IConstruct {
  readonly resourceName: string;
}

/** An IP pool, as the registry sees it. */
interface Pool extends Named {
  readonly cidr: string;
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
  private readonly pools: Pool[] = [];
  private readonly envs: Environment[] = [];
  private readonly grants = new Set<string>();

  private constructor(cluster: Cluster) {
    addSynthAnalysis(cluster, this);
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
        this.validatePools(d);
      },
    });
  }

  /**
   * `base` when no policy of the cluster has that name yet; otherwise `base`
   * with a digest of `owner` (a construct path), so generated names stay
   * unique and deterministic.
   */
  public uniquePolicyName(base: string, owner: string): string {
    if (!this.policies.has(base)) return base;
    return `${base.slice(0, MAX_GENERATED_NAME - 9).replace(/-+$/, '')}-${shortHash(owner)}`;
  }

  /** Records an environment attached to a Calico network of the cluster. */
  public addEnvironment(env: Environment): void {
    this.envs.push(env);
  }

  /** Every environment attached to a Calico network of the cluster, in the order attached. */
  public environments(): readonly Environment[] {
    return this.envs;
  }

  /** Records an IP pool, for the cluster-wide overlap check. */
  public addIpPool(p: Pool): void {
    this.pools.push(p);
  }

  private validatePools(d: DiagnosticCollector): void {
    const parsed = this.pools.map((p) => ({ p, c: parseCidr(p.cidr) }));
    for (let i = 0; i < parsed.length; i++) {
      const { p, c } = parsed[i]!;
      for (let j = 0; j < i; j++) {
        const other = parsed[j]!;
        if (other.p.resourceName === p.resourceName) {
          d.error(p, 'calico/ippool', `IP pool name '${p.resourceName}' is already used by ${other.p.node.path}.`, 'Give each pool its own name (the `name` prop).');
        } else if (c && other.c && overlaps(c, other.c)) {
          d.error(p, 'calico/ippool', `IP pool ${p.cidr} overlaps pool ${other.p.cidr} of ${other.p.node.path}: addresses would be allocated from both (Calico v3 refuses overlapping pools).`, 'Use networks that do not overlap.');
        }
      }
    }
  }

  /** Records a policy a network generates from `allowFrom`/`allowTo` (its flows were asked for). */
  public addGrantPolicy(p: Named): void {
    this.grants.add(p.resourceName);
  }

  /** Names of the policies recorded with {@link addGrantPolicy}. */
  public grantPolicyNames(): ReadonlySet<string> {
    return this.grants;
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
