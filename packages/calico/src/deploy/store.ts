import type { DesiredArtifact } from '@dcos-cdk/core';
import type { RequestScope } from './http.js';
import type { Json } from './json-diff.js';
import type { CalicoArtifactKind, DatastoreResource } from './resource.js';

/** A key as read from the datastore. */
export interface LiveEntry {
  /** Parsed JSON value (the raw text when it is not JSON). */
  readonly value: Json;
  /** Compare-and-swap token: v2 `modifiedIndex` or v3 `mod_revision`. */
  readonly version: string;
}

/** A resource the stack owns according to the datastore. */
export interface OwnedResource {
  /** Datastore path identifying the resource (profile directory, or the one key). */
  readonly resourceId: string;
  readonly artifactId: string;
  readonly kind: CalicoArtifactKind;
  readonly label: string;
  /** Keys that make the resource. */
  readonly keys: readonly string[];
  /** v1 profiles: directory removed after its keys. */
  readonly dir?: string;
}

/** What the datastore holds for a plan. */
export interface Snapshot {
  /** Every relevant key that exists. */
  readonly live: ReadonlyMap<string, LiveEntry>;
  /** Resources owned by the stack, by resource id. */
  readonly owned: ReadonlyMap<string, OwnedResource>;
}

/** Who holds a resource that already exists. */
export type Holder = { readonly owner: 'stack' } | { readonly owner: 'none' } | { readonly owner: 'other'; readonly stack: string };

/** One guarded key write of a step: a value to put, or none to delete. */
export interface KeyWrite {
  readonly key: string;
  /** Serialized value; absent deletes the key. */
  readonly value?: string;
  /** Version the key must still have; `'0'` means it must not exist. */
  readonly expect: string;
}

/**
 * Everything `apply` needs to perform a planned change without reading
 * again: the guarded writes, in order.
 */
export interface CalicoStep {
  /** Version of the step format (for changes that were serialized by the engine). */
  readonly format: 1;
  readonly resourceId: string;
  /** Ownership record written before the data (create, adopt). */
  readonly claim?: KeyWrite;
  /** Data writes (put or delete), in order. */
  readonly writes: readonly KeyWrite[];
  /** v1 profile directory removed after a delete. */
  readonly removeDir?: string;
  /** Ownership record removed after the data (delete). */
  readonly release?: KeyWrite;
}

/** A datastore layout: the v1 one in etcd v2, or the v3 one in etcd v3. */
export interface CalicoStore {
  /** Converts an artifact to its keys and values. */
  toResource(artifact: DesiredArtifact): DatastoreResource;
  /** The datastore path identifying a resource. */
  resourceId(resource: DatastoreResource): string;
  /** Reads the live state of the given resources and everything the stack owns. */
  snapshot(resources: readonly DatastoreResource[], scope: RequestScope): Promise<Snapshot>;
  /** Who holds an existing resource the stack does not own (may read ownership records). */
  holder(resource: DatastoreResource, snapshot: Snapshot, scope: RequestScope): Promise<Holder>;
  /** The part of a stored value that counts in a comparison. */
  comparable(value: Json): Json;
  /** The guarded writes that make the resource match the bundle (`claim` when the stack does not own it yet). */
  stepForUpsert(resource: DatastoreResource, snapshot: Snapshot, claim: boolean): CalicoStep;
  /** The guarded writes that remove an owned resource and its ownership record. */
  stepForDelete(owned: OwnedResource, snapshot: Snapshot): CalicoStep;
  /** Performs a step. */
  apply(step: CalicoStep, scope: RequestScope): Promise<void>;
}

/**
 * JSON the way Go's `encoding/json` writes it (what calicoctl stores):
 * `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
export function goJson(value: Json): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Parses a stored value; text that is not JSON is kept as a string (and then never equals a desired value). */
export function parseStored(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
