import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import type { Bundle } from './bundle.js';
import { MANIFEST_FILE } from './manifest.js';
import { renderManifest } from './bundle.js';

/**
 * Writes a bundle to `outdir` atomically: everything goes to a temporary
 * folder beside it, which then replaces `outdir`. A failure at any point
 * leaves the previous `outdir` (or none) as it was.
 */
export function writeBundle(bundle: Bundle, outdir: string): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(target)}.staging-`));
  try {
    const made = new Set<string>();
    for (const a of bundle.artifacts) {
      const file = join(staging, a.file);
      const dir = dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(file, a.content);
    }
    writeFileSync(join(staging, MANIFEST_FILE), renderManifest(bundle.manifest));
    swapInto(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Replaces `target` with `staging`, keeping the old one until the new one is in place. */
function swapInto(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const old = `${staging}.old`;
  renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (e) {
    renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}
