/**
 * App ids and dependencies, resolved the way Marathon resolves ids inside a
 * group (`PathId.canonicalPath`).
 */
import { Cluster, Environment, type MarathonVersion } from '@dcos-cdk/dcos';
import type { MarathonApp } from '../app.js';
import type { MarathonDependency } from '../props/app.js';
import { MarathonRegistry } from '../registry.js';
import { resolveAppId } from '../validation/index.js';
import type { PropIssue } from './issue.js';

/** A resolved id, and the problem when Marathon would refuse it. */
export interface ResolvedId {
  readonly id: string;
  readonly issue?: PropIssue;
}

function naiveAbsolute(path: string): string {
  return `/${path.split('/').filter((s) => s.length > 0).join('/')}`;
}

/**
 * The absolute id of an app: absolute ids as given, relative ones against
 * the environment's Marathon group (or the root group), `.` and `..`
 * resolved. An id Marathon would refuse keeps its plain form and an issue.
 */
export function resolveMarathonId(raw: string, group: string | undefined, version: MarathonVersion): ResolvedId {
  const full = raw.startsWith('/') ? raw : `${group ?? ''}/${raw}`;
  const r = resolveAppId(full);
  if (r.ok) return { id: r.id };
  return {
    id: naiveAbsolute(full),
    issue: {
      prop: 'id',
      rule: 'marathon/app-definition',
      message: `Marathon ${version} would reject the app at ${r.issue.path}: ${r.issue.message} (id '${raw}'${raw.startsWith('/') || group === undefined ? '' : ` in group ${group}`})`,
      fix: r.issue.fix,
    },
  };
}

/** Resolved dependencies: Marathon paths, the artifact ids they name (read at emit), and problems. */
export interface ResolvedDependencies {
  readonly marathonIds: readonly string[];
  readonly targets: ReadonlyArray<() => readonly string[]>;
  readonly issues: readonly PropIssue[];
}

function contains(group: string, id: string): boolean {
  return id === group || id.startsWith(`${group}/`);
}

/** Resolves `dependsOn` of `app`; relative paths resolve against the app's own group, as Marathon does. */
export function resolveDependencies(app: MarathonApp, deps: readonly MarathonDependency[]): ResolvedDependencies {
  const marathonIds: string[] = [];
  const targets: Array<() => readonly string[]> = [];
  const issues: PropIssue[] = [];
  const registry = MarathonRegistry.of(app);
  const parent = app.marathonId.split('/').slice(0, -1).join('/');
  const issue = (i: number, message: string, fix: string): void => void issues.push({ prop: `dependsOn[${i}]`, rule: 'marathon/dependency', message, fix });
  const groupTarget = (path: string) => () => registry.appsUnder(path).map((a) => a.artifactId);
  deps.forEach((dep, i) => {
    if (typeof dep === 'string') {
      const r = resolveAppId(dep.startsWith('/') ? dep : `${parent}/${dep}`);
      const path = r.ok ? r.id : dep;
      marathonIds.push(path);
      if (!r.ok) issue(i, `'${dep}' is not a Marathon path: ${r.issue.message}`, r.issue.fix);
      if (r.ok && contains(path, app.marathonId)) {
        issue(i, `'${dep}' is ${path === app.marathonId ? 'the app itself' : `group ${path}, which contains the app itself`}; Marathon could never start it.`, 'Depend on other apps or on groups the app is not part of.');
      }
      targets.push(groupTarget(path));
    } else if (Environment.isEnvironment(dep)) {
      const group = dep.marathonGroup;
      if (group === undefined) {
        issue(i, `environment ${dep.node.path} has no marathonGroup, so there is no Marathon group to depend on.`, "Give the environment a marathonGroup, or depend on its apps one by one.");
        return;
      }
      marathonIds.push(group);
      if (contains(group, app.marathonId)) issue(i, `group ${group} of environment ${dep.node.path} contains the app itself; Marathon could never start it.`, 'Depend on another environment, or on single apps.');
      targets.push(groupTarget(group));
    } else {
      if (Cluster.of(dep) !== Cluster.of(app)) {
        issue(i, `app ${dep.node.path} belongs to another cluster; Marathon dependencies only name apps of the same Marathon.`, 'Depend on apps of the same cluster.');
        return;
      }
      if (dep === app) {
        issue(i, 'the app depends on itself.', 'Remove the dependency.');
        return;
      }
      marathonIds.push(dep.marathonId);
      targets.push(() => [dep.artifactId]);
    }
  });
  return { marathonIds, targets, issues };
}
