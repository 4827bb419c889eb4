/** Shared context of the Marathon route handlers, and app rendering with embeds. */
import type { ChangeEngine } from './changes.js';
import type { DeploymentManager } from './deployments.js';
import { cloneJson } from './json.js';
import type { MarathonState } from './state.js';
import type { AgentSpec, AppValidator, JsonObject, MarathonVersion } from './types.js';

/** Everything a Marathon route handler needs. */
export interface MarathonContext {
  /** Imitated Marathon version. */
  version: MarathonVersion;
  /** Stored apps and groups. */
  state: MarathonState;
  /** Change committer. */
  engine: ChangeEngine;
  /** Running deployments. */
  deployments: DeploymentManager;
  /** App validator (`marathonValidator` unless one was injected). */
  validator: AppValidator;
  /** Marathon `--default_network_name`. */
  defaultNetworkName: string;
  /** Mesos agents (for `/v2/info` and tasks). */
  agents: AgentSpec[];
}

/** Which extra data to render with an app. */
export interface AppEmbeds {
  /** `tasksStaged`, `tasksRunning`, `tasksHealthy`, `tasksUnhealthy`. */
  counts: boolean;
  /** `deployments: [{id}]`. */
  deployments: boolean;
  /** `tasks: [...]`. */
  tasks: boolean;
  /** `lastTaskFailure` (only rendered when one exists). */
  lastTaskFailure: boolean;
  /** `readinessCheckResults: []`. */
  readiness: boolean;
  /** `taskStats: {}`. */
  taskStats: boolean;
}

/** No embeds at all (plain definition). */
export const NO_EMBEDS: AppEmbeds = {
  counts: false,
  deployments: false,
  tasks: false,
  lastTaskFailure: false,
  readiness: false,
  taskStats: false,
};

/** Everything `GET /v2/apps/{id}` always embeds. */
export const SINGLE_APP_EMBEDS: AppEmbeds = { ...NO_EMBEDS, counts: true, deployments: true, tasks: true, lastTaskFailure: true };

/**
 * Parse `embed` values with the given prefixes (`app.`/`apps.` are interchangeable, as are
 * `group.apps.`): unknown values are ignored. `base` holds the always-on embeds.
 */
export function parseEmbeds(values: string[], prefixes: string[], base: AppEmbeds): AppEmbeds {
  const out = { ...base };
  for (const raw of values) {
    const prefix = prefixes.find((p) => raw.startsWith(p));
    if (prefix === undefined) continue;
    switch (raw.slice(prefix.length)) {
      case 'tasks':
        out.tasks = true;
        out.deployments = true;
        break;
      case 'counts':
      case 'count':
        out.counts = true;
        break;
      case 'deployments':
        out.deployments = true;
        break;
      case 'lastTaskFailure':
        out.lastTaskFailure = true;
        break;
      case 'failures':
        Object.assign(out, { tasks: true, counts: true, deployments: true, lastTaskFailure: true });
        break;
      case 'readiness':
        out.readiness = true;
        break;
      case 'taskStats':
        out.taskStats = true;
        break;
      default:
        break;
    }
  }
  return out;
}

/** App JSON with the requested embeds, or undefined when the app does not exist. */
export function renderApp(ctx: MarathonContext, id: string, embeds: AppEmbeds): JsonObject | undefined {
  const stored = ctx.state.apps.get(id);
  if (!stored) return undefined;
  const out = cloneJson(stored.def);
  if (embeds.counts) Object.assign(out, ctx.state.counts(id));
  if (embeds.deployments) out.deployments = ctx.deployments.deploymentsOf(id).map((d) => ({ id: d }));
  if (embeds.readiness) out.readinessCheckResults = [];
  if (embeds.tasks) out.tasks = cloneJson(stored.tasks);
  if (embeds.lastTaskFailure && stored.lastTaskFailure) out.lastTaskFailure = cloneJson(stored.lastTaskFailure);
  if (embeds.taskStats) out.taskStats = {};
  return out;
}
