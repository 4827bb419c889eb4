import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand, toYaml, type DiagnosticCollector } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import { Selector } from './selector/index.js';
import { resolveRule, type ResolvedRule } from './model/resolve.js';
import type { RuleProps } from './model/rule.js';
import { slug, V1_NAME, V3_POLICY_NAME } from './names.js';
import { CalicoRegistry } from './registry.js';
import { renderPolicy, type PolicyType } from './render/resources.js';

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
  /** Artifact ids that must be applied first. @default [] */
  readonly dependsOn?: readonly string[];
}

/**
 * A Calico policy. Emits one `calico-policy` artifact: calicoctl v1 `policy`
 * YAML or Calico v3 `GlobalNetworkPolicy` YAML, for the cluster's version.
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

  private readonly selectorInput: Selector | string;
  private readonly ingressRules: RuleProps[];
  private readonly egressRules: RuleProps[];
  private readonly types?: readonly PolicyType[];
  private readonly dependsOn: string[];

  constructor(scope: Construct, id: string, props: CalicoPolicyProps) {
    super(scope, id);
    brand(this, 'CalicoPolicy');
    const cluster = Cluster.of(this);
    this.resourceName = props.name ?? defaultName(this, cluster);
    this.artifactId = `calico-policy:${this.resourceName}`;
    this.order = props.order;
    this.selectorInput = props.selector;
    this.ingressRules = [...(props.ingress ?? [])];
    this.egressRules = [...(props.egress ?? [])];
    this.types = props.types;
    this.dependsOn = [...(props.dependsOn ?? [])];
    CalicoRegistry.of(this).addPolicy(this);

    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const model = this.resolve(cluster, d);
        if (model) rendered = toYaml(renderPolicy(model, cluster.formats.calico));
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

  /** Number of ingress rules so far. */
  public get ingressRuleCount(): number {
    return this.ingressRules.length;
  }

  private resolve(cluster: Cluster, d: DiagnosticCollector) {
    const version = cluster.formats.calico;
    let ok = true;
    const fail = (rule: string, message: string, fix: string): void => {
      ok = false;
      d.error(this, rule, message, fix);
    };
    if (version === 'v1' ? !V1_NAME.test(this.resourceName) : !V3_POLICY_NAME.test(this.resourceName) || this.resourceName.length > 253) {
      fail(
        'calico/policy-name',
        `Policy name '${this.resourceName}' is not valid for Calico ${version}.`,
        version === 'v1' ? 'Use 1-128 letters, digits, _, ., / or -.' : 'Use lower-case letters, digits and inner dashes (a DNS label).',
      );
    }
    if (this.order !== undefined && !Number.isFinite(this.order)) fail('calico/policy-order', `order ${this.order} is not a finite number.`, 'Use a number, or leave order out.');
    if (version === 'v1' && this.types && !(this.types.includes('ingress') && this.types.includes('egress'))) {
      fail('calico/policy-types', 'calicoctl v1.3 has no policy types: a v1 policy always governs both directions.', 'Leave `types` out for calicoctl v1, or target Calico v3.');
    }
    if (this.types && new Set(this.types).size !== this.types.length) fail('calico/policy-types', 'types lists a direction twice.', 'List each direction once.');
    let selector: Selector | undefined;
    try {
      selector = typeof this.selectorInput === 'string' ? Selector.parse(this.selectorInput, { calicoVersion: version }) : this.selectorInput;
    } catch (e) {
      fail('calico/selector-syntax', (e as Error).message, 'Fix the selector syntax, e.g. group == "development" && app == "frontend".');
    }
    const resolveAll = (rules: readonly RuleProps[], direction: string): ResolvedRule[] =>
      rules.map((r, i) => {
        const { rule, problems } = resolveRule(r, version);
        for (const p of problems) fail(p.field.endsWith('selector') || p.field.endsWith('notSelector') ? 'calico/selector-syntax' : 'calico/rule', `${direction}[${i}].${p.field}: ${p.message}`, p.fix);
        return rule;
      });
    const ingress = resolveAll(this.ingressRules, 'ingress');
    const egress = resolveAll(this.egressRules, 'egress');
    if (!ok || !selector) return undefined;
    return { name: this.resourceName, order: this.order, selector, types: this.types, ingress, egress };
  }
}

function defaultName(policy: Construct, cluster: Cluster): string {
  const below = policy.node.scopes.slice(cluster.node.scopes.length);
  return below.map((c) => slug(c.node.id)).filter((s) => s.length > 0).join('-');
}
