import { escapeV1Name } from './backend-v1.js';
import { EtcdV2Client, type V2Node } from './etcd-v2.js';
import type { EtcdConnection, RequestScope } from './http.js';
import type { Json } from './json-diff.js';
import type { CalicoArtifactKind } from './resource.js';
import { goJson, parseStored, type Holder, type KeyWrite } from './store.js';

/** Root of the ownership records in etcd v2. */
export const OWNERS_ROOT = '/dcos-cdk/owners';

/** The JSON value of a v1 ownership record. */
export interface OwnershipRecord {
  /** Bundle id of the artifact that wrote the resource. */
  readonly artifact: string;
  readonly kind: CalicoArtifactKind;
  /** Human name, e.g. `Calico policy x`. */
  readonly resource: string;
  /** Every datastore key of the resource. */
  readonly keys: readonly string[];
  /** Profile directory, if any. */
  readonly dir?: string;
}

/** A record as read, with its key and version (for compare-and-swap). */
export interface StoredRecord {
  /** Datastore path of the resource it records. */
  readonly resourceId: string;
  readonly key: string;
  readonly version: string;
  readonly record: OwnershipRecord;
}

/**
 * Key of the ownership record of a resource: the stack's folder followed by
 * the resource's own datastore path, e.g.
 * `/dcos-cdk/owners/demo/calico/v1/policy/tier/default/policy/x`
 * (the stack name escaped like a Calico name).
 */
export function ownershipRecordKey(stack: string, resourceId: string): string {
  return `${OWNERS_ROOT}/${escapeV1Name(stack)}${resourceId}`;
}

/**
 * The ownership records of calicoctl-v1 resources in etcd v2. libcalico-go
 * v1.4 values carry no annotations, so who owns a resource is recorded
 * beside the data; both Calico drivers share these records.
 */
export class V1OwnershipLedger {
  private readonly client: EtcdV2Client;
  private everyStack?: V2Node[];

  constructor(conn: EtcdConnection) {
    this.client = new EtcdV2Client(conn);
  }

  /** The records of one stack, by resource id (one read). */
  public async records(stack: string, scope: RequestScope): Promise<Map<string, StoredRecord>> {
    this.everyStack = undefined;
    const dir = ownershipRecordKey(stack, '');
    const out = new Map<string, StoredRecord>();
    for (const leaf of leaves(await this.client.getTree(dir, scope))) {
      const record = parseStored(leaf.value ?? '') as unknown as OwnershipRecord;
      if (!record || typeof record !== 'object' || !Array.isArray(record.keys)) continue;
      const resourceId = leaf.key.slice(dir.length);
      out.set(resourceId, { resourceId, key: leaf.key, version: String(leaf.modifiedIndex), record });
    }
    return out;
  }

  /** Which other stack records the resource, if any (reads every stack's records once per {@link records} call). */
  public async holder(resourceId: string, stack: string, scope: RequestScope): Promise<Holder> {
    this.everyStack ??= leaves(await this.client.getTree(OWNERS_ROOT, scope));
    for (const leaf of this.everyStack) {
      if (!leaf.key.endsWith(resourceId)) continue;
      const stackPart = leaf.key.slice(OWNERS_ROOT.length + 1, leaf.key.length - resourceId.length);
      if (stackPart.includes('/')) continue;
      const owner = decodeURIComponent(stackPart);
      return owner === stack ? { owner: 'stack' } : { owner: 'other', stack: owner };
    }
    return { owner: 'none' };
  }

  /** The write that records a new owner (the key must not exist yet). */
  public claim(stack: string, resourceId: string, record: OwnershipRecord): KeyWrite {
    return { key: ownershipRecordKey(stack, resourceId), value: goJson(record as unknown as Json), expect: '0' };
  }

  /** Performs a guarded record write or delete. */
  public async write(w: KeyWrite, scope: RequestScope): Promise<void> {
    if (w.value === undefined) return this.client.delete(w.key, Number(w.expect), scope);
    return this.client.put(w.key, w.value, w.expect === '0' ? { prevExist: false } : { prevIndex: Number(w.expect) }, scope);
  }
}

/** Every leaf below a v2 node. */
export function leaves(node: V2Node | undefined): V2Node[] {
  if (!node) return [];
  if (!node.dir) return [node];
  return (node.nodes ?? []).flatMap(leaves);
}
