import { Construct } from 'constructs';
import { addSynthesisParticipant, brand, hasBrand } from '@dcos-cdk/core';
import { Cluster, Environment, type EndpointPort, type INetworkEndpoint } from '@dcos-cdk/dcos';
import { calicoNetworkOf, Peer, type PortRef } from '@dcos-cdk/calico';
import type { MarathonAppProps } from './props.js';
import type { MarathonPort } from './port.js';
import { MarathonRegistry } from './registry.js';
import { renderApp, type AppModel } from './render.js';
import { validateAppDefinition, type MarathonApiVersion } from './validation/index.js';

/**
 * A Marathon app in an environment, attached to the environment's network.
 * Emits one `marathon-app` artifact: the app definition in the format of the
 * cluster's Marathon, checked with Marathon's own validation rules.
 */
export class MarathonApp extends Construct implements INetworkEndpoint {
  /** True when `x` is a {@link MarathonApp}, even from another copy of this package. */
  public static isMarathonApp(x: unknown): x is MarathonApp {
    return hasBrand(x, 'MarathonApp');
  }

  /** Absolute Marathon app id, e.g. `/frontend`. */
  public readonly marathonId: string;
  /** The environment the app belongs to. */
  public readonly environment: Environment;
  /** Bundle id of the app's artifact. */
  public readonly artifactId: string;
  /** Labels the task carries on the network, the environment's label included. */
  public readonly endpointLabels: Readonly<Record<string, string>>;
  /** Ports the app listens on. */
  public readonly ports: readonly MarathonPort[];

  private readonly props: MarathonAppProps;
  private readonly cluster: Cluster;

  constructor(scope: Construct, id: string, props: MarathonAppProps) {
    super(scope, id);
    brand(this, 'MarathonApp');
    this.props = props;
    this.environment = Environment.of(this);
    this.cluster = this.environment.cluster;
    const rawId = props.id ?? id;
    this.marathonId = rawId.startsWith('/') ? rawId : `/${rawId}`;
    this.artifactId = `marathon-app:${this.marathonId}`;
    this.ports = props.ports ?? [];
    this.endpointLabels = { ...(props.networkLabels ?? { app: id }), ...this.environment.membershipLabel };
    this.environment.addMember(this);
    MarathonRegistry.of(this).add(this);

    let rendered: string | undefined;
    addSynthesisParticipant(this, {
      validate: (d) => {
        const json = renderApp(this.model(), this.cluster.formats.marathon);
        const envKey = this.environment.labelKey;
        if (props.networkLabels && envKey in props.networkLabels) {
          d.error(this, 'marathon/environment-label', `networkLabels sets '${envKey}', the label the environment uses to mark its apps; the app would leave its environment's isolation.`, `Remove '${envKey}' from networkLabels; the environment sets it.`);
        }
        const issues = validateAppDefinition(json, apiVersion(this.cluster.formats.marathon));
        for (const issue of issues) {
          d.error(this, 'marathon/app-definition', `Marathon would reject the app at ${issue.path}: ${issue.message}`, issue.fix);
        }
        if (issues.length === 0) rendered = JSON.stringify(json, null, 2) + '\n';
      },
      emit: (ctx) =>
        ctx.addArtifact(this, {
          id: this.artifactId,
          kind: 'marathon-app',
          file: `marathon${this.marathonId}.json`,
          content: rendered!,
          dependsOn: this.environment.network.dependencyIdsFor(this.environment),
        }),
    });
  }

  /** Name shown in analysis and errors: the Marathon id. */
  public get endpointName(): string {
    return this.marathonId;
  }

  /** Ports as the network sees them. */
  public get endpointPorts(): readonly EndpointPort[] {
    return this.ports;
  }

  /**
   * Lets `peer` (an app, an environment, or addresses outside the cluster)
   * open connections to this app's port named `port`. Only that flow is
   * allowed; the peer's own environment lets it out when needed.
   */
  public allowFrom(peer: Peer | INetworkEndpoint, port: PortRef): void {
    calicoNetworkOf(this).allowIngress(this, Peer.from(peer), port);
  }

  /**
   * Lets this app open connections to `peer` on `port` (a port name of the
   * peer app, or a number and protocol).
   */
  public allowTo(peer: Peer | INetworkEndpoint, port: PortRef): void {
    calicoNetworkOf(this).allowEgress(this, Peer.from(peer), port);
  }

  private model(): AppModel {
    const p = this.props;
    return {
      id: this.marathonId,
      image: p.image,
      cmd: p.cmd,
      args: p.args,
      cpus: p.cpus,
      mem: p.mem,
      disk: p.disk,
      instances: p.instances,
      env: p.env,
      labels: p.labels,
      networkName: this.environment.network.networkName,
      networkLabels: this.endpointLabels,
      ports: this.ports,
    };
  }
}

function apiVersion(v: string): MarathonApiVersion {
  return v === '1.4' ? '1.4' : '1.5';
}
