/* In-memory drivers, lock and bundles for the engine tests. */
import type { ArtifactDriver, DeployLock, DesiredArtifact, DriverContext, LoadedBundle, LockHolder, LockLease, PlannedChange } from '../../src/index.js';
import { LockHeldError, diffJson } from '../../src/index.js';

/** A bundle in memory: artifacts as [id, kind, content, dependsOn]. */
export function bundleOf(stack: string, artifacts: Array<[string, string, unknown, string[]?]>): LoadedBundle {
  return {
    dir: '/tmp/fake-bundle',
    manifest: {
      manifestVersion: 1,
      stack,
      targets: {},
      warnings: [],
      artifacts: artifacts.map(([id, kind, , deps]) => ({ id, kind, file: `${id}.json`, sha256: 'x', constructPath: `${stack}/${id}`, dependsOn: deps ?? [] })),
    },
    contents: new Map(artifacts.map(([id, , content]) => [id, JSON.stringify(content)])),
  };
}

/** A cluster of key → JSON value per kind, with ownership. */
export class FakeCluster {
  readonly resources = new Map<string, { kind: string; value: unknown; owner?: string }>();
  readonly log: string[] = [];
  failOn?: (change: PlannedChange) => boolean;
  onApply?: (change: PlannedChange) => void;
}

/** A driver over a fake cluster: one read per plan, one write per change. */
export function fakeDriver(cluster: FakeCluster, kinds: string[]): ArtifactDriver {
  return {
    kinds,
    async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<PlannedChange[]> {
      ctx.counters.reads++;
      const out: PlannedChange[] = [];
      const wanted = new Set(desired.map((d) => d.id));
      for (const d of desired) {
        const live = cluster.resources.get(d.id);
        const value = JSON.parse(d.content) as unknown;
        if (!live) out.push({ id: d.id, kind: d.kind, action: 'create', resource: d.id, fields: diffJson({}, value), desired: d });
        else if (live.owner !== ctx.stack) throw new Error(`${d.id} not owned`);
        else {
          const fields = diffJson(live.value, value);
          out.push({ id: d.id, kind: d.kind, action: fields.length ? 'update' : 'noop', resource: d.id, fields, desired: d });
        }
      }
      for (const [id, r] of cluster.resources) {
        if (kinds.includes(r.kind) && r.owner === ctx.stack && !wanted.has(id)) out.push({ id, kind: r.kind, action: 'delete', resource: id, fields: [] });
      }
      return out;
    },
    async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
      cluster.onApply?.(change);
      if (cluster.failOn?.(change)) throw new Error(`injected failure on ${change.id}`);
      ctx.counters.writes++;
      ctx.progress(`applying ${change.id}`);
      cluster.log.push(`${change.action} ${change.id}`);
      if (change.action === 'delete') cluster.resources.delete(change.id);
      else cluster.resources.set(change.id, { kind: change.kind, value: JSON.parse(change.desired!.content), owner: ctx.stack });
    },
  };
}

/** A lock in memory. */
export class FakeLock implements DeployLock {
  readonly description = 'fake lock';
  holder: LockHolder | undefined;
  acquired = 0;
  released = 0;
  failRelease = false;

  async inspect(ctx: DriverContext): Promise<LockHolder | undefined> {
    ctx.counters.reads++;
    return this.holder;
  }

  async acquire(req: { stack: string; operation: string; breakLock: boolean }, ctx: DriverContext): Promise<LockLease> {
    if (this.holder && !req.breakLock) throw new LockHeldError(this.holder, this.description);
    ctx.counters.writes++;
    this.acquired++;
    const holder: LockHolder = { id: `h${this.acquired}`, holder: 'me', stack: req.stack, operation: req.operation, acquiredAt: new Date().toISOString() };
    this.holder = holder;
    return {
      holder,
      release: async (c) => {
        if (this.failRelease) throw new Error('release failed');
        c.counters.writes++;
        this.released++;
        if (this.holder?.id === holder.id) this.holder = undefined;
      },
    };
  }
}
