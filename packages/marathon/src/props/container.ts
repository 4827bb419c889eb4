/** Containerizer: `MESOS` (UCR, runs Docker images without a Docker daemon) or `DOCKER`. */
export type ContainerType = 'MESOS' | 'DOCKER';

/** Read-only or read-write. */
export type VolumeMode = 'RO' | 'RW';

/** One `docker run` parameter (Docker containerizer only). */
export interface DockerParameter {
  /** Parameter name without dashes, e.g. `hostname`, `label`. */
  readonly key: string;
  /** Parameter value. */
  readonly value: string;
}

/** The container of an app; the image itself is the app's `image` prop. */
export interface MarathonContainerProps {
  /**
   * Containerizer. The library always writes the type; Marathon itself would
   * assume DOCKER for a container without one.
   * @default 'MESOS'
   */
  readonly type?: ContainerType;
  /** Pull the image on every launch, even when the agent has it. @default false */
  readonly forcePullImage?: boolean;
  /** Run the container privileged (Docker containerizer only). @default false */
  readonly privileged?: boolean;
  /** Extra `docker run` parameters (Docker containerizer only). @default none */
  readonly parameters?: readonly DockerParameter[];
  /** Volumes mounted into the container. @default none */
  readonly volumes?: readonly Volume[];
  /**
   * Name of a secret (declared in the app's `secrets`) holding a Docker
   * `config.json` used to pull the image: Marathon 1.5+, Mesos containerizer,
   * DC/OS Enterprise.
   * @default none
   */
  readonly pullConfigSecret?: string;
}

/** Options of {@link Volume.persistent}. */
export interface PersistentVolumeOptions {
  /** Size in MiB. */
  readonly size: number;
  /** Mesos disk resource type. @default 'root' */
  readonly type?: 'root' | 'path' | 'mount';
  /** For `mount` disks: the largest disk to accept, in MiB. @default none */
  readonly maxSize?: number;
  /** Access mode. @default 'RW' */
  readonly mode?: VolumeMode;
}

/** Marathon JSON of a volume (`container.volumes[]`). */
export interface VolumeJson {
  /** Mount path in the container (a plain name for persistent volumes). */
  readonly containerPath: string;
  /** Host volumes: the agent path. */
  readonly hostPath?: string;
  /** Access mode (host and persistent volumes). */
  readonly mode?: VolumeMode;
  /** Persistent volumes: disk type and size in MiB. */
  readonly persistent?: { readonly type?: 'root' | 'path' | 'mount'; readonly size: number; readonly maxSize?: number };
  /** Secret volumes: name of the secret in the app's `secrets`. */
  readonly secret?: string;
}

/**
 * A volume of an app's container. A persistent volume makes the app
 * "resident": Marathon pins its tasks to the agents holding the volumes,
 * needs `upgradeStrategy.maximumOverCapacity` 0 and `unreachableStrategy`
 * 'disabled', and defaults minimumHealthCapacity to 0.5.
 */
export class Volume {
  /** A path of the agent mounted into the container. */
  public static host(containerPath: string, hostPath: string, mode: VolumeMode = 'RW'): Volume {
    return new Volume('host', { containerPath, hostPath, mode });
  }

  /** A local persistent volume; `containerPath` is relative to the sandbox (no `/`). */
  public static persistent(containerPath: string, options: PersistentVolumeOptions): Volume {
    const persistent = {
      ...(options.type === undefined ? {} : { type: options.type }),
      size: options.size,
      ...(options.maxSize === undefined ? {} : { maxSize: options.maxSize }),
    };
    return new Volume('persistent', { containerPath, mode: options.mode ?? 'RW', persistent });
  }

  /**
   * A file with the value of a secret declared in the app's `secrets`
   * (Marathon 1.5+, DC/OS Enterprise). Marathon 1.5's JSON schema does not
   * list this volume type although the server accepts it.
   */
  public static secret(containerPath: string, secretName: string): Volume {
    return new Volume('secret', { containerPath, secret: secretName });
  }

  private constructor(
    /** Kind of volume. */
    public readonly kind: 'host' | 'persistent' | 'secret',
    /** The volume as Marathon JSON. */
    public readonly json: VolumeJson,
  ) {}
}
