/** Transport protocol of a port. */
export type PortProtocol = 'tcp' | 'udp';

/** Optional settings of a {@link MarathonPort}. */
export interface MarathonPortOptions {
  /**
   * Port on the agent mapped to the container port (container and bridge
   * networking only; with host networking `port` already is the host port).
   * 0 lets Mesos pick one.
   * @default container networking: no host port; bridge networking: 0 (Marathon's default)
   */
  readonly hostPort?: number;
  /**
   * Service port for load balancers (Marathon-LB); 0 lets Marathon assign a
   * cluster-wide unique one from 10000-20000.
   * @default 0 (assigned by Marathon)
   */
  readonly servicePort?: number;
  /** Port labels (Marathon `labels` of the port definition or mapping). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * A DC/OS layer-4 virtual IP for the port (the `VIP_0` port label). `true`
   * names it after the app: `<app id>:<port>`; a string is used as the label
   * value as is: `<name>:<port>` or `<ip>:<port>`. See `app.dns.vip(name)`.
   * @default no VIP
   */
  readonly vip?: boolean | string;
}

/** Everything that defines a port, for {@link MarathonPort.of}. */
export interface MarathonPortProps extends MarathonPortOptions {
  /** Port name, unique in the app (`^[a-z][a-z0-9-]*$`). @default unnamed */
  readonly name?: string;
  /**
   * The port number: the port the container listens on (container and bridge
   * networking), or the host port (host networking; 0 = any free port).
   */
  readonly port: number;
  /** Transport protocol. @default 'tcp' */
  readonly protocol?: PortProtocol;
}

/**
 * A port an app listens on. With container or bridge networking `port` is
 * the port inside the container; with host networking it is the port on the
 * agent (0 lets Mesos pick one).
 */
export class MarathonPort {
  /** A TCP port. */
  public static tcp(name: string, port: number, options: MarathonPortOptions = {}): MarathonPort {
    return new MarathonPort({ ...options, name, port, protocol: 'tcp' });
  }

  /** A UDP port. */
  public static udp(name: string, port: number, options: MarathonPortOptions = {}): MarathonPort {
    return new MarathonPort({ ...options, name, port, protocol: 'udp' });
  }

  /** A port from its full description; the only way to declare an unnamed port. */
  public static of(props: MarathonPortProps): MarathonPort {
    return new MarathonPort(props);
  }

  /** Port name, unique in the app; undefined for an unnamed port. */
  public readonly name?: string;
  /** Port number (see the class description). */
  public readonly port: number;
  /** Transport protocol. */
  public readonly protocol: PortProtocol;
  /** Host port of a container or bridge mapping, when set. */
  public readonly hostPort?: number;
  /** Service port, when set. */
  public readonly servicePort?: number;
  /** Port labels, when set. */
  public readonly labels?: Readonly<Record<string, string>>;
  /** VIP setting, when set. */
  public readonly vip?: boolean | string;

  private constructor(props: MarathonPortProps) {
    this.name = props.name;
    this.port = props.port;
    this.protocol = props.protocol ?? 'tcp';
    this.hostPort = props.hostPort;
    this.servicePort = props.servicePort;
    this.labels = props.labels;
    this.vip = props.vip;
  }
}
