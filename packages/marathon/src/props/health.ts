/**
 * Health-check protocols. `HTTP`, `HTTPS` and `TCP` are run by Marathon;
 * `MESOS_*` and `COMMAND` by the Mesos executor next to the task (an app may
 * have at most one `MESOS_*` check).
 */
export type HealthCheckProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';

/** Timing of a health check; defaults are the ones Marathon applies. */
export interface HealthCheckTiming {
  /** Failures are ignored for this long after the task starts, or until it is first healthy. @default 300 */
  readonly gracePeriodSeconds?: number;
  /** Time between two checks. @default 60 */
  readonly intervalSeconds?: number;
  /** A check that takes longer fails. @default 20 */
  readonly timeoutSeconds?: number;
  /** The task is killed after this many failures in a row; 0 never kills. @default 3 */
  readonly maxConsecutiveFailures?: number;
  /** Wait before the first check (Mesos-side checks: `MESOS_*`, `COMMAND`). @default 15 */
  readonly delaySeconds?: number;
}

/** Which port a check connects to: give at most one of `port`, `portIndex`, `fixedPort`. */
export interface HealthCheckPortOptions {
  /**
   * Name of one of the app's `ports`. The library turns it into the form the
   * cluster's Marathon needs (`portIndex`, or the port number for Mesos
   * containers on a CNI network under Marathon 1.4).
   * @default the app's first port (Marathon applies `portIndex: 0`)
   */
  readonly port?: string;
  /** Index into the app's `ports` (Marathon `portIndex`); prefer `port`. @default 0 */
  readonly portIndex?: number;
  /** A fixed port number instead of one of the app's ports (Marathon `port`). @default none */
  readonly fixedPort?: number;
}

/** Options of HTTP(S) health checks. */
export interface HttpHealthCheckOptions extends HealthCheckTiming, HealthCheckPortOptions {
  /** Request path. @default none: Marathon requests the server root */
  readonly path?: string;
  /** Treat 1xx responses as neither healthy nor unhealthy. @default false */
  readonly ignoreHttp1xx?: boolean;
}

/** Options of TCP health checks. */
export interface TcpHealthCheckOptions extends HealthCheckTiming, HealthCheckPortOptions {}

/** Every option a health check can carry. */
export interface HealthCheckOptions extends HttpHealthCheckOptions {
  /** Shell command of a `COMMAND` check; exit code 0 means healthy. */
  readonly command?: string;
}

/**
 * A health check. Marathon kills a task whose check fails
 * `maxConsecutiveFailures` times in a row after the grace period.
 */
export class HealthCheck {
  /** HTTP check run by Marathon: a 2xx/3xx answer is healthy. */
  public static http(options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('HTTP', options);
  }

  /** HTTPS check run by Marathon (certificates are not verified). */
  public static https(options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('HTTPS', options);
  }

  /** TCP connect check run by Marathon. */
  public static tcp(options: TcpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('TCP', options);
  }

  /** HTTP check run by the Mesos executor on the agent. */
  public static mesosHttp(options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('MESOS_HTTP', options);
  }

  /** HTTPS check run by the Mesos executor on the agent. */
  public static mesosHttps(options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('MESOS_HTTPS', options);
  }

  /** TCP check run by the Mesos executor on the agent. */
  public static mesosTcp(options: TcpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('MESOS_TCP', options);
  }

  /** A shell command run in the task's container; exit code 0 means healthy. */
  public static command(command: string, options: HealthCheckTiming = {}): HealthCheck {
    return new HealthCheck('COMMAND', { ...options, command });
  }

  private constructor(
    /** Protocol of the check. */
    public readonly protocol: HealthCheckProtocol,
    /** Its options as given. */
    public readonly options: HealthCheckOptions,
  ) {}

  /** True when the check connects to a port (every protocol but COMMAND). */
  public get usesPort(): boolean {
    return this.protocol !== 'COMMAND';
  }
}

/** A readiness check: during deployments, a task counts as started only once it answers. */
export interface ReadinessCheckProps {
  /** Name of one of the app's `ports` to query. */
  readonly port: string;
  /** Name of the check. @default 'readinessCheck' */
  readonly name?: string;
  /** Protocol. @default 'HTTP' */
  readonly protocol?: 'HTTP' | 'HTTPS';
  /** Request path. @default '/' */
  readonly path?: string;
  /** Time between two checks. @default 30 */
  readonly intervalSeconds?: number;
  /** A check that takes longer fails; must be below intervalSeconds. @default 10 */
  readonly timeoutSeconds?: number;
  /** Status codes that mean ready. @default [200] */
  readonly httpStatusCodesForReady?: readonly number[];
  /** Keep the last response visible in the deployment API. @default false */
  readonly preserveLastResponse?: boolean;
}
