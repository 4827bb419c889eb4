import { readFileSync } from 'node:fs';
import { join, resolve, isAbsolute, normalize, sep } from 'node:path';
import { sha256 } from './bundle.js';
import { MANIFEST_FILE, MANIFEST_VERSION, type Manifest, type ManifestArtifact } from './manifest.js';

/** A bundle read back from disk, with every file's content checked against its hash. */
export interface LoadedBundle {
  /** Absolute path of the bundle folder. */
  readonly dir: string;
  readonly manifest: Manifest;
  /** Content of each artifact's file, by artifact id. */
  readonly contents: ReadonlyMap<string, string>;
}

/** Raised when a bundle on disk is missing, malformed or tampered with. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/** Reads `manifest.json` and every artifact it lists, verifying SHA-256 hashes. */
export function readBundle(dir: string): LoadedBundle {
  const root = resolve(dir);
  const manifestPath = join(root, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    throw new BundleError(`No bundle at ${dir}: ${MANIFEST_FILE} is missing. Run 'dcos-cdk synth' first, or pass the bundle folder.`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new BundleError(`${manifestPath}: not valid JSON (${(e as Error).message}).`);
  }
  if (manifest.manifestVersion !== MANIFEST_VERSION || !Array.isArray(manifest.artifacts)) {
    throw new BundleError(`${manifestPath}: unsupported manifest (manifestVersion ${String(manifest.manifestVersion)}); synthesize again with this version of dcos-cdk.`);
  }
  const contents = new Map<string, string>();
  for (const a of manifest.artifacts) contents.set(a.id, readArtifact(root, a));
  return { dir: root, manifest, contents };
}

function readArtifact(root: string, a: ManifestArtifact): string {
  if (typeof a.file !== 'string' || isAbsolute(a.file) || normalize(a.file).split(sep).includes('..')) {
    throw new BundleError(`Artifact ${a.id}: file '${String(a.file)}' must be a relative path inside the bundle.`);
  }
  let content: string;
  try {
    content = readFileSync(join(root, a.file), 'utf8');
  } catch {
    throw new BundleError(`Artifact ${a.id}: file ${a.file} is missing from the bundle. Synthesize again.`);
  }
  if (sha256(content) !== a.sha256) {
    throw new BundleError(`Artifact ${a.id}: ${a.file} does not match its sha256 in the manifest; the bundle was edited after synth. Synthesize again.`);
  }
  return content;
}
