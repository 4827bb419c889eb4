import { parse } from 'yaml';
import type { DesiredArtifact } from '@dcos-cdk/core';
import { CalicoArtifactError } from './errors.js';
import type { Json } from './json-diff.js';

/** Artifact kinds the Calico drivers deploy. */
export const CALICO_KINDS = ['calico-policy', 'calico-profile', 'calico-ippool'] as const;

/** One of {@link CALICO_KINDS}. */
export type CalicoArtifactKind = (typeof CALICO_KINDS)[number];

/** One datastore key and the JSON value it must hold. */
export interface StoredEntry {
  readonly key: string;
  readonly value: Json;
}

/** A Calico resource of the bundle, converted to what the datastore stores. */
export interface DatastoreResource {
  /** Bundle id of the artifact. */
  readonly artifactId: string;
  readonly kind: CalicoArtifactKind;
  /** Calico name as written in the artifact (a CIDR for v1 pools). */
  readonly name: string;
  /** Human name, e.g. `Calico policy production-frontend-ingress`. */
  readonly label: string;
  /** The keys that make the resource (three for a v1 profile), in write order. */
  readonly entries: readonly StoredEntry[];
  /** v1 profiles: the directory holding the entries, removed on delete. */
  readonly dir?: string;
  /**
   * Global keys the resource needs, created when absent and otherwise left
   * alone (never updated, never deleted, not owned): the `IpInIpEnabled`
   * config calicoctl v1 sets when a pool enables IPIP.
   */
  readonly ensure?: readonly StoredEntry[];
}

/** A JSON object read from YAML. */
export type JsonObject = { [key: string]: Json };

/** Parses an artifact's YAML into one resource object, with errors that name the artifact. */
export function parseArtifact(artifact: DesiredArtifact): JsonObject {
  let doc: unknown;
  try {
    doc = parse(artifact.content);
  } catch (e) {
    throw new CalicoArtifactError(artifact.id, `${artifact.file} is not valid YAML: ${(e as Error).message}`);
  }
  if (Array.isArray(doc) || typeof doc !== 'object' || doc === null) {
    throw new CalicoArtifactError(artifact.id, `${artifact.file} must hold one Calico resource (a mapping with apiVersion, kind, metadata, spec).`);
  }
  return doc as JsonObject;
}

/** Kind label for messages. */
export function kindLabel(kind: CalicoArtifactKind): string {
  return kind === 'calico-policy' ? 'Calico policy' : kind === 'calico-profile' ? 'Calico profile' : 'Calico IP pool';
}

/** Reads typed fields of an untyped document, failing with the artifact id and field path. */
export class FieldReader {
  constructor(private readonly artifactId: string) {}

  /** A nested mapping (absent → `undefined`). */
  public object(v: Json | undefined, path: string): JsonObject | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw this.fail(path, 'a mapping');
    return v;
  }

  /** A list (absent → `[]`). */
  public list(v: Json | undefined, path: string): Json[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.fail(path, 'a list');
    return v;
  }

  /** A string (absent → `undefined`). */
  public string(v: Json | undefined, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw this.fail(path, 'a string');
    return v;
  }

  /** A number (absent → `undefined`). */
  public number(v: Json | undefined, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') throw this.fail(path, 'a number');
    return v;
  }

  /** A boolean (absent → `undefined`). */
  public boolean(v: Json | undefined, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw this.fail(path, 'true or false');
    return v;
  }

  /** An error naming the artifact and field. */
  public error(path: string, message: string): CalicoArtifactError {
    return new CalicoArtifactError(this.artifactId, `${path}: ${message}`);
  }

  private fail(path: string, expected: string): CalicoArtifactError {
    return this.error(path, `expected ${expected}.`);
  }
}

/** Copies an object without its `undefined` fields, keeping key order. */
export function compact(o: { [key: string]: Json | undefined }): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
