import { Construct } from 'constructs';
import { addSynthesisParticipant } from '@dcos-cdk/core';

/** An EC2 `DescribeInstances` filter. */
export interface Ec2Filter {
  readonly Name: string;
  readonly Values: readonly string[];
}

/** Options of {@link Ec2InstanceAttribute}. */
export interface Ec2InstanceAttributeProps {
  /** AWS region of the instances. */
  readonly region: string;
  /** Filters that select the instances (tags as `tag:<key>`). */
  readonly filters: readonly Ec2Filter[];
  /** What the selection is, for humans, e.g. `private agents`. */
  readonly description: string;
  /** The attribute to set; only `sourceDestCheck` is modelled. */
  readonly attribute: 'sourceDestCheck';
  /** The value the attribute must have. */
  readonly value: boolean;
}

/**
 * An attribute that every selected EC2 instance must have. Emits an
 * `ec2-instance-attribute` artifact: the selection as DescribeInstances
 * filters, and the attribute value ModifyInstanceAttribute must set.
 */
export class Ec2InstanceAttribute extends Construct {
  /** Bundle id of the artifact. */
  public readonly artifactId: string;

  constructor(scope: Construct, id: string, props: Ec2InstanceAttributeProps) {
    super(scope, id);
    const slug = id.replace(/[^A-Za-z0-9-]+/g, '-').toLowerCase();
    this.artifactId = `ec2-instance-attribute:${slug}`;
    addSynthesisParticipant(this, {
      validate: (d) => {
        if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(props.region)) {
          d.error(this, 'aws/region', `'${props.region}' is not an AWS region name.`, "Use a region such as 'us-west-2'.");
        }
        if (props.filters.length === 0 || props.filters.some((f) => f.Values.length === 0)) {
          d.error(this, 'aws/agent-filters', 'The EC2 selection has no filter (or a filter with no value), so it would change every instance of the account.', 'Select the agents by at least one tag with a value, e.g. { "dcos-role": "private-agent" }.');
        }
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'ec2-instance-attribute',
          file: `ec2/${slug}.json`,
          content:
            JSON.stringify(
              { description: props.description, region: props.region, filters: props.filters, attribute: props.attribute, value: props.value },
              null,
              2,
            ) + '\n',
        }),
    });
  }
}
