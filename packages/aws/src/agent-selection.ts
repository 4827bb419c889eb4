import type { IConstruct } from 'constructs';
import type { Cluster, IAgentSelection } from '@dcos-cdk/dcos';
import { Ec2InstanceAttribute, type Ec2Filter } from './instance-attribute.js';

/** Options of {@link AgentSelection.ec2}. */
export interface Ec2AgentSelectionProps {
  /** Tags every selected instance carries, e.g. `{ 'dcos-role': 'private-agent' }`. */
  readonly tags: Readonly<Record<string, string>>;
  /** AWS region of the instances. */
  readonly region: string;
}

/** Ways to select a cluster's agents. */
export abstract class AgentSelection {
  /**
   * The EC2 instances carrying all the given tags. Networks that route
   * container addresses through them turn their source/destination check off.
   */
  public static ec2(props: Ec2AgentSelectionProps): IAgentSelection {
    return new Ec2AgentSelection(props);
  }
}

class Ec2AgentSelection implements IAgentSelection {
  public readonly description: string;
  private readonly filters: Ec2Filter[];
  private readonly attributes = new WeakMap<Cluster, Ec2InstanceAttribute>();

  constructor(private readonly props: Ec2AgentSelectionProps) {
    this.filters = Object.keys(props.tags)
      .sort()
      .map((k) => ({ Name: `tag:${k}`, Values: [props.tags[k]!] }));
    this.description = `EC2 instances in ${props.region} tagged ${Object.keys(props.tags)
      .sort()
      .map((k) => `${k}=${props.tags[k]}`)
      .join(', ')}`;
  }

  public allowForwarding(cluster: Cluster, _requestedBy: IConstruct): readonly string[] {
    let attr = this.attributes.get(cluster);
    if (!attr) {
      attr = new Ec2InstanceAttribute(cluster, 'PrivateAgentsSourceDestCheck', {
        region: this.props.region,
        filters: this.filters,
        description: `private agents (${this.description})`,
        attribute: 'sourceDestCheck',
        value: false,
      });
      this.attributes.set(cluster, attr);
    }
    return [attr.artifactId];
  }
}
