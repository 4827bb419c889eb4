/* Helpers of the import tests: temporary projects, running the command, compiling and synthesizing generated stacks, comparing bundles with inputs. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { CLI_ENV, readBundle, type LoadedBundle } from '@dcos-cdk/core';
import { readCalicoYaml, type CalicoResource } from '@dcos-cdk/calico';
import { compareApps } from '@dcos-cdk/marathon/deploy';
import { translateTo15, type MarathonAppJson } from '@dcos-cdk/marathon';
import { importInitCommands, type ImportIo } from '../../src/commands/index-import.js';
import { comparableResource } from '../../src/import/verify.js';
import { CliError } from '../../src/errors.js';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const walkthroughDir = join(repo, 'examples', 'ip-per-container', 'walkthrough');
export const LAN = '10.20.0.0/16';

/** A fresh folder that resolves @dcos-cdk/* from this repository (sources, under the test's conditions). */
export function project(prefix = 'dcos-cdk-import-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'import-test', private: true, type: 'module' }));
  return dir;
}

/** The walkthrough's files copied into `<dir>/walkthrough`, the LAN placeholder replaced unless told otherwise. */
export function walkthroughCopy(dir: string, lan: string | null = LAN): string {
  const to = join(dir, 'walkthrough');
  cpSync(walkthroughDir, to, { recursive: true });
  if (lan !== null) {
    const file = join(to, 'allow-dev-lan-frontend.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<your-lan-CIDR>', lan));
  }
  return to;
}

/** What a command run printed. */
export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `dcos-cdk import` in-process. */
export async function runImport(args: readonly string[], io: ImportIo): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    code = await importInitCommands.import.run(args, (l) => out.push(l), (l) => err.push(l), io);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err.push(`error: ${e.message}`);
    code = e.exitCode;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Type-checks files with the repository's compiler settings (strict) and
 * `@dcos-cdk/*` resolved to the package sources; returns the diagnostics of
 * those files only, formatted.
 */
export function typecheck(files: readonly string[]): string[] {
  const base = ts.readConfigFile(join(repo, 'tsconfig.base.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent({ ...base.config, compilerOptions: { ...base.config.compilerOptions, composite: false, declaration: false, declarationMap: false, noEmit: true, customConditions: ['dcos-cdk-source'] } }, ts.sys, dirname(files[0]!));
  const program = ts.createProgram([...files], parsed.options);
  return files.flatMap((f) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }),
  );
}

/** Runs a generated stack file (its `app.synth()` writes the bundle) and reads the bundle back. */
export async function synthGenerated(file: string): Promise<LoadedBundle> {
  const outdir = join(dirname(file), `out-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const before = process.env[CLI_ENV.outdir];
  process.env[CLI_ENV.outdir] = outdir;
  try {
    await import(pathToFileURL(file).href);
  } finally {
    if (before === undefined) delete process.env[CLI_ENV.outdir];
    else process.env[CLI_ENV.outdir] = before;
  }
  return readBundle(outdir);
}

/** An input app as Marathon stores it: id absolute (against its group), nulls dropped. */
export function absolute(app: Record<string, unknown>, group = '/'): Record<string, unknown> {
  const id = String(app.id);
  const full = id.startsWith('/') ? id : `${group === '/' ? '' : group}/${id}`;
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, strip(x)])) : v);
  return { ...(strip(app) as Record<string, unknown>), id: full };
}

/** Marathon apps of artifacts by id, parsed. */
export function appsIn(artifacts: ReadonlyArray<{ readonly kind: string; readonly content: string }>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const a of artifacts) if (a.kind === 'marathon-app') {
    const app = JSON.parse(a.content) as Record<string, unknown>;
    out.set(String(app.id), app);
  }
  return out;
}

/** The bundle's Marathon apps by id, parsed. */
export function bundleApps(b: LoadedBundle): Map<string, Record<string, unknown>> {
  return appsIn(b.manifest.artifacts.map((a) => ({ kind: a.kind, content: b.contents.get(a.id)! })));
}

/**
 * Differences (field paths) between input apps and the bundle's, after Marathon's own
 * normalization (for a Marathon 1.5+ bundle, 1.4 networking fields translated as Marathon 1.5
 * does); `missing` and `extra` name apps on one side only.
 */
export function appDifferences(inputs: readonly Record<string, unknown>[], b: LoadedBundle): string[] {
  const apps = bundleApps(b);
  const out: string[] = [];
  const is15 = b.manifest.targets.marathon !== '1.4';
  for (const input of inputs) {
    const i = is15 ? (translateTo15(input as unknown as MarathonAppJson) as unknown as Record<string, unknown>) : input;
    const got = apps.get(String(i.id));
    if (!got) out.push(`${String(i.id)}: missing`);
    else out.push(...compareApps(got, i).map((c) => `${String(i.id)}: ${c.path}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`));
    apps.delete(String(i.id));
  }
  for (const id of apps.keys()) out.push(`${id}: extra`);
  return out;
}

/** Calico resources of YAML texts, comparable (canonical, pool defaults filled). */
export function calicoOf(texts: ReadonlyArray<{ file: string; text: string }>): string[] {
  return texts.flatMap(({ file, text }) => readCalicoYaml(text, file).resources.map((r: CalicoResource) => JSON.stringify(comparableResource(r)))).sort();
}

/** The bundle's Calico resources, comparable. */
export function bundleCalico(b: LoadedBundle): string[] {
  return calicoOf(b.manifest.artifacts.filter((a) => a.kind.startsWith('calico-')).map((a) => ({ file: a.file, text: b.contents.get(a.id)! })));
}

/** The files of a folder with these extensions, as `{ file, text }`. */
export function filesOf(dir: string, ext: RegExp): Array<{ file: string; text: string }> {
  return readdirSync(dir).filter((f) => ext.test(f)).sort().map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
}
