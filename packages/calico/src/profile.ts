import { Construct } from 'constructs';
import { addSynthesisParticipant, toYaml } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import { resolveRule } from './model/resolve.js';
import type { RuleProps } from './model/rule.js';
import { V1_NAME, V3_NAME } from './names.js';
import { renderProfile } from './render/resources.js';

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
}

/**
 * A Calico profile: the rules that decide for an endpoint no policy selects.
 * Emits one `calico-profile` artifact.
 */
export class CalicoProfile extends Construct {
  /** Calico name of the profile. */
  public readonly resourceName: string;
  /** Bundle id of the profile's artifact. */
  public readonly artifactId: string;

  constructor(scope: Construct, id: string, props: CalicoProfileProps) {
    super(scope, id);
    const cluster = Cluster.of(this);
    this.resourceName = props.name;
    this.artifactId = `calico-profile:${props.name}`;
    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const version = cluster.formats.calico;
        let ok = true;
        if (version === 'v1' ? !V1_NAME.test(props.name) : !V3_NAME.test(props.name)) {
          ok = false;
          d.error(this, 'calico/profile-name', `Profile name '${props.name}' is not valid for Calico ${version}.`, 'Use lower-case letters, digits, dots and inner dashes.');
        }
        const resolve = (rules: readonly RuleProps[], dir: string) =>
          rules.map((r, i) => {
            const res = resolveRule(r, version);
            for (const p of res.problems) {
              ok = false;
              d.error(this, 'calico/rule', `${dir}[${i}].${p.field}: ${p.message}`, p.fix);
            }
            return res.rule;
          });
        const ingress = resolve(props.ingress ?? [], 'ingress');
        const egress = resolve(props.egress ?? [], 'egress');
        const model = { name: props.name, tags: props.tags ?? [], labels: props.labels ?? {}, ingress, egress };
        if (ok) rendered = toYaml(renderProfile(model, version));
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
}
