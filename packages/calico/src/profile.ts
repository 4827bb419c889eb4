import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand, toYaml } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import type { ProfileResource } from './model/resources.js';
import type { RuleProps } from './model/rule.js';
import { validateProfile } from './model/validate.js';
import { emittable, reportProblems, type MistakeSeverity } from './report.js';
import { renderProfile } from './render/resources.js';
import { rememberDocument } from './rendered-documents.js';

/** Options of a {@link CalicoProfile}. */
export interface CalicoProfileProps {
  /** Calico name of the profile (the CNI plugin names it after the network). */
  readonly name: string;
  /** v1 tags; in v3 each becomes a label with value "". @default [] */
  readonly tags?: readonly string[];
  /** Labels applied to every endpoint with the profile. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Ingress rules, in order. @default [] (drop) */
  readonly ingress?: readonly RuleProps[];
  /** Egress rules, in order. @default [] (drop) */
  readonly egress?: readonly RuleProps[];
  /** Artifact ids that must be applied first. @default [] */
  readonly dependsOn?: readonly string[];
  /**
   * How synthesis reports what Calico accepts but that cannot work as
   * written: as errors, or as warnings, emitting the profile as written (see
   * `CalicoPolicyProps.mistakes`).
   * @default 'error'
   */
  readonly mistakes?: MistakeSeverity;
}

/**
 * A Calico profile: the rules that decide for an endpoint no policy selects.
 * Emits one `calico-profile` artifact: calicoctl v1 `profile` (tags and
 * labels) or Calico v3 `Profile` (`labelsToApply`).
 */
export class CalicoProfile extends Construct {
  /** True when `x` is a {@link CalicoProfile}, even from another copy of this package. */
  public static isCalicoProfile(x: unknown): x is CalicoProfile {
    return hasBrand(x, 'CalicoProfile');
  }

  /** Calico name of the profile. */
  public readonly resourceName: string;
  /** Bundle id of the profile's artifact. */
  public readonly artifactId: string;

  private readonly props: CalicoProfileProps;

  constructor(scope: Construct, id: string, props: CalicoProfileProps) {
    super(scope, id);
    brand(this, 'CalicoProfile');
    const cluster = Cluster.of(this);
    this.props = props;
    this.resourceName = props.name;
    this.artifactId = `calico-profile:${props.name}`;
    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const version = cluster.formats.calico;
        const { model, problems } = validateProfile(this.toResource(), version);
        reportProblems(this, problems, d, props.mistakes);
        if (model && emittable(problems, props.mistakes)) {
          const document = renderProfile(model, version);
          rememberDocument(this, document);
          rendered = toYaml(document);
        }
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'calico-profile',
          file: `calico/profile/${props.name}.yaml`,
          content: rendered!,
          dependsOn: props.dependsOn,
        }),
    });
  }

  /** The profile in the version-neutral rule model. */
  public toResource(): ProfileResource {
    const p = this.props;
    return { kind: 'profile', name: p.name, tags: p.tags ?? [], labels: p.labels ?? {}, ingress: p.ingress ?? [], egress: p.egress ?? [] };
  }
}
