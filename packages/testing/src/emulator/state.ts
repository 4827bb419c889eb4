/** In-memory Marathon state: apps with their version history and tasks, groups, root snapshots. */
import { randomUUID } from 'node:crypto';
import { numberAt, arrayAt, isJsonObject } from './json.js';
import { isDescendant, parentId, selfAndAncestors } from './path-id.js';
import { servicePortsOf } from './service-ports.js';
import type { AgentSpec, JsonObject } from './types.js';

/** An app as stored: normalized definition (incl. `version`/`versionInfo`), history, tasks. */
export interface StoredApp {
  /** Current definition in response shape. */
  def: JsonObject;
  /** Every stored definition, oldest first (the current one last). */
  history: JsonObject[];
  /** Synthetic running tasks. */
  tasks: JsonObject[];
  /** `lastTaskFailure` to embed, if any. */
  lastTaskFailure?: JsonObject;
}

/** A group as stored (its apps and subgroups are derived from ids). */
export interface StoredGroup {
  /** Canonical group id. */
  id: string;
  /** Canonical dependency ids. */
  dependencies: string[];
  /** Version of the last change in the subtree. */
  version: string;
}

/** State of the whole tree at one version, for group rollbacks and group version lists. */
export interface Snapshot {
  /** Root version of the snapshot. */
  version: string;
  /** App definitions by id. */
  apps: Map<string, JsonObject>;
  /** Groups by id. */
  groups: Map<string, StoredGroup>;
}

/** Strictly increasing ISO-8601 timestamps from a clock. */
export class VersionClock {
  private last = 0;

  constructor(private readonly clock: () => Date) {}

  /** Next timestamp (bumped by 1 ms if the clock did not advance). */
  next(): string {
    let t = this.clock().getTime();
    if (t <= this.last) t = this.last + 1;
    this.last = t;
    return new Date(t).toISOString();
  }
}

/** Mutable Marathon state. */
export class MarathonState {
  /** Apps by canonical id. */
  readonly apps = new Map<string, StoredApp>();
  /** Groups by canonical id; `/` always exists. */
  readonly groups = new Map<string, StoredGroup>();
  /** Root snapshots, oldest first. */
  snapshots: Snapshot[] = [];

  constructor(private readonly agents: AgentSpec[], initialVersion: string) {
    this.reset(initialVersion);
  }

  /** Forget everything; only an empty root group remains. */
  reset(version: string): void {
    this.apps.clear();
    this.groups.clear();
    this.groups.set('/', { id: '/', dependencies: [], version });
    this.snapshots = [];
    this.snapshot(version);
  }

  /** Record the current tree as a snapshot at `version`. */
  snapshot(version: string): void {
    // Stored definitions are replaced on every change, never edited in place (the history
    // keeps them too), so a snapshot can share them: copying each one made every change
    // cost O(apps).
    const apps = new Map<string, JsonObject>();
    for (const [id, a] of this.apps) apps.set(id, a.def);
    const groups = new Map<string, StoredGroup>();
    for (const [id, g] of this.groups) groups.set(id, { ...g, dependencies: [...g.dependencies] });
    this.snapshots.push({ version, apps, groups });
  }

  /** Current definitions by id. */
  appDefs(): Map<string, JsonObject> {
    return new Map([...this.apps].map(([id, a]) => [id, a.def]));
  }

  /** Create `id` and its missing ancestors with `version`. */
  ensureGroup(id: string, version: string): void {
    for (const g of selfAndAncestors(id)) {
      if (!this.groups.has(g)) this.groups.set(g, { id: g, dependencies: [], version });
    }
  }

  /** Set `version` on `id` (if it exists) and all existing ancestors. */
  touchGroups(id: string, version: string): void {
    for (const g of selfAndAncestors(id)) {
      const group = this.groups.get(g);
      if (group) group.version = version;
    }
  }

  /** Remove a group and everything below it (apps included). Returns removed app ids. */
  removeGroupTree(id: string): string[] {
    const removedApps = this.appIdsUnder(id);
    for (const a of removedApps) this.apps.delete(a);
    for (const g of [...this.groups.keys()]) if (g !== '/' && (g === id || isDescendant(g, id))) this.groups.delete(g);
    return removedApps;
  }

  /** Ids of all apps below a group (transitively). */
  appIdsUnder(groupId: string): string[] {
    return [...this.apps.keys()].filter((a) => isDescendant(a, groupId)).sort();
  }

  /** Direct child apps of a group. */
  childAppIds(groupId: string): string[] {
    return [...this.apps.keys()].filter((a) => parentId(a) === groupId).sort();
  }

  /** Direct child groups of a group. */
  childGroupIds(groupId: string): string[] {
    return [...this.groups.keys()].filter((g) => g !== '/' && g !== groupId && parentId(g) === groupId).sort();
  }

  /** Store a definition; adds it to the history when its version is new. */
  putApp(id: string, def: JsonObject): void {
    const existing = this.apps.get(id);
    if (!existing) {
      this.apps.set(id, { def, history: [def], tasks: [] });
      return;
    }
    if (!existing.history.some((h) => h.version === def.version)) existing.history.push(def);
    existing.def = def;
  }

  /** Replace the tasks of an app with `instances` running synthetic tasks. */
  startTasks(id: string, stagedAt: string): void {
    const app = this.apps.get(id);
    if (!app) return;
    const count = numberAt(app.def, 'instances') ?? 0;
    const hosts: AgentSpec[] = this.agents.length > 0 ? this.agents : [{ hostname: '127.0.0.1' }];
    const name = id.slice(1).replace(/\//g, '_');
    const container = isJsonObject(app.def.container) ? app.def.container : {};
    const hostMapped = (arrayAt(container, 'portMappings') ?? []).filter((m) => isJsonObject(m) && m.hostPort !== undefined);
    const ports = [...(arrayAt(app.def, 'portDefinitions') ?? []), ...hostMapped].map((_, i) => 31000 + i);
    const servicePorts = servicePortsOf(app.def);
    const healthy = (arrayAt(app.def, 'healthChecks') ?? []).length > 0;
    app.tasks = [];
    for (let i = 0; i < count; i++) {
      const host = hosts[i % hosts.length]!;
      const task: JsonObject = {
        id: `${name}.${randomUUID()}`,
        appId: id,
        host: host.hostname,
        ipAddresses: [{ ipAddress: host.hostname, protocol: 'IPv4' }],
        ports,
        servicePorts,
        slaveId: host.id ?? `agent-${i % hosts.length}`,
        stagedAt,
        startedAt: stagedAt,
        state: 'TASK_RUNNING',
        version: String(app.def.version),
        localVolumes: [],
      };
      if (healthy) task.healthCheckResults = [{ alive: true, consecutiveFailures: 0, taskId: task.id as string }];
      app.tasks.push(task);
    }
  }

  /** Task counters of an app. */
  counts(id: string): JsonObject {
    const app = this.apps.get(id);
    const running = app?.tasks.length ?? 0;
    const hasChecks = app ? (arrayAt(app.def, 'healthChecks') ?? []).some(isJsonObject) : false;
    return { tasksStaged: 0, tasksRunning: running, tasksHealthy: hasChecks ? running : 0, tasksUnhealthy: 0 };
  }
}
