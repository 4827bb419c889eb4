import type { DesiredArtifact } from '@dcos-cdk/core';
import { v1Resource, V1_POLICY_ROOT } from './backend-v1.js';
import { EtcdV2Client, type V2Node } from './etcd-v2.js';
import { CalicoArtifactError } from './errors.js';
import type { EtcdConnection, RequestScope } from './http.js';
import { jsonEqual, type Json } from './json-diff.js';
import { leaves, ownershipRecordKey, V1OwnershipLedger, type OwnershipRecord } from './ownership-v1.js';
import { CALICO_KINDS, type CalicoArtifactKind, type DatastoreResource } from './resource.js';
import { goJson, parseStored, type CalicoStep, type CalicoStore, type Holder, type KeyWrite, type LiveEntry, type OwnedResource, type Snapshot } from './store.js';

/**
 * The calicoctl-v1 layout in etcd v2. Ownership records (see
 * {@link V1OwnershipLedger}) are written before the data is created and
 * removed after it is deleted, so data the stack wrote is never left
 * without its record.
 */
export class V1Store implements CalicoStore {
  private readonly client: EtcdV2Client;
  private readonly ledger: V1OwnershipLedger;

  constructor(
    conn: EtcdConnection,
    private readonly stack: string,
  ) {
    this.client = new EtcdV2Client(conn);
    this.ledger = new V1OwnershipLedger(conn);
  }

  public toResource(artifact: DesiredArtifact): DatastoreResource {
    if (!(CALICO_KINDS as readonly string[]).includes(artifact.kind)) throw new CalicoArtifactError(artifact.id, `kind ${artifact.kind} is not a Calico kind.`);
    return v1Resource(artifact, artifact.kind as CalicoArtifactKind);
  }

  public resourceId(resource: DatastoreResource): string {
    return resource.dir ?? resource.entries[0]!.key;
  }

  public async snapshot(resources: readonly DatastoreResource[], scope: RequestScope): Promise<Snapshot> {
    const live = new Map<string, LiveEntry>();
    const owned = new Map<string, OwnedResource>();
    for (const r of (await this.ledger.records(this.stack, scope)).values()) {
      owned.set(r.resourceId, { resourceId: r.resourceId, artifactId: r.record.artifact, kind: r.record.kind, label: r.record.resource, keys: r.record.keys, dir: r.record.dir });
      live.set(r.key, { value: r.record as unknown as Json, version: r.version });
    }
    const wanted = new Set([...resources.flatMap((r) => [...r.entries, ...(r.ensure ?? [])].map((e) => e.key)), ...[...owned.values()].flatMap((o) => o.keys)]);
    // One read of the whole policy tree (policies and profiles; no endpoints live there).
    if ([...wanted].some((k) => k.startsWith(`${V1_POLICY_ROOT}/`))) {
      for (const leaf of leaves(await this.client.getTree(V1_POLICY_ROOT, scope))) if (wanted.has(leaf.key)) live.set(leaf.key, entry(leaf));
    }
    for (const key of wanted) {
      if (key.startsWith(`${V1_POLICY_ROOT}/`)) continue;
      const node = await this.client.getTree(key, scope);
      if (node && !node.dir) live.set(key, entry(node));
    }
    return { live, owned };
  }

  public holder(resource: DatastoreResource, _snapshot: Snapshot, scope: RequestScope): Promise<Holder> {
    return this.ledger.holder(this.resourceId(resource), this.stack, scope);
  }

  public comparable(value: Json): Json {
    return value;
  }

  public stepForUpsert(resource: DatastoreResource, snapshot: Snapshot, claim: boolean): CalicoStep {
    const resourceId = this.resourceId(resource);
    const writes: KeyWrite[] = [];
    for (const e of resource.entries) {
      const live = snapshot.live.get(e.key);
      if (live && jsonEqual(live.value, e.value)) continue;
      writes.push({ key: e.key, value: goJson(e.value), expect: live?.version ?? '0' });
    }
    for (const e of resource.ensure ?? []) if (!snapshot.live.has(e.key)) writes.push({ key: e.key, value: goJson(e.value), expect: '0' });
    const record: OwnershipRecord = { artifact: resource.artifactId, kind: resource.kind, resource: resource.label, keys: resource.entries.map((e) => e.key), ...(resource.dir ? { dir: resource.dir } : {}) };
    return { format: 1, resourceId, claim: claim ? this.ledger.claim(this.stack, resourceId, record) : undefined, writes };
  }

  public stepForDelete(owned: OwnedResource, snapshot: Snapshot): CalicoStep {
    const writes: KeyWrite[] = [];
    for (const key of owned.keys) {
      const live = snapshot.live.get(key);
      if (live) writes.push({ key, expect: live.version });
    }
    const recordKey = ownershipRecordKey(this.stack, owned.resourceId);
    const record = snapshot.live.get(recordKey);
    return { format: 1, resourceId: owned.resourceId, writes, removeDir: owned.dir, release: record ? { key: recordKey, expect: record.version } : undefined };
  }

  public async apply(step: CalicoStep, scope: RequestScope): Promise<void> {
    if (step.claim) await this.ledger.write(step.claim, scope);
    for (const w of step.writes) await this.write(w, scope);
    if (step.removeDir) await this.client.deleteEmptyDir(step.removeDir, scope);
    if (step.release) await this.ledger.write(step.release, scope);
  }

  private async write(w: KeyWrite, scope: RequestScope): Promise<void> {
    if (w.value === undefined) return this.client.delete(w.key, Number(w.expect), scope);
    return this.client.put(w.key, w.value, w.expect === '0' ? { prevExist: false } : { prevIndex: Number(w.expect) }, scope);
  }
}

function entry(node: V2Node): LiveEntry {
  return { value: parseStored(node.value ?? ''), version: String(node.modifiedIndex) };
}
