/** Upgrade strategy: how many tasks may be down or extra while a new version rolls out. */
export interface UpgradeStrategyProps {
  /**
   * Share of `instances` that must stay healthy during an upgrade, in [0, 1].
   * @default 1 (0.5 for apps with persistent volumes)
   */
  readonly minimumHealthCapacity?: number;
  /**
   * Share of `instances` that may run in addition during an upgrade, in [0, 1].
   * Must be 0 for apps with persistent volumes and for single-instance apps.
   * @default 1 (0 for apps with persistent volumes)
   */
  readonly maximumOverCapacity?: number;
}

/**
 * What Marathon does with tasks on unreachable agents: `'disabled'` waits for
 * them forever; otherwise a replacement starts after `inactiveAfterSeconds`
 * and the old task is expunged after `expungeAfterSeconds`.
 * Marathon's default: inactive after 300 s, expunged after 600 s ('disabled'
 * for apps with persistent volumes, which must keep it disabled).
 */
export type UnreachableStrategy =
  | 'disabled'
  | {
      /** Start a replacement after this long. @default 300 */
      readonly inactiveAfterSeconds?: number;
      /** Forget the unreachable task after this long; at least inactiveAfterSeconds. @default 600 */
      readonly expungeAfterSeconds?: number;
    };

/** Which tasks Marathon kills first when it scales down. */
export type KillSelection = 'YOUNGEST_FIRST' | 'OLDEST_FIRST';

/** A file the Mesos fetcher downloads into the sandbox before the task starts. */
export interface FetchProps {
  /** What to fetch (http, https, ftp, hdfs, s3, file ...). */
  readonly uri: string;
  /** Unpack archives (.tgz, .zip, ...). @default true */
  readonly extract?: boolean;
  /** Make the file executable. @default false */
  readonly executable?: boolean;
  /** Use the agent's fetcher cache. @default false */
  readonly cache?: boolean;
  /** File name in the sandbox. @default the URI's last path segment */
  readonly destPath?: string;
}

/** How Marathon treats lost tasks of an app with persistent volumes. */
export interface ResidencyProps {
  /** Relaunch elsewhere if the task cannot restart on its agent for this long. @default 3600 */
  readonly relaunchEscalationTimeoutSeconds?: number;
  /** On TASK_LOST: wait for the agent, or relaunch after the timeout. @default 'WAIT_FOREVER' */
  readonly taskLostBehavior?: 'WAIT_FOREVER' | 'RELAUNCH_AFTER_TIMEOUT';
}
