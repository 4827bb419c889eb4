import type { IConstruct } from 'constructs';

/**
 * The kind of an artifact. Integration packages define their own kinds
 * (`marathon-app`, `calico-policy`, ...); core knows none of them.
 */
export type ArtifactKind = string;

/**
 * A file that a construct contributes to the bundle.
 */
export interface ArtifactSpec {
  /** Bundle-wide unique id, conventionally `<kind>:<name>`. */
  readonly id: string;
  /** Artifact kind, e.g. `marathon-app`. */
  readonly kind: ArtifactKind;
  /** Path of the file relative to the bundle root, with `/` separators. */
  readonly file: string;
  /** The exact bytes of the file, as text. */
  readonly content: string;
  /** Ids of artifacts that must be applied before this one. @default [] */
  readonly dependsOn?: readonly string[];
}

/** An artifact as synthesized: the spec plus the construct that emitted it. */
export interface Artifact extends Required<ArtifactSpec> {
  /** Path of the construct that emitted the artifact. */
  readonly constructPath: string;
  /** The emitting construct itself (not written to the manifest). */
  readonly construct: IConstruct;
}
