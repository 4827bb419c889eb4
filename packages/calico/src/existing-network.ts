import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand } from '@dcos-cdk/core';
import { Cluster, type Environment, type INetwork, type INetworkEndpoint } from '@dcos-cdk/dcos';
import { checkEndpoints } from './network-checks.js';
import { CalicoPolicy } from './policy.js';
import { CalicoProfile } from './profile.js';
import { CalicoRegistry } from './registry.js';
import { Selector } from './selector/index.js';

/** Options of an {@link ExistingCalicoNetwork}. */
export interface ExistingCalicoNetworkProps {
  /** CNI network name apps join (also the tag of its endpoints). @default the construct id */
  readonly name?: string;
}

/**
 * A Calico network that already exists on the cluster, joined by the stack
 * without being managed by it: it installs no Universe package, owns no
 * profile and generates no policy. The stack's own {@link CalicoPolicy} and
 * {@link CalicoProfile} constructs are all there is, exactly as written.
 *
 * This is what `dcos-cdk import` produces, so that imported policies keep the
 * meaning they had in the operator's files. Environments attached to it mark
 * their apps with their label (`group: <env>`) as on a `CalicoNetwork`, but
 * `allowFrom`, `allowTo` and `allowPing` are not available: they need the
 * policies a `CalicoNetwork` generates. To move an imported stack to
 * generated isolation, replace this network with a `CalicoNetwork` and the
 * hand-written policies with `allowFrom`/`allowTo` calls.
 */
export class ExistingCalicoNetwork extends Construct implements INetwork {
  /** True when `x` is an {@link ExistingCalicoNetwork}, even from another copy of this package. */
  public static isExistingCalicoNetwork(x: unknown): x is ExistingCalicoNetwork {
    return hasBrand(x, 'ExistingCalicoNetwork');
  }

  /** Name apps use to join. */
  public readonly networkName: string;

  private readonly cluster: Cluster;
  private readonly environments: Environment[] = [];
  private governing?: ReadonlyArray<{ readonly id: string; readonly selector?: Selector }>;

  constructor(scope: Construct, id: string, props: ExistingCalicoNetworkProps = {}) {
    super(scope, id);
    brand(this, 'ExistingCalicoNetwork');
    this.cluster = Cluster.of(this);
    this.networkName = props.name ?? id;
    const registry = CalicoRegistry.of(this);
    registry.addNetwork(this);
    addSynthesisParticipant(this, {
      validate: (d) => checkEndpoints(this.environments, registry.environments(), this.cluster.formats.calico, d),
    });
  }

  /** @internal Called by Environment. */
  public attachEnvironment(env: Environment): void {
    this.environments.push(env);
    CalicoRegistry.of(this).addEnvironment(env);
  }

  /** Not available: the network generates no policy. Write a `CalicoPolicy` with `Rule.allowPing(...)`. */
  public allowPing(env: Environment): void {
    throw new Error(
      `${env.node.path}: allowPing() needs a CalicoNetwork, which generates the policy; ${this.node.path} is an ExistingCalicoNetwork, whose policies are written by hand. ` +
        'Add a CalicoPolicy with Rule.allowPing(...), or replace the network with a CalicoNetwork.',
    );
  }

  /**
   * @internal The artifacts an app must follow: the stack's profile of this
   * network and the stack's policies whose selector matches the app's labels
   * (the network's tag counted as a label), so an app never starts before the
   * policies that govern it.
   */
  public dependencyIdsFor(endpoint: INetworkEndpoint): readonly string[] {
    const labels = { ...endpoint.endpointLabels, [this.networkName]: '' };
    return this.governingResources()
      .filter((r) => r.selector === undefined || r.selector.matches(labels))
      .map((r) => r.id);
  }

  /** The stack's policies and this network's profile, read once (the tree is locked when apps emit). */
  private governingResources(): ReadonlyArray<{ readonly id: string; readonly selector?: Selector }> {
    if (this.governing) return this.governing;
    const found: Array<{ id: string; selector?: Selector }> = [];
    const grammar = { calicoVersion: this.cluster.formats.calico };
    for (const c of this.cluster.node.findAll()) {
      if (CalicoProfile.isCalicoProfile(c) && c.resourceName === this.networkName) found.push({ id: c.artifactId });
      if (!CalicoPolicy.isCalicoPolicy(c)) continue;
      const s = c.toResource().selector;
      try {
        found.push({ id: c.artifactId, selector: Selector.isSelector(s) ? s : Selector.parse(s, grammar) });
      } catch {
        // An invalid selector is reported by the policy itself; it governs nothing here.
      }
    }
    this.governing = found;
    return found;
  }
}
