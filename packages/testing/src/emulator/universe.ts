/** Universe package data read from a folder laid out as `<Letter>/<name>/<revision>/{package,config,resource}.json` + `marathon.json.mustache`. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsonObject } from './json.js';
import type { JsonObject } from './types.js';

/** One package revision. */
export interface UniversePackage {
  /** Package name. */
  name: string;
  /** Package version (from package.json). */
  version: string;
  /** Revision folder number (Universe release version). */
  releaseVersion: number;
  /** package.json content. */
  metadata: JsonObject;
  /** config.json (options JSON schema), if present. */
  config?: JsonObject;
  /** resource.json, if present. */
  resource?: JsonObject;
  /** marathon.json.mustache text, if present. */
  marathonTemplate?: string;
}

/** Default Universe folder: `../shared/specs/universe` relative to the repository root. */
export function defaultUniverseDir(): string {
  const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
  return join(repoRoot, '..', 'shared', 'specs', 'universe');
}

function readJson(file: string): JsonObject | undefined {
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return isJsonObject(parsed) ? parsed : undefined;
}

function dirs(path: string): string[] {
  try {
    return readdirSync(path).filter((d) => statSync(join(path, d)).isDirectory());
  } catch {
    return [];
  }
}

/** Load every package revision under `dir`; a missing folder yields an empty universe. */
export function loadUniverse(dir: string): UniversePackage[] {
  const out: UniversePackage[] = [];
  for (const letter of dirs(dir)) {
    for (const name of dirs(join(dir, letter))) {
      for (const rev of dirs(join(dir, letter, name))) {
        const base = join(dir, letter, name, rev);
        const metadata = readJson(join(base, 'package.json'));
        if (!metadata || typeof metadata.name !== 'string' || typeof metadata.version !== 'string') continue;
        const template = join(base, 'marathon.json.mustache');
        const pkg: UniversePackage = { name: metadata.name, version: metadata.version, releaseVersion: Number(rev), metadata };
        const config = readJson(join(base, 'config.json'));
        const resource = readJson(join(base, 'resource.json'));
        if (config) pkg.config = config;
        if (resource) pkg.resource = resource;
        if (existsSync(template)) pkg.marathonTemplate = readFileSync(template, 'utf8');
        out.push(pkg);
      }
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.releaseVersion - b.releaseVersion);
}
