import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand, toYaml } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import type { Selector } from './selector/index.js';
import type { PolicyResource, PolicyScope, PolicyType } from './model/resources.js';
import type { RuleProps } from './model/rule.js';
import { validatePolicy } from './model/validate.js';
import { slug } from './names.js';
import { CalicoRegistry } from './registry.js';
import { emittable, reportProblems, type MistakeSeverity } from './report.js';
import { renderPolicy } from './render/resources.js';
import { rememberDocument } from './rendered-documents.js';

/** Options of a {@link CalicoPolicy}. */
export interface CalicoPolicyProps {
  /**
   * Calico name of the policy, unique in the cluster.
   * @default the construct path below the cluster, joined with dashes (`development-custom`)
   */
  readonly name?: string;
  /** Endpoints the policy applies to. A string is parsed for the cluster's Calico version. */
  readonly selector: Selector | string;
  /** Policies run in ascending order, then by name. @default none: after every ordered policy */
  readonly order?: number;
  /**
   * Directions the policy governs. calicoctl v1 cannot say it: a v1 policy
   * always governs both, so this must be absent or both for v1.
   * @default both directions
   */
  readonly types?: readonly PolicyType[];
  /** Rules for traffic to the selected endpoints, in order. @default [] */
  readonly ingress?: readonly RuleProps[];
  /** Rules for traffic from the selected endpoints, in order. @default [] */
  readonly egress?: readonly RuleProps[];
  /**
   * Calico v3 only: a `GlobalNetworkPolicy` (`global`) or a `NetworkPolicy`
   * (`namespace`), whose selector and rule selectors only match endpoints of
   * its namespace. calicoctl v1 has no namespaces and ignores this.
   * @default 'global'
   */
  readonly scope?: PolicyScope;
  /** Namespace of a `scope: 'namespace'` policy. DC/OS supports only `default`. @default 'default' */
  readonly namespace?: string;
  /** Untracked policy, for host endpoints only. @default false */
  readonly doNotTrack?: boolean;
  /** Calico v3 only: apply before DNAT, for host endpoints only. @default false */
  readonly preDNAT?: boolean;
  /**
   * Calico v3 only: also apply to traffic forwarded through host endpoints.
   * Calico requires it with `doNotTrack` or `preDNAT`.
   * @default true with doNotTrack or preDNAT, otherwise false
   */
  readonly applyOnForward?: boolean;
  /** Artifact ids that must be applied first. @default [] */
  readonly dependsOn?: readonly string[];
  /**
   * How synthesis reports what Calico accepts but that cannot work as
   * written (an `icmp` match without `protocol: icmp`, ...): as errors, or as
   * warnings, emitting the policy as written. `dcos-cdk import` sets
   * `'warning'` on policies it imports with such mistakes, so the stack means
   * exactly what the files meant; what Calico rejects is an error either way.
   * @default 'error'
   */
  readonly mistakes?: MistakeSeverity;
}

/**
 * A Calico policy. Emits one `calico-policy` artifact: calicoctl v1 `policy`
 * YAML, or Calico v3 `GlobalNetworkPolicy` (or `NetworkPolicy`) YAML, for
 * the cluster's version.
 */
export class CalicoPolicy extends Construct {
  /** True when `x` is a {@link CalicoPolicy}, even from another copy of this package. */
  public static isCalicoPolicy(x: unknown): x is CalicoPolicy {
    return hasBrand(x, 'CalicoPolicy');
  }

  /** Calico name of the policy. */
  public readonly resourceName: string;
  /** Bundle id of the policy's artifact. */
  public readonly artifactId: string;
  /** Order, if set. */
  public readonly order?: number;
  /** Global or namespaced (Calico v3). */
  public readonly scope: PolicyScope;

  private readonly props: CalicoPolicyProps;
  private readonly ingressRules: RuleProps[];
  private readonly egressRules: RuleProps[];
  private readonly dependsOn: string[];

  constructor(scope: Construct, id: string, props: CalicoPolicyProps) {
    super(scope, id);
    brand(this, 'CalicoPolicy');
    const cluster = Cluster.of(this);
    this.props = props;
    this.resourceName = props.name ?? defaultName(this, cluster);
    this.artifactId = `calico-policy:${this.resourceName}`;
    this.order = props.order;
    this.scope = props.scope ?? 'global';
    this.ingressRules = [...(props.ingress ?? [])];
    this.egressRules = [...(props.egress ?? [])];
    this.dependsOn = [...(props.dependsOn ?? [])];
    CalicoRegistry.of(this).addPolicy(this);

    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const version = cluster.formats.calico;
        const { model, problems } = validatePolicy(this.toResource(), version);
        reportProblems(this, problems, d, props.mistakes);
        if (model && emittable(problems, props.mistakes)) {
          const document = renderPolicy(model, version);
          rememberDocument(this, document);
          rendered = toYaml(document);
        }
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'calico-policy',
          file: `calico/policy/${this.resourceName}.yaml`,
          content: rendered!,
          dependsOn: this.dependsOn,
        }),
    });
  }

  /** Appends an ingress rule. */
  public addIngressRule(rule: RuleProps): void {
    this.ingressRules.push(rule);
  }

  /** Appends an egress rule. */
  public addEgressRule(rule: RuleProps): void {
    this.egressRules.push(rule);
  }

  /** Adds artifact ids that must be applied before this policy. */
  public addDependency(...artifactIds: string[]): void {
    this.dependsOn.push(...artifactIds);
  }

  /** The policy in the version-neutral rule model, as it stands now. */
  public toResource(): PolicyResource {
    const p = this.props;
    return {
      kind: 'policy',
      name: this.resourceName,
      scope: this.scope,
      namespace: p.namespace,
      order: p.order,
      selector: p.selector,
      types: p.types,
      ingress: [...this.ingressRules],
      egress: [...this.egressRules],
      doNotTrack: p.doNotTrack,
      preDNAT: p.preDNAT,
      applyOnForward: p.applyOnForward,
    };
  }
}

function defaultName(policy: Construct, cluster: Cluster): string {
  const below = policy.node.scopes.slice(cluster.node.scopes.length);
  return below.map((c) => slug(c.node.id)).filter((s) => s.length > 0).join('-');
}
