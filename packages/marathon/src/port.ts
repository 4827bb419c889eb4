import type { EndpointPort } from '@dcos-cdk/dcos';

/** A port an app listens on, by name. */
export class MarathonPort implements EndpointPort {
  /** A TCP port. */
  public static tcp(name: string, port: number): MarathonPort {
    return new MarathonPort(name, port, 'tcp');
  }

  /** A UDP port. */
  public static udp(name: string, port: number): MarathonPort {
    return new MarathonPort(name, port, 'udp');
  }

  private constructor(
    /** Port name, unique in the app (`^[a-z0-9-]+$`). */
    public readonly name: string,
    /** Port number in the container. */
    public readonly port: number,
    /** Transport protocol. */
    public readonly protocol: 'tcp' | 'udp',
  ) {}
}
