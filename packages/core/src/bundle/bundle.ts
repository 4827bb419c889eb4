import { hash } from 'node:crypto';
import type { Artifact } from '../artifact.js';
import type { Diagnostic } from '../diagnostics.js';
import { MANIFEST_VERSION, type Manifest } from './manifest.js';

/** An in-memory bundle: the manifest plus every file's content. */
export interface Bundle {
  readonly manifest: Manifest;
  /** Artifacts in manifest (dependency) order. */
  readonly artifacts: readonly Artifact[];
  /** Warnings found during validation (errors never reach a bundle). */
  readonly warnings: readonly Diagnostic[];
}

/** Lower-case hex SHA-256 of a UTF-8 string (one-shot: no Hash object per artifact). */
export function sha256(content: string): string {
  return hash('sha256', content, 'hex');
}

/** Builds the manifest for artifacts already in dependency order. */
export function buildManifest(
  stack: string,
  targets: Readonly<Record<string, string>>,
  ordered: readonly Artifact[],
  warnings: readonly Diagnostic[] = [],
): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    stack,
    targets,
    artifacts: ordered.map((a) => ({
      id: a.id,
      kind: a.kind,
      file: a.file,
      sha256: sha256(a.content),
      constructPath: a.constructPath,
      dependsOn: [...a.dependsOn],
    })),
    warnings: warnings.map((w) => ({ severity: w.severity, constructPath: w.constructPath, rule: w.rule, message: w.message, fix: w.fix })),
  };
}

/** The manifest exactly as written to `manifest.json`. */
export function renderManifest(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}
