import { addSynthesisParticipant } from '@dcos-cdk/core';
import { Cluster } from '@dcos-cdk/dcos';
import type { IConstruct } from 'constructs';

interface Identified extends IConstruct {
  /** Resolved absolute Marathon id. */
  readonly marathonId: string;
  /** Bundle id of the app's artifact. */
  readonly artifactId: string;
}

/**
 * Per-cluster index of Marathon apps by resolved id, kept as apps are
 * created, so cluster-wide checks (duplicate ids, an app used as a group)
 * and group lookups never walk the tree.
 */
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
          const segments = id.split('/').filter((s) => s.length > 0);
          for (let n = 1; n < segments.length; n++) {
            const group = `/${segments.slice(0, n).join('/')}`;
            const owner = this.apps.get(group)?.[0];
            if (owner) {
              d.error(
                list[0]!,
                'marathon/app-is-group',
                `Marathon app id '${id}' lies inside '${group}', which is the id of app ${owner.node.path}; Marathon keeps apps and groups in one tree, so '${group}' cannot be both an app and a group.`,
                `Rename one of the two apps, e.g. '${group}-app' for ${owner.node.path}, or move '${id}' to another group.`,
              );
              break;
            }
          }
        }
      },
    });
  }

  /** Records an app under its resolved absolute id. */
  public add(app: Identified): void {
    const list = this.apps.get(app.marathonId);
    if (list) list.push(app);
    else this.apps.set(app.marathonId, [app]);
  }

  /** Apps whose id is `path` or lies inside the group `path`, in creation order of their ids. */
  public appsUnder(path: string): Identified[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: Identified[] = [];
    for (const [id, list] of this.apps) if (id === path || id.startsWith(prefix)) out.push(list[0]!);
    return out;
  }
}
