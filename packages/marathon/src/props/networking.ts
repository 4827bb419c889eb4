/** How an app is networked; see {@link Networking}. */
export type NetworkingMode = 'container' | 'host' | 'bridge';

/** Options of {@link Networking.host}. */
export interface HostNetworkingOptions {
  /**
   * Use exactly the port numbers given in `ports` on the agent (Marathon
   * `requirePorts`); otherwise non-zero numbers are only service ports and
   * Mesos picks free host ports.
   * @default false
   */
  readonly requirePorts?: boolean;
}

/** Options of {@link Networking.bridge} and {@link Networking.cni}. */
export interface NetworkLabelsOptions {
  /** Labels passed to the network (CNI plugin). @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * How an app's tasks are networked. One description, rendered for the
 * cluster's Marathon:
 *
 * | mode | Marathon 1.4 (DC/OS 1.9) | Marathon 1.5+ (DC/OS 1.10+) |
 * | --- | --- | --- |
 * | `container()` | `ipAddress` (+ `discovery.ports`, or Docker `USER` + `docker.portMappings`) | `networks: [{mode: container}]` + `container.portMappings` |
 * | `host()` | `portDefinitions` (Docker: `docker.network: HOST`) | `networks: [{mode: host}]` + `portDefinitions` |
 * | `bridge()` | Docker `BRIDGE` + `docker.portMappings` | `networks: [{mode: container/bridge}]` + `container.portMappings` |
 *
 * Only apps on their environment's network (`container()`, the default) are
 * endpoints of that network: they carry the environment's labels, can be
 * named in `allowFrom`/`allowTo` and are isolated by its policies. Host and
 * bridge tasks use the agent's address, which Calico policies do not select.
 */
export class Networking {
  /** The environment's network (a Calico network, usually). The default. */
  public static container(): Networking {
    return new Networking('container');
  }

  /**
   * Another CNI network, by name (e.g. the DC/OS overlay `dcos`). The app is
   * not an endpoint of its environment's network.
   */
  public static cni(networkName: string, options: NetworkLabelsOptions = {}): Networking {
    return new Networking('container', networkName, options.labels);
  }

  /** The agent's network namespace; `ports` are host ports. Not a network endpoint. */
  public static host(options: HostNetworkingOptions = {}): Networking {
    return new Networking('host', undefined, undefined, options.requirePorts);
  }

  /**
   * A bridge on the agent with port mappings (Docker `BRIDGE`; with the Mesos
   * containerizer the `mesos-bridge` CNI network, Marathon 1.5+ only). Not a
   * network endpoint.
   */
  public static bridge(options: NetworkLabelsOptions = {}): Networking {
    return new Networking('bridge', undefined, options.labels);
  }

  private constructor(
    /** Networking mode. */
    public readonly mode: NetworkingMode,
    /** For `cni(...)`: the network joined instead of the environment's. */
    public readonly networkName?: string,
    /** Labels given to `cni(...)` or `bridge(...)`. */
    public readonly labels?: Readonly<Record<string, string>>,
    /** For `host(...)`: Marathon `requirePorts`. */
    public readonly requirePorts?: boolean,
  ) {}

  /** True for the environment's own network (`container()`). */
  public get isEnvironmentNetwork(): boolean {
    return this.mode === 'container' && this.networkName === undefined;
  }
}
