import type { Diagnostic } from '../diagnostics.js';

/** Version of the manifest format written by this library. */
export const MANIFEST_VERSION = 1;

/** File name of the manifest at the bundle root. */
export const MANIFEST_FILE = 'manifest.json';

/** One artifact as listed in `manifest.json`. */
export interface ManifestArtifact {
  /** Bundle-wide unique id. */
  readonly id: string;
  /** Artifact kind, e.g. `marathon-app`. */
  readonly kind: string;
  /** File path relative to the manifest. */
  readonly file: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** Path of the construct that emitted it. */
  readonly constructPath: string;
  /** Ids that must be applied before this one. */
  readonly dependsOn: readonly string[];
}

/**
 * `manifest.json`: the contract between synth and deploy. Artifacts are
 * listed in dependency order.
 */
export interface Manifest {
  readonly manifestVersion: number;
  /** Name of the stack; deploy marks what it owns with it. */
  readonly stack: string;
  /** Versions the bundle was synthesized for, e.g. `{ dcos: '1.9', marathon: '1.4', calico: 'v1' }`. */
  readonly targets: Readonly<Record<string, string>>;
  /** Every artifact, in an order where dependencies come first. */
  readonly artifacts: readonly ManifestArtifact[];
  /** Warnings found at synth, with construct paths. */
  readonly warnings: readonly Diagnostic[];
}
