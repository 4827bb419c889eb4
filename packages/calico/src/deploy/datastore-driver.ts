import type { ArtifactDriver, DesiredArtifact, DriverContext, FieldChange, PlannedChange } from '@dcos-cdk/core';
import type { CalicoVersion } from '@dcos-cdk/dcos';
import { prefixesPolicyNames } from './backend-v3.js';
import { CalicoConcurrentModificationError, CalicoOwnershipError } from './errors.js';
import type { V3GatewayPrefix } from './etcd-v3.js';
import type { EtcdConnection, RequestScope } from './http.js';
import { diffJson, jsonEqual, type Json } from './json-diff.js';
import { CALICO_KINDS, type DatastoreResource } from './resource.js';
import type { CalicoStep, CalicoStore, Snapshot } from './store.js';
import { V1Store } from './store-v1.js';
import { V3Store } from './store-v3.js';

/** Options of {@link CalicoDatastoreDriver}. */
export interface CalicoDatastoreDriverOptions {
  /**
   * Calico API of the cluster, from the bundle manifest's `targets.calico`:
   * `v1` writes the libcalico-go v1.4 layout through the etcd v2 API, `v3`
   * the Calico v3 layout through the etcd v3 API.
   */
  readonly calicoVersion: CalicoVersion;
  /** How to reach the cluster's etcd (the CLI builds it from `ETCD_ENDPOINTS` & co.). */
  readonly etcd: EtcdConnection;
  /**
   * Calico release of a v3 cluster: before v3.29 policies are stored as
   * `default.<name>`. @default 'v3.14' (the Calico of DC/OS 2.1 and 2.2)
   */
  readonly calicoRelease?: string;
  /** Path prefix of etcd's JSON gateway (v3 only). @default '/v3' (etcd 3.4+) */
  readonly v3GatewayPrefix?: V3GatewayPrefix;
  /**
   * Take over resources of the bundle that exist but that no stack owns:
   * `true` for all, or a list of artifact ids or Calico names. Resources
   * of another stack are never adopted. @default false
   */
  readonly adopt?: boolean | readonly string[];
}

/** A change planned by the Calico drivers: the standard change plus the guarded writes that perform it. */
export interface CalicoPlannedChange extends PlannedChange {
  /** The writes, with the versions read at plan time (compare-and-swap). */
  readonly calico: CalicoStep;
}

/**
 * Deploys `calico-policy`, `calico-profile` and `calico-ippool` artifacts
 * straight into Calico's etcd datastore, writing exactly the keys and
 * values calicoctl writes (calico.md §5).
 *
 * - Plans read the live keys (two or three requests for a v1 cluster, four for
 *   v3) and diff the JSON values field by field; `plan` never writes.
 * - Every write is compare-and-swap on the version read at plan time
 *   (v2 `prevIndex`/`prevExist=false`, v3 transaction on `mod_revision`), so
 *   an edit made in between fails the apply instead of being overwritten.
 * - Ownership: v1 records under `/dcos-cdk/owners/<stack>/…`; v3 annotations
 *   `dcos-cdk.io/stack` and `dcos-cdk.io/artifact` on the resource. Only
 *   owned resources are updated or deleted; an existing unowned resource is
 *   a {@link CalicoOwnershipError} unless adopted.
 * - Connection errors are retried with backoff; a retried write that had in
 *   fact been applied is recognised, so each key ends in its old or new state
 *   and running the deploy again converges.
 *
 * @example
 * const driver = new CalicoDatastoreDriver({ calicoVersion: bundle.manifest.targets.calico as CalicoVersion, etcd: { endpoints: ['http://127.0.0.1:2379'] } });
 */
export class CalicoDatastoreDriver implements ArtifactDriver {
  /** The artifact kinds this driver deploys. */
  public readonly kinds: readonly string[] = CALICO_KINDS;
  private readonly stores = new Map<string, CalicoStore>();

  constructor(private readonly options: CalicoDatastoreDriverOptions) {
    if (options.calicoVersion !== 'v1' && options.calicoVersion !== 'v3') throw new Error(`calicoVersion must be 'v1' or 'v3', got '${String(options.calicoVersion)}'.`);
    if (options.calicoRelease !== undefined) prefixesPolicyNames(options.calicoRelease);
  }

  /** Compares the bundle's Calico resources with etcd, including owned resources the bundle dropped (deletes). */
  public async plan(desired: readonly DesiredArtifact[], ctx: DriverContext): Promise<readonly CalicoPlannedChange[]> {
    const store = this.storeFor(ctx.stack);
    const scope = scopeOf(ctx);
    const artifacts = desired.filter((a) => this.kinds.includes(a.kind));
    const resources = artifacts.map((a) => store.toResource(a));
    checkDistinct(resources, store);
    const snapshot = await store.snapshot(resources, scope);
    const changes: CalicoPlannedChange[] = [];
    const conflicts: string[] = [];
    for (const [i, resource] of resources.entries()) {
      const id = store.resourceId(resource);
      const exists = resource.entries.some((e) => snapshot.live.has(e.key));
      let claim = false;
      if (!snapshot.owned.has(id)) {
        const holder = await store.holder(resource, snapshot, scope);
        if (holder.owner === 'other') {
          conflicts.push(`${id} (${resource.label}, ${resource.artifactId}) is owned by stack '${holder.stack}'${exists ? '' : ' (its data is missing)'}`);
          continue;
        }
        if (exists && !this.adopts(resource)) {
          conflicts.push(`${id} (${resource.label}, ${resource.artifactId}) exists and no stack owns it`);
          continue;
        }
        claim = true;
      }
      changes.push(this.upsert(resource, artifacts[i]!, snapshot, store, claim, exists));
    }
    if (conflicts.length) {
      throw new CalicoOwnershipError(
        conflicts,
        'To take over resources that no stack owns, deploy with --adopt (or --adopt <artifact id>): this stack is then recorded as their owner and they are updated to the bundle. A resource owned by another stack must first be removed from that stack.',
      );
    }
    const wanted = new Set(resources.map((r) => store.resourceId(r)));
    for (const owned of snapshot.owned.values()) {
      if (wanted.has(owned.resourceId)) continue;
      const fields: FieldChange[] = [];
      for (const key of owned.keys) {
        const live = snapshot.live.get(key);
        if (live) fields.push(...diffJson(store.comparable(live.value), undefined, owned.keys.length > 1 ? leafName(key) : ''));
      }
      changes.push({ id: owned.artifactId, kind: owned.kind, action: 'delete', resource: owned.label, fields, calico: store.stepForDelete(owned, snapshot) });
    }
    return changes;
  }

  /** Performs one planned change with compare-and-swap writes. */
  public async apply(change: PlannedChange, ctx: DriverContext): Promise<void> {
    if (change.action === 'noop') return;
    const store = this.storeFor(ctx.stack);
    let step = (change as Partial<CalicoPlannedChange>).calico;
    if (step?.format !== 1) {
      // The change lost its writes (serialized by the caller): plan this resource again.
      const again = (await this.plan(change.desired ? [change.desired] : [], ctx)).find((c) => c.id === change.id);
      if (!again || again.action !== change.action || !jsonEqual(again.fields as unknown as Json, change.fields as unknown as Json)) {
        throw new CalicoConcurrentModificationError(change.resource, 'planning it again gives a different change');
      }
      step = again.calico;
    }
    await store.apply(step, scopeOf(ctx));
  }

  private upsert(resource: DatastoreResource, artifact: DesiredArtifact, snapshot: Snapshot, store: CalicoStore, claim: boolean, exists: boolean): CalicoPlannedChange {
    const fields: FieldChange[] = [];
    let same = true;
    for (const e of resource.entries) {
      const live = snapshot.live.get(e.key);
      const before = live === undefined ? undefined : store.comparable(live.value);
      const after = store.comparable(e.value);
      if (jsonEqual(before, after)) continue;
      same = false;
      fields.push(...diffJson(before, after, resource.entries.length > 1 ? leafName(e.key) : ''));
    }
    for (const e of resource.ensure ?? []) {
      if (snapshot.live.has(e.key)) continue;
      same = false;
      fields.push({ path: `(global) ${e.key}`, after: e.value });
    }
    const action = !exists ? 'create' : same && !claim ? 'noop' : 'update';
    const step = store.stepForUpsert(resource, snapshot, claim);
    if (claim && exists) fields.push({ path: '(owner)', after: 'this stack (adopted)' });
    return { id: artifact.id, kind: artifact.kind, action, resource: resource.label, fields: action === 'noop' ? [] : fields, desired: artifact, calico: step };
  }

  private adopts(resource: DatastoreResource): boolean {
    const a = this.options.adopt;
    return a === true || (Array.isArray(a) && (a.includes(resource.artifactId) || a.includes(resource.name)));
  }

  private storeFor(stack: string): CalicoStore {
    let store = this.stores.get(stack);
    if (!store) {
      const o = this.options;
      store = o.calicoVersion === 'v1' ? new V1Store(o.etcd, stack) : new V3Store(o.etcd, stack, { prefixPolicyNames: prefixesPolicyNames(o.calicoRelease ?? 'v3.14') }, o.v3GatewayPrefix);
      this.stores.set(stack, store);
    }
    return store;
  }
}

function scopeOf(ctx: DriverContext): RequestScope {
  return { counters: ctx.counters, signal: ctx.signal, progress: ctx.progress };
}

function leafName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

function checkDistinct(resources: readonly DatastoreResource[], store: CalicoStore): void {
  const seen = new Map<string, string>();
  for (const r of resources) {
    const id = store.resourceId(r);
    const other = seen.get(id);
    if (other) throw new Error(`Artifacts ${other} and ${r.artifactId} both write ${id}; give the resources distinct names.`);
    seen.set(id, r.artifactId);
  }
}
