import type { Environment } from '@dcos-cdk/dcos';
import type { MarathonApp } from '../app.js';
import type { MarathonPort } from '../port.js';
import type { Constraint } from './constraints.js';
import type { MarathonContainerProps } from './container.js';
import type { EnvValue, SecretProps } from './env.js';
import type { HealthCheck, ReadinessCheckProps } from './health.js';
import type { Networking } from './networking.js';
import type {
  FetchProps,
  KillSelection,
  ResidencyProps,
  UnreachableStrategy,
  UpgradeStrategyProps,
} from './scheduling.js';

/** What an app waits for: another app, an environment's Marathon group, or a Marathon id or group path. */
export type MarathonDependency = MarathonApp | Environment | string;

/**
 * Options of a {@link MarathonApp}: the whole Marathon app definition, typed.
 * Defaults are the ones Marathon applies; the library only writes what is set.
 */
export interface MarathonAppProps {
  /**
   * Marathon app id. An absolute id (`/shop/web`) is used as given; a
   * relative one resolves against the environment's `marathonGroup` as
   * Marathon resolves ids in a group (`web` -> `/development/web`,
   * `../web` -> `/web`), or against the root group.
   * @default the construct id
   */
  readonly id?: string;
  /**
   * Docker image the container runs (with either containerizer).
   * @default none: the app runs `cmd` on the agent without a container image
   */
  readonly image?: string;
  /** Container settings besides the image. @default a Mesos (UCR) container when `image` is set */
  readonly container?: MarathonContainerProps;
  /** Shell command (`/bin/sh -c`). Exclusive with `args`. @default the image's entrypoint */
  readonly cmd?: string;
  /** Arguments to the image's entrypoint. Exclusive with `cmd`. @default none */
  readonly args?: readonly string[];
  /** User the task runs as. @default the agent's default (the Mesos framework user) */
  readonly user?: string;
  /** CPU shares per instance. @default 1 */
  readonly cpus?: number;
  /** Memory per instance in MiB. @default 128 */
  readonly mem?: number;
  /** Scratch disk per instance in MiB. @default 0 */
  readonly disk?: number;
  /** GPUs per instance (Mesos containerizer only). @default 0 */
  readonly gpus?: number;
  /** Number of instances. @default 1 */
  readonly instances?: number;
  /**
   * How the tasks are networked; see {@link Networking}.
   * @default Networking.container(): the environment's network
   */
  readonly networking?: Networking;
  /** Ports the app listens on; their meaning depends on `networking`. @default none */
  readonly ports?: readonly MarathonPort[];
  /**
   * Labels the task carries on the environment's network (they become Calico
   * endpoint labels). The environment adds its own label (`group: <env>`).
   * @default { app: <construct id> }
   */
  readonly networkLabels?: Readonly<Record<string, string>>;
  /** Marathon app labels (not seen by the network). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Environment variables; `{ secret: name }` reads a declared secret. @default none */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /**
   * Secrets of the DC/OS Enterprise secret store the app reads, by name
   * (`env` values and secret volumes refer to the name). Needs a cluster
   * with `variant: 'enterprise'`.
   * @default none
   */
  readonly secrets?: Readonly<Record<string, SecretProps>>;
  /** Placement constraints. @default none */
  readonly constraints?: readonly Constraint[];
  /** Health checks. @default none */
  readonly healthChecks?: readonly HealthCheck[];
  /** Readiness checks used during deployments. @default none */
  readonly readinessChecks?: readonly ReadinessCheckProps[];
  /** Rolling-upgrade limits. @default { minimumHealthCapacity: 1, maximumOverCapacity: 1 } */
  readonly upgradeStrategy?: UpgradeStrategyProps;
  /** Delay before relaunching a failed task. @default 1 */
  readonly backoffSeconds?: number;
  /** Factor the delay grows by after each failure. @default 1.15 */
  readonly backoffFactor?: number;
  /** Upper bound of the relaunch delay. @default 3600 */
  readonly maxLaunchDelaySeconds?: number;
  /** Files the Mesos fetcher downloads into the sandbox. @default none */
  readonly fetch?: readonly FetchProps[];
  /** Which tasks go first when scaling down. @default 'YOUNGEST_FIRST' */
  readonly killSelection?: KillSelection;
  /** Handling of tasks on unreachable agents. @default inactive after 300 s, expunged after 600 s */
  readonly unreachableStrategy?: UnreachableStrategy;
  /** Time between SIGTERM and SIGKILL when a task is killed. @default 3 (Mesos' default) */
  readonly taskKillGracePeriodSeconds?: number;
  /** Mesos roles whose resources the app accepts, e.g. `['slave_public']`. @default any role Marathon may use */
  readonly acceptedResourceRoles?: readonly string[];
  /** Executor to run the task with. @default '' (Mesos' command executor) */
  readonly executor?: string;
  /** Lost-task handling of apps with persistent volumes. @default Marathon's (see ResidencyProps) */
  readonly residency?: ResidencyProps;
  /** Allocate a TTY (Marathon 1.5+). @default false */
  readonly tty?: boolean;
  /**
   * Apps and groups that must be deployed before this app. Written to the
   * app's Marathon `dependencies` and to the bundle manifest's `dependsOn`
   * (every app of the stack the dependency names), so `deploy` orders them
   * too. A relative string resolves against the app's own group.
   * @default none
   */
  readonly dependsOn?: readonly MarathonDependency[];
}
