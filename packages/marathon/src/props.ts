import type { MarathonPort } from './port.js';

/** Options of a {@link MarathonApp}. */
export interface MarathonAppProps {
  /**
   * Marathon app id. A relative id is resolved against the root group, as
   * Marathon does (`frontend` becomes `/frontend`).
   * @default the construct id
   */
  readonly id?: string;
  /** Docker image run by the Mesos containerizer (UCR). */
  readonly image: string;
  /** Shell command. Exclusive with `args`. @default the image's entrypoint */
  readonly cmd?: string;
  /** Arguments to the image's entrypoint. Exclusive with `cmd`. @default none */
  readonly args?: readonly string[];
  /** CPU shares per instance. @default 1 */
  readonly cpus?: number;
  /** Memory per instance in MiB. @default 128 */
  readonly mem?: number;
  /** Scratch disk per instance in MiB. @default 0 */
  readonly disk?: number;
  /** Number of instances. @default 1 */
  readonly instances?: number;
  /** Ports the container listens on, by name. @default none */
  readonly ports?: readonly MarathonPort[];
  /**
   * Labels the task carries on the network (they become Calico endpoint
   * labels). The environment adds its own label (`group: <env>`).
   * @default { app: <construct id> }
   */
  readonly networkLabels?: Readonly<Record<string, string>>;
  /** Marathon app labels (not seen by the network). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
}
