import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand } from '@dcos-cdk/core';
import { Cluster } from './cluster.js';
import type { INetwork, INetworkEndpoint } from './network.js';

/** Options of an {@link Environment}. */
export interface EnvironmentProps {
  /** The network the environment's apps join. */
  readonly network: INetwork;
  /** Environment name, used in labels and resource names. @default the construct id */
  readonly name?: string;
  /** Label key that marks an app's environment. @default 'group' */
  readonly labelKey?: string;
  /**
   * Whether traffic between this environment and another one is an error
   * (`true`) or a warning (`false`) when analysis finds it.
   * @default true
   */
  readonly isolated?: boolean;
  /**
   * Where the environment's apps may open connections: `allow` lets them
   * reach their own environment and anything outside the cluster;
   * `restricted` only their own environment and the peers they name
   * (`app.allowTo(...)`). Other environments are never reachable unless a
   * rule names them.
   * @default 'allow'
   */
  readonly egress?: 'allow' | 'restricted';
  /**
   * Marathon group the environment's apps live in, e.g. `/development` or
   * `/development/frontend`. Relative app ids resolve against it as Marathon
   * resolves ids inside a group (`web` becomes `/development/web`, `../x`
   * becomes `/x`); absolute ids are used as given.
   * @default none: relative ids resolve against the root group (`web` becomes `/web`)
   */
  readonly marathonGroup?: string;
}

const ENV_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** One segment of a Marathon path (Marathon `PathId`): dot-separated DNS labels. */
const GROUP_SEGMENT = /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;

/**
 * A set of apps that may talk to each other and to nothing else unless a
 * rule says so: development, production, ... Every app of the environment
 * carries the label `<labelKey>: <name>` on the network.
 */
export class Environment extends Construct {
  /** True when `x` is an {@link Environment}, even from another copy of this package. */
  public static isEnvironment(x: unknown): x is Environment {
    return hasBrand(x, 'Environment');
  }

  /** The environment `scope` belongs to; throws a clear error outside one. */
  public static of(scope: Construct): Environment {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = scopes[i];
      if (Environment.isEnvironment(s)) return s;
    }
    throw new Error(`${scope.node.path || '<root>'}: must be created inside an Environment (new Environment(cluster, 'development', { network })).`);
  }

  /** The cluster the environment is in. */
  public readonly cluster: Cluster;
  /** The network its apps join. */
  public readonly network: INetwork;
  /** Environment name. */
  public readonly environmentName: string;
  /** Label key marking membership. */
  public readonly labelKey: string;
  /** Whether traffic with other environments is an error. */
  public readonly isolated: boolean;
  /** Egress mode; see {@link EnvironmentProps.egress}. */
  public readonly egress: 'allow' | 'restricted';
  /** Absolute Marathon group of the environment's apps (e.g. `/development`), when one was given. */
  public readonly marathonGroup?: string;

  private readonly members = new Map<string, INetworkEndpoint>();
  private ping = false;

  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id);
    brand(this, 'Environment');
    this.cluster = Cluster.of(this);
    this.network = props.network;
    this.environmentName = props.name ?? id;
    this.labelKey = props.labelKey ?? 'group';
    this.isolated = props.isolated ?? true;
    this.egress = props.egress ?? 'allow';
    const group = props.marathonGroup;
    this.marathonGroup = group === undefined ? undefined : `/${group.split('/').filter((s) => s.length > 0).join('/')}`;
    addSynthesisParticipant(this, {
      validate: (d) => {
        if (!ENV_NAME.test(this.environmentName)) {
          d.error(this, 'dcos/environment-name', `Environment name '${this.environmentName}' is not valid: it becomes a label value and part of policy names.`, 'Use lower-case letters, digits and inner dashes, e.g. "development".');
        }
        if (group !== undefined) {
          const segments = group.split('/').filter((s) => s.length > 0);
          const bad = segments.find((s) => !GROUP_SEGMENT.test(s));
          if (segments.length === 0 || bad !== undefined) {
            d.error(
              this,
              'dcos/marathon-group',
              `marathonGroup '${group}' is not a Marathon group path: ${bad === undefined ? 'it names the root group' : `segment '${bad}' is not a valid name`}.`,
              'Use "/"-separated names of lower-case letters, digits, inner dashes and dots, e.g. "/development/frontend"; leave marathonGroup out for the root group.',
            );
          }
        }
        if (Cluster.of(this.network) !== this.cluster) {
          d.error(this, 'dcos/environment-network', `Network ${this.network.node.path} belongs to another cluster.`, 'Use a network of the cluster the environment is in.');
        }
      },
    });
    this.network.attachEnvironment(this);
  }

  /** The label every member carries: `{ [labelKey]: name }`. */
  public get membershipLabel(): Readonly<Record<string, string>> {
    return { [this.labelKey]: this.environmentName };
  }

  /** Registers an endpoint (called by the app constructs). */
  public addMember(endpoint: INetworkEndpoint): void {
    this.members.set(endpoint.node.path, endpoint);
  }

  /** The environment's endpoints, in the order they were created. */
  public get endpoints(): readonly INetworkEndpoint[] {
    return [...this.members.values()];
  }

  /** Lets the environment's apps ping each other (ICMP echo request), and nothing else. */
  public allowPing(): void {
    if (this.ping) return;
    this.ping = true;
    this.network.allowPing(this);
  }
}
