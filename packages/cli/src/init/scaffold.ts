/**
 * `dcos-cdk init`: a new project that installs, synthesizes and tests out of
 * the box.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DcosVersion } from '@dcos-cdk/dcos';
import { packageJson, README_MD } from './templates/docs.js';
import { APP_TS, DCOS_CDK_JSON, GITIGNORE, MOCHARC_JSON, STACK_TS, TEST_TS, TSCONFIG_JSON } from './templates/project.js';

/** The library packages a project depends on. */
export const LIBRARY_PACKAGES = ['core', 'dcos', 'calico', 'marathon', 'cli', 'testing'] as const;

/** Options of {@link scaffoldProject}. */
export interface ScaffoldOptions {
  /** Folder of the project (created when missing). */
  readonly dir: string;
  /** npm package name. @default the folder's name */
  readonly name?: string;
  /** DC/OS release the stack targets. @default '1.9' */
  readonly dcosVersion?: DcosVersion;
  /**
   * A checkout of this repository: depend on its packages with `file:`
   * links (`file:<repo>/packages/core`, ...) instead of registry versions.
   */
  readonly link?: string;
  /** Overwrite files that exist. @default false */
  readonly force?: boolean;
}

/** The version of this CLI, which the library packages share. */
export function cliVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../../package.json', '../../../package.json']) {
    const file = resolve(here, rel);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@dcos-cdk/cli' && pkg.version) return pkg.version;
  }
  return '0.1.0';
}

/** An npm package name (unscoped) from a folder name. */
export function packageName(folder: string): string {
  const n = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return n === '' ? 'dcos-stack' : n;
}

/** A stack name (the Cluster's id, deploy's ownership name): letters, digits and dashes. */
function stackName(name: string): string {
  return name.replace(/^@[^/]+\//, '').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'stack';
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
}

/** The files of a new project, by path relative to its folder. */
export function projectFiles(o: ScaffoldOptions): Record<string, string> {
  const name = o.name ?? packageName(basename(resolve(o.dir)));
  const values = { name, stackName: stackName(name), dcosVersion: o.dcosVersion ?? '1.9' };
  const version = cliVersion();
  const library = Object.fromEntries(LIBRARY_PACKAGES.map((p) => [`@dcos-cdk/${p}`, o.link ? `file:${resolve(o.link, 'packages', p)}` : `^${version}`]));
  return {
    'package.json': packageJson(name, library),
    'dcos-cdk.json': fill(DCOS_CDK_JSON, values),
    'tsconfig.json': TSCONFIG_JSON,
    '.mocharc.json': MOCHARC_JSON,
    '.gitignore': GITIGNORE,
    'bin/app.ts': APP_TS,
    'lib/stack.ts': fill(STACK_TS, values),
    'test/app.test.ts': TEST_TS,
    'README.md': fill(README_MD, values),
  };
}

/**
 * Writes a new project into `o.dir`. Refuses (writing nothing) when one of
 * its files exists, unless `force`.
 *
 * @returns the paths written, relative to the project folder
 * @throws Error naming the files that exist
 */
export function scaffoldProject(o: ScaffoldOptions): string[] {
  const files = projectFiles(o);
  const existing = Object.keys(files).filter((f) => existsSync(join(o.dir, f)));
  if (existing.length > 0 && !o.force) {
    throw new Error(`${resolve(o.dir)} already holds ${existing.join(', ')}; pass --force to overwrite, or init another folder.`);
  }
  for (const [file, content] of Object.entries(files)) {
    const path = join(o.dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return Object.keys(files);
}
