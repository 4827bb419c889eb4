/** Read-only inspection helpers over the emulator state, for tests. */
import { SINGLE_APP_EMBEDS, renderApp } from './context.js';
import type { MarathonContext } from './context.js';
import { installedPackages } from './cosmos.js';
import { groupTree } from './groups.js';
import { cloneJson } from './json.js';
import { canonicalId } from './path-id.js';
import type { InstalledPackage, JsonObject, RequestCounts, RequestLogEntry } from './types.js';

/** Inspection helpers exposed as {@link MarathonEmulator.state}. */
export interface EmulatorStateView {
  /** All apps (with counts, deployments, tasks), sorted by id. */
  apps(): JsonObject[];
  /** One app as `GET /v2/apps/{id}` renders it, or undefined. */
  app(id: string): JsonObject | undefined;
  /** Stored versions of an app, newest first (empty when unknown). */
  appVersions(id: string): string[];
  /** Root group tree. */
  groups(): JsonObject;
  /** Running deployments as `GET /v2/deployments` renders them. */
  deployments(): JsonObject[];
  /** Packages installed through Cosmos. */
  installedPackages(): InstalledPackage[];
  /** Request log, oldest first. */
  requests(): RequestLogEntry[];
  /** Read/write counters since start or the last reset. */
  counts(): RequestCounts;
  /** Clear the request log and counters. */
  clearRequests(): void;
  /** Set or clear the `lastTaskFailure` embedded for an app. */
  setLastTaskFailure(appId: string, failure: JsonObject | undefined): void;
}

/** Mutable request log shared with the server. */
export class RequestLog {
  /** Entries, oldest first. */
  entries: RequestLogEntry[] = [];
  /** Counters. */
  counts: RequestCounts = { reads: 0, writes: 0 };

  /** Record a request; returns its (mutable) entry. */
  record(entry: RequestLogEntry): RequestLogEntry {
    this.entries.push(entry);
    const m = entry.method.toUpperCase();
    if (m === 'GET' || m === 'HEAD') this.counts.reads++;
    else if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(m)) this.counts.writes++;
    return entry;
  }

  /** Forget everything. */
  clear(): void {
    this.entries = [];
    this.counts = { reads: 0, writes: 0 };
  }
}

/** Build the view over a context and a request log. */
export function createStateView(ctx: MarathonContext, log: RequestLog): EmulatorStateView {
  return {
    apps: () => [...ctx.state.apps.keys()].sort().map((id) => renderApp(ctx, id, SINGLE_APP_EMBEDS)!),
    app: (id) => renderApp(ctx, canonicalId(id), SINGLE_APP_EMBEDS),
    appVersions: (id) => (ctx.state.apps.get(canonicalId(id))?.history ?? []).map((h) => String(h.version)).reverse(),
    groups: () => groupTree(ctx)!,
    deployments: () => ctx.deployments.list().map((p) => ctx.deployments.toJson(p)),
    installedPackages: () => installedPackages(ctx),
    requests: () => log.entries.map((e) => ({ ...e })),
    counts: () => ({ ...log.counts }),
    clearRequests: () => log.clear(),
    setLastTaskFailure: (appId, failure) => {
      const app = ctx.state.apps.get(canonicalId(appId));
      if (!app) return;
      if (failure) app.lastTaskFailure = cloneJson(failure);
      else delete app.lastTaskFailure;
    },
  };
}
