import { addSynthesisParticipant } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import type { IConstruct } from 'constructs';

interface Identified extends IConstruct {
  readonly marathonId: string;
}

/** Per-cluster index of Marathon apps by id, kept as apps are created. */
export class MarathonRegistry {
  private static readonly byCluster = new WeakMap<Cluster, MarathonRegistry>();

  /** The registry of the cluster `scope` is in. */
  public static of(scope: IConstruct): MarathonRegistry {
    const cluster = Cluster.of(scope);
    let r = MarathonRegistry.byCluster.get(cluster);
    if (!r) {
      r = new MarathonRegistry(cluster);
      MarathonRegistry.byCluster.set(cluster, r);
    }
    return r;
  }

  private readonly apps = new Map<string, Identified[]>();

  private constructor(cluster: Cluster) {
    addSynthesisParticipant(cluster, {
      validate: (d) => {
        for (const [id, list] of this.apps) {
          for (const dup of list.slice(1)) {
            d.error(
              dup,
              'marathon/duplicate-app-id',
              `Marathon app id '${id}' is already used by ${list[0]!.node.path}; deploying both would make one overwrite the other.`,
              'Give each app a unique `id`.',
            );
          }
        }
      },
    });
  }

  /** Records an app under its (absolute) id. */
  public add(app: Identified): void {
    const list = this.apps.get(app.marathonId);
    if (list) list.push(app);
    else this.apps.set(app.marathonId, [app]);
  }
}
