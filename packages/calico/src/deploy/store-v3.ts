import { randomUUID } from 'node:crypto';
import type { DesiredArtifact } from '@dcos-cdk/core';
import { annotationOf, ARTIFACT_ANNOTATION, comparable, ownerOf, v3Resource, V3_PLURALS, V3_ROOT, withServerFields, type V3Layout } from './backend-v3.js';
import { EtcdV3Client, type V3GatewayPrefix } from './etcd-v3.js';
import { CalicoArtifactError } from './errors.js';
import type { EtcdConnection, RequestScope } from './http.js';
import type { Json } from './json-diff.js';
import { CALICO_KINDS, kindLabel, type CalicoArtifactKind, type DatastoreResource } from './resource.js';
import { goJson, parseStored, type CalicoStep, type CalicoStore, type Holder, type LiveEntry, type OwnedResource, type Snapshot } from './store.js';

const KIND_BY_PLURAL: Readonly<Record<string, CalicoArtifactKind>> = {
  globalnetworkpolicies: 'calico-policy',
  networkpolicies: 'calico-policy',
  profiles: 'calico-profile',
  ippools: 'calico-ippool',
};

/**
 * The Calico v3 layout in etcd v3. Ownership is recorded on the resource
 * itself, as annotations `dcos-cdk.io/stack: <stack>` and
 * `dcos-cdk.io/artifact: <artifact id>`, so the data and its owner change
 * in one transaction; the resources a stack owns are found by listing the
 * four resource kinds it deploys.
 */
export class V3Store implements CalicoStore {
  private readonly client: EtcdV3Client;

  constructor(
    conn: EtcdConnection,
    private readonly stack: string,
    private readonly layout: V3Layout,
    gateway: V3GatewayPrefix = '/v3',
  ) {
    this.client = new EtcdV3Client(conn, gateway);
  }

  public toResource(artifact: DesiredArtifact): DatastoreResource {
    if (!(CALICO_KINDS as readonly string[]).includes(artifact.kind)) throw new CalicoArtifactError(artifact.id, `kind ${artifact.kind} is not a Calico kind.`);
    return v3Resource(artifact, artifact.kind as CalicoArtifactKind, this.stack, this.layout);
  }

  public resourceId(resource: DatastoreResource): string {
    return resource.entries[0]!.key;
  }

  public async snapshot(_resources: readonly DatastoreResource[], scope: RequestScope): Promise<Snapshot> {
    const live = new Map<string, LiveEntry>();
    const owned = new Map<string, OwnedResource>();
    for (const plural of V3_PLURALS) {
      for (const kv of await this.client.rangePrefix(`${V3_ROOT}/${plural}/`, scope)) {
        const value = parseStored(kv.value);
        live.set(kv.key, { value, version: kv.modRevision });
        if (ownerOf(value) !== this.stack) continue;
        const kind = KIND_BY_PLURAL[plural]!;
        const artifactId = annotationOf(value, ARTIFACT_ANNOTATION) ?? `${kind}:${kv.key.slice(kv.key.lastIndexOf('/') + 1)}`;
        owned.set(kv.key, { resourceId: kv.key, artifactId, kind, label: `${kindLabel(kind)} ${kv.key.slice(`${V3_ROOT}/${plural}/`.length)}`, keys: [kv.key] });
      }
    }
    return { live, owned };
  }

  public async holder(resource: DatastoreResource, snapshot: Snapshot): Promise<Holder> {
    const live = snapshot.live.get(this.resourceId(resource));
    const owner = live && ownerOf(live.value);
    if (owner === undefined) return { owner: 'none' };
    return owner === this.stack ? { owner: 'stack' } : { owner: 'other', stack: owner };
  }

  public comparable(value: Json): Json {
    return comparable(value);
  }

  public stepForUpsert(resource: DatastoreResource, snapshot: Snapshot): CalicoStep {
    const entry = resource.entries[0]!;
    const live = snapshot.live.get(entry.key);
    const value = withServerFields(entry.value, live?.value, randomUUID, new Date());
    return { format: 1, resourceId: entry.key, writes: [{ key: entry.key, value: goJson(value), expect: live?.version ?? '0' }] };
  }

  public stepForDelete(owned: OwnedResource, snapshot: Snapshot): CalicoStep {
    const live = snapshot.live.get(owned.resourceId);
    return { format: 1, resourceId: owned.resourceId, writes: live ? [{ key: owned.resourceId, expect: live.version }] : [] };
  }

  public async apply(step: CalicoStep, scope: RequestScope): Promise<void> {
    if (step.writes.length === 0) return;
    await this.client.txn(
      step.writes.map((w) => ({ key: w.key, value: w.value, expectModRevision: w.expect })),
      scope,
    );
  }
}
